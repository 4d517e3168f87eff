"""Celery tasks: thin wrappers that take ids, call one service, and publish to the layer.

``execute_run`` is idempotent (the run is claimed in the database), which is what makes
``acks_late`` + ``reject_on_worker_lost`` safe: a re-delivery of a claimed run is a no-op.
"""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from apps.runs.broadcaster import layer_publish
from apps.runs.reconcile import reconcile_runs as reconcile_runs_service
from apps.runs.services import run_execute


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=settings.RUN_BACKSTOP_LIMIT_S,
    time_limit=settings.RUN_HARD_LIMIT_S,
    ignore_result=True,
)
def execute_run(run_id: str) -> None:
    """Simulate one run and stream it to its viewers."""
    run_execute(run_id=run_id, publish=layer_publish)


@shared_task(ignore_result=True, soft_time_limit=60, time_limit=90)
def reconcile_runs() -> dict[str, int]:
    """Beat task (every RECONCILE_EVERY_S): fail lost runs, re-queue forgotten ones."""
    return reconcile_runs_service(publish=layer_publish)
