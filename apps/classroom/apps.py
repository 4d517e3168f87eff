"""Classroom app config; the label ``classroom`` names the tables."""

from django.apps import AppConfig


class ClassroomConfig(AppConfig):
    """App config."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "apps.classroom"
    label = "classroom"
