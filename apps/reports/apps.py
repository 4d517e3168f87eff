"""Reports app config; the label ``reports`` names the tables (sweeps)."""

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """App config."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "apps.reports"
    label = "reports"
