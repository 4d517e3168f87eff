"""run_execute, cancel and the reconciler, with a list standing in for the channel layer."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.utils import timezone

from apps.engine import simulate
from apps.runs.broadcaster import Batch
from apps.runs.lifecycle import close_run
from apps.runs.models import Run, RunFrame
from apps.runs.reconcile import reconcile_runs
from apps.runs.services import run_cancel, run_execute

pytestmark = pytest.mark.django_db


def _log(run: Run) -> list[dict]:
    return [json.loads(f.payload) for f in RunFrame.objects.filter(run=run).order_by("seq")]


def test_run_execute_claims_streams_and_finishes_done(queued_run):
    batches: list[Batch] = []
    run = run_execute(run_id=queued_run.pk, publish=batches.append)

    assert run is not None
    assert run.status == Run.Status.DONE
    assert run.started_at
    assert run.finished_at
    assert run.reason == ""
    log = _log(run)
    assert [m["seq"] for m in log] == list(range(1, len(log) + 1))
    assert run.last_seq == len(log)
    assert {m["run_id"] for m in log} == {str(run.pk)}
    assert {m["type"] for m in log} >= {"frame", "metrics", "progress", "done"}
    assert log[-1]["type"] == "done"
    assert log[-1]["status"] == "done"
    # Published texts are exactly the stored rows, in order, first_seq matching.
    published = [t for b in batches for t in b.texts]
    assert published == [f.payload for f in RunFrame.objects.filter(run=run).order_by("seq")]
    seq = 1
    for batch in batches:
        assert batch.first_seq == seq
        seq += len(batch.texts)
    expected = simulate(queued_run.scenario_snapshot, seed=run.seed, duration_s=run.duration_s)
    expected.pop("wall_s")
    result = dict(run.result)
    result.pop("wall_s")
    assert result == expected


def test_second_delivery_is_a_no_op(queued_run):
    run_execute(run_id=queued_run.pk, publish=lambda batch: None)
    count = RunFrame.objects.filter(run=queued_run).count()
    batches: list[Batch] = []
    assert run_execute(run_id=queued_run.pk, publish=batches.append) is None
    assert batches == []
    assert RunFrame.objects.filter(run=queued_run).count() == count


def test_unknown_run_is_a_no_op(db):
    assert run_execute(run_id="00000000-0000-0000-0000-000000000000", publish=print) is None


def test_cancel_of_a_queued_run_ends_it_with_a_logged_message(queued_run):
    batches: list[Batch] = []
    run = run_cancel(run=queued_run, publish=batches.append)
    assert run.status == Run.Status.CANCELLED
    assert run.finished_at
    log = _log(run)
    assert [m["type"] for m in log] == ["error"]
    assert log[0]["status"] == "cancelled"
    assert log[0]["seq"] == 1
    assert batches == [Batch(str(run.pk), 1, [RunFrame.objects.get(run=run).payload])]
    assert run_execute(run_id=run.pk, publish=batches.append) is None  # never starts


class Ticker:
    """A wall clock that advances one second per reading (every poll is due)."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        self.now += 1.0
        return self.now


def test_cancel_of_a_running_run_stops_it(saved_scenario, make_scenario):
    from apps.runs.services import run_start

    saved_scenario.data = make_scenario(duration_s=3600)
    saved_scenario.save()
    run = run_start(scenario=saved_scenario)

    def publish(batch: Batch) -> None:
        run_cancel(run=Run.objects.get(pk=run.pk), publish=lambda b: None)

    finished = run_execute(run_id=run.pk, publish=publish, clock=Ticker())
    assert finished is not None
    assert finished.status == Run.Status.CANCELLED
    last = _log(finished)[-1]
    assert last["type"] == "error"
    assert last["status"] == "cancelled"
    assert finished.result is None


def test_soft_time_limit_fails_the_run_with_a_reason(queued_run):
    calls = {"n": 0}

    def clock() -> float:
        calls["n"] += 1
        if calls["n"] == 5:
            raise SoftTimeLimitExceeded()
        return float(calls["n"])

    run = run_execute(run_id=queued_run.pk, publish=lambda b: None, clock=clock)
    assert run is not None
    assert run.status == Run.Status.FAILED
    assert "time limit" in run.reason
    log = _log(run)
    assert log[-1]["type"] == "error"
    assert log[-1]["status"] == "failed"
    assert [m["seq"] for m in log] == list(range(1, len(log) + 1))


def test_the_worker_ends_a_run_itself_at_the_soft_limit_between_two_frames(queued_run, settings):
    """Before Celery's soft limit (an exception raised wherever the run is) ever fires."""
    settings.RUN_SOFT_LIMIT_S = 3
    now = {"t": 0.0}

    def clock() -> float:  # every reading of the worker's clock costs 0.1 s of wall time
        now["t"] += 0.1
        return now["t"]

    run = run_execute(run_id=queued_run.pk, publish=lambda b: None, clock=clock)
    assert run is not None
    assert (run.status, run.reason) == (
        Run.Status.FAILED,
        "time limit exceeded: the run took over 3 s",
    )
    log = _log(run)
    assert [m["seq"] for m in log] == list(range(1, len(log) + 1))
    assert [m["type"] for m in log].count("frame") >= 1  # it ran, then stopped at a boundary
    assert log[-1]["type"] == "error"


def test_a_run_taken_over_by_the_reconciler_stops_quietly(queued_run):
    def publish(batch: Batch) -> None:
        close_run(
            run_id=queued_run.pk,
            expect_status=Run.Status.RUNNING,
            status=Run.Status.FAILED,
            reason="worker lost",
            publish=lambda b: None,
        )

    assert run_execute(run_id=queued_run.pk, publish=publish, clock=Ticker()) is None
    run = Run.objects.get(pk=queued_run.pk)
    assert run.status == Run.Status.FAILED
    assert run.reason == "worker lost"
    log = _log(run)
    assert [m["seq"] for m in log] == list(range(1, len(log) + 1))
    assert log[-1]["type"] == "error"


def test_reconciler_fails_runs_whose_worker_went_silent(queued_run):
    old = timezone.now() - timedelta(minutes=5)
    Run.objects.filter(pk=queued_run.pk).update(
        status=Run.Status.RUNNING, heartbeat_at=old, last_seq=4
    )
    batches: list[Batch] = []
    counts = reconcile_runs(publish=batches.append)
    assert counts["lost"] == 1
    run = Run.objects.get(pk=queued_run.pk)
    assert run.status == Run.Status.FAILED
    assert run.reason == "worker lost"
    assert run.last_seq == 5
    message = json.loads(batches[0].texts[0])
    assert message == {
        "type": "error",
        "run_id": str(run.pk),
        "seq": 5,
        "error": "worker lost",
        "details": [],
        "status": "failed",
    }
    assert reconcile_runs(publish=batches.append)["lost"] == 0  # idempotent


def test_reconciler_leaves_fresh_runs_alone(queued_run):
    Run.objects.filter(pk=queued_run.pk).update(
        status=Run.Status.RUNNING, heartbeat_at=timezone.now()
    )
    assert reconcile_runs(publish=lambda b: None) == {"lost": 0, "requeued": 0, "failed": 0}


def test_reconciler_requeues_then_fails_forgotten_queued_runs(queued_run, settings):
    old = timezone.now() - timedelta(hours=1)
    Run.objects.filter(pk=queued_run.pk).update(queued_at=old)
    assert reconcile_runs(publish=lambda b: None)["requeued"] == 1  # a real send to the broker
    assert Run.objects.get(pk=queued_run.pk).attempts == 2

    Run.objects.filter(pk=queued_run.pk).update(queued_at=old, attempts=settings.RUN_MAX_ATTEMPTS)
    assert reconcile_runs(publish=lambda b: None)["failed"] == 1
    run = Run.objects.get(pk=queued_run.pk)
    assert run.status == Run.Status.FAILED
    assert "no worker" in run.reason
