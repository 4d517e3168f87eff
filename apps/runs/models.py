"""A Run (one simulation of a scenario snapshot) and its durable message log (RunFrame).

The log is the record of what viewers saw; the channel layer is only the fast path, so a late
or reconnecting viewer replays from here. ``last_seq`` is the highest seq stored, updated in the
same transaction as the rows.
"""

from __future__ import annotations

import uuid

from django.db import models


class Run(models.Model):
    """One execution; its scenario is snapshotted so later edits do not change what ran."""

    class Status(models.TextChoices):
        QUEUED = "queued"
        RUNNING = "running"
        DONE = "done"
        FAILED = "failed"
        CANCELLED = "cancelled"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    scenario = models.ForeignKey(
        "scenarios.Scenario", on_delete=models.CASCADE, related_name="runs"
    )
    scenario_snapshot = models.JSONField()
    scenario_revision = models.PositiveIntegerField(default=1)
    seed = models.BigIntegerField()
    duration_s = models.FloatField()
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    reason = models.TextField(blank=True)
    result = models.JSONField(null=True, blank=True)
    last_seq = models.PositiveIntegerField(default=0)
    attempts = models.PositiveIntegerField(default=0)
    cancel_requested = models.BooleanField(default=False)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    queued_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"run {self.id} ({self.status})"

    @property
    def is_terminal(self) -> bool:
        """Done, failed or cancelled: nothing will be appended to its log any more."""
        return self.status in {self.Status.DONE, self.Status.FAILED, self.Status.CANCELLED}


class RunFrame(models.Model):
    """One logged wire message; ``payload`` is its exact serialized JSON, sent as is."""

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="frames")
    seq = models.PositiveIntegerField()
    type = models.CharField(max_length=16)
    payload = models.TextField()

    class Meta:
        ordering = ("run", "seq")
        constraints = (
            models.UniqueConstraint(fields=("run", "seq"), name="runframe_unique_run_seq"),
        )

    def __str__(self) -> str:
        return f"{self.run_id}#{self.seq} {self.type}"
