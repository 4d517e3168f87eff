"""The reconciler: notices lost workers and lost tasks promptly.

Celery notices a dead worker only on kombu's restore sweep (minutes), and a task killed at the
hard time limit is never re-queued. So the run row carries a heartbeat: a ``running`` run whose
heartbeat is older than RUN_STALE_AFTER_S failed ("worker lost"); a ``queued`` run not picked up
within RUN_REQUEUE_AFTER_S is sent again (the claim makes duplicates no-ops), and failed after
RUN_MAX_ATTEMPTS sends.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from apps.runs.broadcaster import Publish
from apps.runs.lifecycle import close_run
from apps.runs.models import Run

logger = logging.getLogger(__name__)


def _requeue_or_fail(run: Run, now: datetime, publish: Publish) -> str:
    from apps.runs.tasks import execute_run  # tasks import this module

    if run.attempts >= settings.RUN_MAX_ATTEMPTS:
        closed = close_run(
            run_id=run.pk,
            expect_status=Run.Status.QUEUED,
            status=Run.Status.FAILED,
            reason=f"no worker picked the run up after {run.attempts} attempts",
            publish=publish,
        )
        return "failed" if closed else "skipped"
    moved = Run.objects.filter(pk=run.pk, status=Run.Status.QUEUED, attempts=run.attempts).update(
        attempts=F("attempts") + 1, queued_at=now
    )
    if not moved:
        return "skipped"
    try:
        execute_run.delay(str(run.pk))
    except Exception:
        logger.exception("run %s: re-queueing failed; will retry", run.pk)
    return "requeued"


def reconcile_runs(*, publish: Publish, now: datetime | None = None) -> dict[str, int]:
    """One sweep; returns how many runs were failed as lost, requeued, or failed as unqueued."""
    now = now or timezone.now()
    counts = {"lost": 0, "requeued": 0, "failed": 0}
    stale_before = now - timedelta(seconds=settings.RUN_STALE_AFTER_S)
    stale = Run.objects.filter(status=Run.Status.RUNNING, heartbeat_at__lt=stale_before)
    for run_id in stale.values_list("pk", flat=True)[:500]:
        if close_run(
            run_id=run_id,
            expect_status=Run.Status.RUNNING,
            status=Run.Status.FAILED,
            reason="worker lost",
            publish=publish,
            stale_before=stale_before,
        ):
            counts["lost"] += 1
    waiting_since = now - timedelta(seconds=settings.RUN_REQUEUE_AFTER_S)
    waiting = Run.objects.filter(status=Run.Status.QUEUED, queued_at__lt=waiting_since)
    for run in waiting.only("pk", "attempts")[:500]:
        outcome = _requeue_or_fail(run, now, publish)
        if outcome in counts:
            counts[outcome] += 1
    if any(counts.values()):
        logger.info("reconciled runs: %s", counts)
    return counts
