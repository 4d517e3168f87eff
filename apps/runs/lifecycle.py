"""Ending a run from outside its worker (cancel before start, reconciler), with its log entry.

Only the worker writes a running run's log; once a conditional UPDATE has taken the run out of
the expected state, the caller owns it and appends the terminal ``error`` message at the next
seq, in the same transaction (the worker's own writes then fail with RunLost).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from apps.runs.broadcaster import Batch, Publish, dumps, safe_publish
from apps.runs.models import Run, RunFrame


def close_run(
    *,
    run_id: uuid.UUID,
    expect_status: str,
    status: str,
    reason: str,
    publish: Publish,
    stale_before: datetime | None = None,
) -> bool:
    """Move the run from ``expect_status`` to terminal ``status`` and log why.

    With ``stale_before``, only if its heartbeat is older. Returns False when the run was not
    in the expected state (someone else moved it first).
    """
    with transaction.atomic():
        query = Run.objects.select_for_update().filter(pk=run_id, status=expect_status)
        if stale_before is not None:
            query = query.filter(heartbeat_at__lt=stale_before)
        run = query.first()
        if run is None:
            return False
        seq = run.last_seq + 1
        message: dict[str, Any] = {
            "type": "error",
            "run_id": str(run_id),
            "seq": seq,
            "error": reason,
            "details": [],
            "status": status,
        }
        text = dumps(message)
        RunFrame.objects.create(run_id=run_id, seq=seq, type="error", payload=text)
        Run.objects.filter(pk=run_id).update(
            status=status, reason=reason, last_seq=seq, finished_at=timezone.now()
        )
    safe_publish(publish, Batch(str(run_id), seq, [text]))
    return True
