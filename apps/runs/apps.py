"""Runs: lifecycle, the Celery task driving the engine, the frame log and the websocket."""

from django.apps import AppConfig


class RunsConfig(AppConfig):
    """App config; the label ``runs`` names the tables."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "apps.runs"
    label = "runs"
