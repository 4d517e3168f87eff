"""The broadcaster batches by wall time, stores before publishing, and serializes once."""

from __future__ import annotations

import json
import time

import pytest
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
