"""The broadcaster batches by wall time, stores before publishing, and serializes once."""

from __future__ import annotations

import json
import sys
import time

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.utils import timezone

from apps.runs.broadcaster import (
    Batch,
    Broadcaster,
    RunLost,
    adaptive_interval,
    run_group,
    viewer_count,
)
from apps.runs.models import Run, RunFrame

pytestmark = pytest.mark.django_db


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def running_run(queued_run):
    Run.objects.filter(pk=queued_run.pk).update(
        status=Run.Status.RUNNING, heartbeat_at=timezone.now()
    )
    return queued_run


def test_messages_are_buffered_until_the_interval_passes(running_run):
    clock = Clock()
    stored_when_published: list[int] = []
    batches: list[Batch] = []

    def publish(batch: Batch) -> None:
        stored_when_published.append(RunFrame.objects.filter(run=running_run).count())
        batches.append(batch)

    b = Broadcaster(run_id=running_run.pk, publish=publish, flush_interval_s=0.25, clock=clock)
    for i in range(10):
        b.emit({"type": "progress", "sim_time_s": i, "duration_s": 10, "events": i})
        clock.now += 0.01
    assert batches == []
    assert RunFrame.objects.count() == 0
    clock.now += 0.25
    b.emit({"type": "progress", "sim_time_s": 10, "duration_s": 10, "events": 10})
    assert len(batches) == 1
    assert batches[0].first_seq == 1
    assert len(batches[0].texts) == 11
    assert stored_when_published == [11]  # the durable record first
    b.emit({"type": "metrics", "t": 1.0})
    b.flush()
    assert [len(x.texts) for x in batches] == [11, 1]
    assert batches[1].first_seq == 12
    assert Run.objects.get(pk=running_run.pk).last_seq == 12


def test_stamped_messages_lead_with_type_run_id_seq(running_run):
    batches: list[Batch] = []
    b = Broadcaster(run_id=running_run.pk, publish=batches.append, flush_interval_s=0)
    b.emit({"type": "frame", "t0": 0.0, "t1": 0.25})
    text = batches[0].texts[0]
    assert text.startswith('{"type":"frame","run_id":"')
    decoded = json.loads(text)
    at = decoded.pop("at")  # wall time it was produced, epoch ms: for delivery latency
    assert abs(at - time.time() * 1000) < 5000
    assert decoded == {"type": "frame", "run_id": str(running_run.pk), "seq": 1,
                       "t0": 0.0, "t1": 0.25}  # fmt: skip
    assert RunFrame.objects.get(run=running_run, seq=1).payload == text


def test_a_failing_publisher_does_not_lose_the_log(running_run):
    def publish(batch: Batch) -> None:
        raise ConnectionError("layer down")

    b = Broadcaster(run_id=running_run.pk, publish=publish, flush_interval_s=0)
    b.emit({"type": "progress"})
    b.emit({"type": "progress"})
    assert RunFrame.objects.filter(run=running_run).count() == 2


def test_flush_after_losing_the_run_raises_and_writes_nothing(running_run):
    b = Broadcaster(run_id=running_run.pk, publish=lambda batch: None, flush_interval_s=60)
    b.emit({"type": "progress"})
    Run.objects.filter(pk=running_run.pk).update(status=Run.Status.FAILED)
    with pytest.raises(RunLost):
        b.flush()
    assert RunFrame.objects.count() == 0


def test_group_names_are_valid_channel_names(running_run):
    name = run_group(running_run.pk)
    assert name == f"run.{running_run.pk}"
    assert len(name) < 100
    assert all(c.isascii() and (c.isalnum() or c in "-.") for c in name)


def test_the_flush_interval_grows_with_the_audience(settings):
    settings.RUN_FLUSH_INTERVAL_S, settings.RUN_FLUSH_MAX_S = 0.1, 0.6
    settings.RUN_FANOUT_PER_S = 1000
    assert [adaptive_interval(v) for v in (0, 1, 100, 250, 500, 5000)] == [
        0.1, 0.1, 0.1, 0.25, 0.5, 0.6,
    ]  # fmt: skip


def test_viewers_are_counted_from_the_consumers_registry(running_run):
    from apps.runs import live

    try:
        for name in ("a", "b", "c"):
            live.viewer_join(running_run.pk, name)
        assert viewer_count(running_run.pk) == 3
        live.viewer_leave(running_run.pk, "a")
        assert viewer_count(running_run.pk) == 2
    finally:
        live.clear(running_run.pk)
    assert viewer_count(running_run.pk) == 0


def _interrupted_log(run: Run, strike_at: int) -> tuple[bool, list[int], int]:
    """Emits 6 messages (a flush after each), raising Celery's soft time limit (a signal raises
    it wherever the worker is) at the ``strike_at``-th line the broadcaster executes; then does
    what run_execute does on a time limit (resync, a final error message, flush) and returns
    (struck, stored seqs, Run.last_seq)."""
    Run.objects.filter(pk=run.pk).update(status=Run.Status.RUNNING, last_seq=0)
    RunFrame.objects.filter(run=run).delete()
    b = Broadcaster(run_id=run.pk, publish=lambda batch: None, flush_interval_s=0.0)
    lines = 0
    source = sys.modules[Broadcaster.__module__].__file__

    def local(frame, event, arg):
        nonlocal lines
        if event == "line":
            lines += 1
            if lines == strike_at:
                raise SoftTimeLimitExceeded
        return local

    def tracer(frame, event, arg):
        return local if frame.f_code.co_filename == source else None

    struck = False
    sys.settrace(tracer)
    try:
        for i in range(6):
            b.emit({"type": "progress", "sim_time_s": i, "duration_s": 6, "events": i})
    except SoftTimeLimitExceeded:
        struck = True
    finally:
        sys.settrace(None)
    b.resync()
    b.stamp({"type": "error", "error": "time limit", "details": [], "status": "failed"})
    b.flush(status=Run.Status.FAILED)
    seqs = list(RunFrame.objects.filter(run=run).order_by("seq").values_list("seq", flat=True))
    run.refresh_from_db()
    return struck, seqs, run.last_seq


def test_a_time_limit_striking_at_any_line_leaves_no_gap_and_no_repeat(running_run):
    strike_at, struck = 1, True
    while struck:  # every line of stamp/emit/flush/resync the six emits run, one at a time
        struck, seqs, last_seq = _interrupted_log(running_run, strike_at)
        assert seqs == list(range(1, last_seq + 1)), (strike_at, seqs)
        assert last_seq >= 1
        strike_at += 1
    assert strike_at > 100  # it really walked through the flushes
