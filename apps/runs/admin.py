"""Admin for runs: inspect status, reasons and results; frames are listed, not edited."""

from django.contrib import admin

from apps.runs.models import Run, RunFrame


@admin.register(Run)
class RunAdmin(admin.ModelAdmin):
    """Runs are written by workers; the admin is for looking."""

    list_display = ("id", "scenario", "status", "seed", "duration_s", "last_seq", "created_at")
    list_filter = ("status",)
    search_fields = ("id", "scenario__id")
    readonly_fields = (
        "id",
        "scenario",
        "scenario_snapshot",
        "scenario_revision",
        "seed",
        "duration_s",
        "result",
        "last_seq",
        "attempts",
        "heartbeat_at",
        "created_at",
        "queued_at",
        "started_at",
        "finished_at",
    )


@admin.register(RunFrame)
class RunFrameAdmin(admin.ModelAdmin):
    """The message log, one row per seq."""

    list_display = ("run", "seq", "type")
    list_filter = ("type",)
    search_fields = ("run__id",)
    readonly_fields = ("run", "seq", "type", "payload")
