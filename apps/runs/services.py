"""Run services: start, cancel, execute (in the worker), read the log.

Lifecycle: ``queued`` (row written, task sent) -> ``running`` (claimed by exactly one worker
with a conditional UPDATE) -> ``done`` | ``failed`` | ``cancelled``. Every terminal transition
is a conditional UPDATE in the same transaction as the run's last logged message, so a viewer
that sees a terminal status also finds the terminal message in the log. Lost workers and lost
tasks are handled by ``apps.runs.reconcile``.
"""

from __future__ import annotations

import logging
import math
import time
import uuid
from collections.abc import Callable
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from apps.engine import LIMITS, Cancelled, ScenarioError, parse_scenario, simulate
from apps.runs import live
from apps.runs.broadcaster import Broadcaster, Publish, RunLost
from apps.runs.lifecycle import close_run
from apps.runs.models import Run, RunFrame
from apps.scenarios.models import Scenario

logger = logging.getLogger(__name__)

# Wall seconds between cancellation checks while a run computes, and while it waits for a
# pacing viewer (the worker idles then, and "Run again" waits for it to notice the cancel).
_CANCEL_POLL_S = 0.5
_CANCEL_POLL_PACED_S = 0.05
# Live control (apps.runs.live): wall seconds between Redis polls, the sleep while paced, the
# simulated lead over the viewer's playhead (times its speed), and the share of the soft time
# limit after which pacing stops so a paused viewer cannot make the run time out.
_LIVE_POLL_S = 0.1
_PACE_SLEEP_S = 0.05
_PACE_LEAD_S = 2.0
_PACE_BUDGET = 0.8


class TimeLimit(Exception):
    """The run computed for RUN_SOFT_LIMIT_S of wall time (checked at every frame boundary)."""


class BrokerUnavailable(Exception):
    """The task queue could not take the run; the run was marked failed."""


def _check_overrides(seed: int | None, duration_s: float | None) -> None:
    details = []
    if seed is not None and not 0 <= seed <= LIMITS["max_seed"]:
        details.append({"loc": "seed", "node": None, "msg": f"must be 0..{LIMITS['max_seed']}"})
    if duration_s is not None and not 0 < duration_s <= LIMITS["max_duration_s"]:
        msg = f"must be > 0 and <= {LIMITS['max_duration_s']}"
        details.append({"loc": "duration_s", "node": None, "msg": msg})
    if details:
        raise ScenarioError(f"{details[0]['loc']}: {details[0]['msg']}", details)


def enqueue(run_id: uuid.UUID) -> None:
    """Send the task once the surrounding transaction commits (Celery's delay_on_commit).

    Unlike a bare ``delay_on_commit``, a dead broker marks the run failed, so nothing is left
    ``queued`` for a task that was never sent, and raises BrokerUnavailable.
    """
    from apps.runs.tasks import execute_run  # tasks import services: import on use

    def send() -> None:
        try:
            execute_run.delay(str(run_id))
        except Exception as exc:
            Run.objects.filter(pk=run_id, status=Run.Status.QUEUED).update(
                status=Run.Status.FAILED,
                reason="the task queue is unavailable",
                finished_at=timezone.now(),
            )
            raise BrokerUnavailable(str(exc)) from exc

    transaction.on_commit(send, robust=False)


def run_start(
    *, scenario: Scenario, seed: int | None = None, duration_s: float | None = None
) -> Run:
    """Snapshot ``scenario`` into a queued Run and send it to a worker.

    Raises ScenarioError (the scenario or an override is invalid) or BrokerUnavailable.
    """
    parsed = parse_scenario(scenario.data)  # the engine may have tightened its rules since
    _check_overrides(seed, duration_s)
    run = Run.objects.create(
        scenario=scenario,
        scenario_snapshot=scenario.data,
        scenario_revision=scenario.revision,
        seed=parsed.settings.seed if seed is None else seed,
        duration_s=float(parsed.settings.duration_s if duration_s is None else duration_s),
        attempts=1,
    )
    enqueue(run.pk)
    run.refresh_from_db()
    return run


def run_cancel(*, run: Run, publish: Publish) -> Run:
    """Cancel: a queued run ends at once; a running one is asked and ends at its next poll."""
    if run.status == Run.Status.QUEUED:
        close_run(
            run_id=run.pk,
            expect_status=Run.Status.QUEUED,
            status=Run.Status.CANCELLED,
            reason="cancelled before it started",
            publish=publish,
        )
    elif run.status == Run.Status.RUNNING:
        Run.objects.filter(pk=run.pk, status=Run.Status.RUNNING).update(cancel_requested=True)
    run.refresh_from_db()
    return run


class RunControl:
    """The engine's ``control``: flushes on time, heartbeats, live commands, pacing, cancel.

    Called at every simulated frame boundary, possibly thousands of times a wall second, so the
    database is touched at most every ``_CANCEL_POLL_S`` (cancel) / ``RUN_HEARTBEAT_S`` and Redis
    (live commands and the viewer's pace, apps.runs.live) at most every ``_LIVE_POLL_S``. While a
    viewer paces the run, the call sleeps until the simulation is at most a lead ahead of the
    viewer's estimated playhead, so live faults land near what the viewer sees.
    """

    def __init__(
        self,
        *,
        run_id: uuid.UUID,
        broadcaster: Broadcaster,
        clock: Callable[[], float],
        sleep: Callable[[float], None] = time.sleep,
        wall: Callable[[], float] = time.time,
    ) -> None:
        self._run_id = run_id
        self._broadcaster = broadcaster
        self._clock = clock
        self._sleep = sleep
        self._wall = wall
        self._last_poll = self._last_beat = self._started = clock()
        self._last_live = -math.inf
        self._pace: dict[str, float] | None = None
        self._live_ok = True
        self._prev_s = 0.0

    def __call__(self, now_s: float) -> list[dict[str, Any]]:
        if self._clock() - self._started > settings.RUN_SOFT_LIMIT_S:
            raise TimeLimit  # here, between two frames, nothing is half-written
        commands = self._poll()
        interval, self._prev_s = now_s - self._prev_s, now_s
        while commands == [] and self._ahead(now_s, interval):
            self._sleep(_PACE_SLEEP_S)
            commands = self._poll(cancel_every=_CANCEL_POLL_PACED_S)
        return commands

    def _ahead(self, now_s: float, interval: float) -> bool:
        """Is the simulation more than the lead ahead of a (fresh) viewer's playhead?"""
        pace = self._pace
        if pace is None or self._clock() - self._started > _PACE_BUDGET * settings.RUN_SOFT_LIMIT_S:
            return False
        age = self._wall() - pace["at"]
        if age > live.PACE_TTL_S:
            return False
        speed = max(0.0, pace["speed"])
        playhead = pace["t"] + speed * max(0.0, age)
        lead = max(_PACE_LEAD_S, speed * _PACE_LEAD_S, 2 * interval)
        return now_s > playhead + lead

    def _poll_live(self) -> list[dict[str, Any]]:
        now = self._clock()
        if not self._live_ok or now - self._last_live < _LIVE_POLL_S:
            return []
        self._last_live = now
        try:
            self._pace = live.get_pace(self._run_id)
            return live.pop_controls(self._run_id)
        except SoftTimeLimitExceeded:
            raise
        except Exception:  # Redis down: run unpaced and without live commands, never fail
            logger.exception("run %s: live control unavailable", self._run_id)
            self._live_ok, self._pace = False, None
            return []

    def _poll(self, cancel_every: float = _CANCEL_POLL_S) -> list[dict[str, Any]]:
        self._broadcaster.maybe_flush()
        commands = self._poll_live()
        now = self._clock()
        if now - self._last_beat >= settings.RUN_HEARTBEAT_S:
            self._last_beat = now
            beat = Run.objects.filter(pk=self._run_id, status=Run.Status.RUNNING)
            if not beat.update(heartbeat_at=timezone.now()):
                raise RunLost(str(self._run_id))
        if now - self._last_poll >= cancel_every:
            self._last_poll = now
            row = Run.objects.filter(pk=self._run_id).values("status", "cancel_requested").first()
            if row is None or row["status"] != Run.Status.RUNNING:
                raise RunLost(str(self._run_id))
            if row["cancel_requested"]:
                return [{"action": "cancel"}]
        return commands


def _claim(run_id: uuid.UUID) -> Run | None:
    now = timezone.now()
    claimed = Run.objects.filter(pk=run_id, status=Run.Status.QUEUED).update(
        status=Run.Status.RUNNING, started_at=now, heartbeat_at=now
    )
    return Run.objects.get(pk=run_id) if claimed else None


def _end(broadcaster: Broadcaster, status: str, message: dict[str, Any], **fields: Any) -> None:
    broadcaster.stamp(message)
    broadcaster.flush(status=status, finished_at=timezone.now(), **fields)


def _fail(broadcaster: Broadcaster, reason: str, status: str = Run.Status.FAILED) -> None:
    message = {"type": "error", "error": reason, "details": [], "status": status}
    _end(broadcaster, status, message, reason=reason)


def run_execute(
    *, run_id: uuid.UUID | str, publish: Publish, clock: Callable[[], float] = time.monotonic
) -> Run | None:
    """Claim and simulate a queued run; a duplicate delivery or a finished run is a no-op.

    Returns the finished run, or None when there was nothing to do (not claimable, or lost to
    the reconciler midway).
    """
    run_id = uuid.UUID(str(run_id))
    run = _claim(run_id)
    if run is None:
        logger.info("run %s: not queued any more, nothing to do", run_id)
        return None
    broadcaster = Broadcaster(run_id=run_id, publish=publish, start_seq=run.last_seq, clock=clock)
    try:
        try:
            result = simulate(
                parse_scenario(run.scenario_snapshot),
                seed=run.seed,
                duration_s=run.duration_s,
                emit=broadcaster.emit,
                control=RunControl(run_id=run_id, broadcaster=broadcaster, clock=clock),
            )
        except Cancelled as exc:
            _fail(broadcaster, f"cancelled at t={exc.sim_time_s:g}s", Run.Status.CANCELLED)
        except (TimeLimit, SoftTimeLimitExceeded):
            broadcaster.resync()  # Celery's backstop may have struck halfway through a flush
            limit = settings.RUN_SOFT_LIMIT_S
            _fail(broadcaster, f"time limit exceeded: the run took over {limit} s")
        except ScenarioError as exc:
            _fail(broadcaster, f"invalid scenario: {exc.message}")
        except RunLost:
            raise
        except Exception as exc:
            logger.exception("run %s: engine failure", run_id)
            _fail(broadcaster, f"internal error: {type(exc).__name__}")
        else:
            done = {"type": "done", "status": "done", "result": result}
            _end(broadcaster, Run.Status.DONE, done, result=result)
    except RunLost:
        logger.warning("run %s: taken over (worker presumed lost); stopping", run_id)
        return None
    run.refresh_from_db()
    return run


def frames_after(*, run_id: uuid.UUID | str, after: int, limit: int) -> list[tuple[int, str]]:
    """Logged ``(seq, text)`` pairs with seq > ``after``, in order, at most ``limit``."""
    rows = (
        RunFrame.objects.filter(run_id=run_id, seq__gt=after)
        .order_by("seq")
        .values_list("seq", "payload")[:limit]
    )
    return list(rows)
