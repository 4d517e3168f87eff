"""Parameter sweeps: one Sweep (scenario snapshot, the parameter, values, seeds, metric) and
one SweepPoint per (value, seed) simulation, written by the worker as each finishes."""

from __future__ import annotations

import uuid

from django.db import models


class Sweep(models.Model):
    """A batch of frame-less simulations of one scenario varying one parameter."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    scenario = models.ForeignKey(
        "scenarios.Scenario", on_delete=models.CASCADE, related_name="sweeps"
    )
    scenario_snapshot = models.JSONField()
    param = models.CharField(max_length=300)
    values = models.JSONField()
    seeds = models.JSONField()
    metric = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"sweep {self.id} of {self.param}"


class SweepPoint(models.Model):
    """One simulation of the sweep: ``value_index`` into ``Sweep.values``, a seed, the outcome."""

    sweep = models.ForeignKey(Sweep, on_delete=models.CASCADE, related_name="points")
    value_index = models.PositiveIntegerField()
    seed = models.BigIntegerField()
    metric_value = models.FloatField(null=True, blank=True)
    error = models.TextField(blank=True)
    summary = models.JSONField(null=True, blank=True)
    wall_s = models.FloatField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("sweep", "value_index", "seed")
        constraints = (
            models.UniqueConstraint(
                fields=("sweep", "value_index", "seed"), name="sweeppoint_unique"
            ),
        )

    def __str__(self) -> str:
        return f"{self.sweep_id}[{self.value_index}] seed {self.seed}"
