"""Scenarios: saving, sharing (slugs, edit tokens, forks), the templates gallery, the schema."""

from django.apps import AppConfig


class ScenariosConfig(AppConfig):
    """App config; the label ``scenarios`` names the tables."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "apps.scenarios"
    label = "scenarios"
