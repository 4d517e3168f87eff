"""Celery tasks of sweeps: a thin per-point task and the group that fans a sweep out."""

from __future__ import annotations

from celery import group, shared_task

from apps.reports.models import Sweep
from apps.reports.sweeps import point_run


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def sweep_point(sweep_id: str, value_index: int, seed: int) -> None:
    """Simulate one (value, seed) point of a sweep (idempotent: stored once)."""
    point_run(sweep_id=sweep_id, value_index=value_index, seed=seed)


def dispatch_sweep(sweep_id: str) -> None:
    """Send every point of the sweep as one Celery group."""
    sweep = Sweep.objects.get(pk=sweep_id)
    group(
        sweep_point.s(sweep_id, i, seed) for i in range(len(sweep.values)) for seed in sweep.seeds
    ).apply_async()
