"""Fault drills: kill things by PID on a private stack and check every run still ends well.

After each fault: every run is terminal (done, or failed/cancelled with a reason), none is left
``running``, each run's log is seqs 1..last_seq with every simulated frame window once and one
terminal message at the end, and every saved scenario reads back unchanged. Each drill is
bounded (< 60 s); they are `integration` and `slow`, off the quick test runs.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import signal
import subprocess
import sys
import time

import pytest
import websockets

from scripts.stack import ROOT
from tests.drills.conftest import HEAVY, LIGHT, Drill

pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.timeout(90)]


def test_killing_the_pool_child_fails_its_run_and_the_rest_complete(drill: Drill):
    heavy = drill.start_run(HEAVY)
    drill.wait_status(heavy, ("running",), 20)
    time.sleep(1.0)
    lights = [drill.start_run(LIGHT) for _ in range(3)]
    os.kill(drill.busiest_pool_child(), signal.SIGKILL)
    # The redelivered task finds the run claimed (a no-op); the heartbeat stops and the
    # reconciler fails the run within RUN_STALE_AFTER_S plus a sweep.
    assert drill.wait_status(heavy, ("failed",), 20) == ("failed", "worker lost")
    for run in lights:
        assert drill.wait_status(run, ("done",), 30)[0] == "done"
    drill.check_invariants([heavy, *lights])


def test_killing_the_whole_worker_then_starting_another(drill: Drill):
    heavy = drill.start_run(HEAVY)
    drill.wait_status(heavy, ("running",), 20)
    lights = [drill.start_run(LIGHT) for _ in range(2)]
    time.sleep(0.5)
    drill.kill_worker()
    late = drill.start_run(LIGHT)  # sent while no worker is alive
    drill.start_worker()
    assert drill.wait_status(heavy, ("failed",), 25) == ("failed", "worker lost")
    for run in [*lights, late]:
        assert drill.wait_status(run, ("done",), 30)[0] == "done"
    drill.check_invariants([heavy, *lights, late])


def test_restarting_redis_mid_run(drill: Drill):
    heavy = drill.start_run(HEAVY)
    drill.wait_status(heavy, ("running",), 20)
    queued = [drill.start_run(LIGHT) for _ in range(2)]
    down_s = drill.restart_redis()  # the queue is lost with it: nothing is persisted
    assert down_s < 5
    # The running run keeps going (the log is in the database; live fan-out is best effort)
    # until its soft time limit; the queued ones, whose messages died with Redis, are sent again
    # by the reconciler; a run started after the restart goes through.
    after = drill.start_run(LIGHT)
    status, reason = drill.wait_status(heavy, ("done", "failed"), 30)
    assert status == "failed"
    assert "time limit" in reason
    for run in [*queued, after]:
        assert drill.wait_status(run, ("done",), 30)[0] == "done"
    drill.check_invariants([heavy, *queued, after])


def test_a_runaway_simulation_hits_the_time_limit(drill: Drill):
    runaway = drill.start_run(HEAVY)
    light = drill.start_run(LIGHT)
    status, reason = drill.wait_status(runaway, ("done", "failed"), 30)
    assert (status, reason) == ("failed", "time limit exceeded: the run took over 8 s")
    assert drill.wait_status(light, ("done",), 20)[0] == "done"
    drill.check_invariants([runaway, light])


def test_a_run_no_worker_takes_is_failed_after_the_attempt_cap(drill: Drill):
    drill.kill_worker()  # nothing consumes the queue; the beat process alone cannot sweep
    run = drill.start_run(LIGHT)
    sweep = [sys.executable, "manage.py", "shell", "-c",
             "from apps.runs.tasks import reconcile_runs; print(reconcile_runs())"]  # fmt: skip
    outcomes = []
    for _ in range(4):  # what the beat task does, run where no worker is needed
        time.sleep(3.2)  # RUN_REQUEUE_AFTER_S
        out = subprocess.run(sweep, cwd=ROOT, env=drill.env, capture_output=True, text=True)
        assert out.returncode == 0, out.stderr[-2000:]
        outcomes.append(out.stdout.strip().splitlines()[-1])
        if drill.status(run)[0] != "queued":
            break
    status, reason = drill.status(run)
    assert (status, reason) == ("failed", "no worker picked the run up after 3 attempts"), outcomes
    (attempts,) = drill.rows("SELECT attempts FROM runs_run WHERE id = ?", run.replace("-", ""))[0]
    assert attempts == 3
    drill.check_invariants([run])


async def _viewer(url: str, seen: list[int], done: asyncio.Event, joined: list[float]) -> None:
    """A browser-like viewer: resumes with ?after= and full-jitter backoff after a drop."""
    attempt = 0
    while not done.is_set():
        last = seen[-1] if seen else 0
        try:
            async with websockets.connect(f"{url}?after={last}&batch=1", open_timeout=10) as ws:
                attempt = 0
                joined.append(time.monotonic())
                async for text in ws:
                    message = json.loads(text)
                    for m in message["messages"] if message["type"] == "batch" else [message]:
                        if "seq" in m:
                            seen.append(m["seq"])
                        if m["type"] in ("done", "error") and m.get("status"):
                            return
        except (OSError, websockets.WebSocketException, TimeoutError):
            pass
        attempt += 1
        await asyncio.sleep(max(0.1, random.random() * min(5.0, 0.25 * 2**attempt)))


async def _presenter(url: str, done: asyncio.Event) -> None:
    """Keeps a paced run at 1x as the studio does, reconnecting whenever its socket drops."""
    started = time.monotonic()
    while not done.is_set():
        try:
            async with websockets.connect(url + "?after=1000000000") as ws:
                while not done.is_set():
                    t = time.monotonic() - started
                    await ws.send(json.dumps({"type": "pace", "t": t, "speed": 1}))
                    await asyncio.sleep(1)
        except (OSError, websockets.WebSocketException):
            await asyncio.sleep(0.5)


async def test_viewers_reconverge_after_daphne_is_killed_and_restarted(drill: Drill):
    run = drill.start_run(
        {**LIGHT, "settings": {**LIGHT["settings"], "duration_s": 30}}, paced=True
    )
    url = drill.base_url.replace("http://", "ws://") + f"/ws/runs/{run}"
    done = asyncio.Event()
    seen: list[list[int]] = [[] for _ in range(50)]
    joined: list[list[float]] = [[] for _ in range(50)]

    pacer = asyncio.create_task(_presenter(url, done))
    viewers = [asyncio.create_task(_viewer(url, seen[i], done, joined[i])) for i in range(50)]
    await asyncio.sleep(4)
    await asyncio.to_thread(drill.restart_daphne)
    restarted = time.monotonic()
    while any(not j or j[-1] < restarted for j in joined) and time.monotonic() - restarted < 30:
        await asyncio.sleep(0.1)
    rejoined_s = max(j[-1] for j in joined) - restarted
    await asyncio.wait(viewers, timeout=60)
    done.set()
    pacer.cancel()
    assert rejoined_s < 30
    status, _ = drill.status(run)
    assert status == "done"
    (last_seq,) = drill.rows("SELECT last_seq FROM runs_run WHERE id = ?", run.replace("-", ""))[0]
    for s in seen:
        assert s == list(range(1, last_seq + 1))  # every seq once, in order, across the restart
    drill.check_invariants([run])


async def test_a_viewer_connected_through_a_redis_restart_gets_the_whole_log(drill: Drill):
    """The pub/sub layer loses its subscriptions with Redis; the viewer's socket either stays
    up (live batches resume, the hole is filled from the log) or drops and resumes."""
    run = drill.start_run(
        {**LIGHT, "settings": {**LIGHT["settings"], "duration_s": 20}}, paced=True
    )
    url = drill.base_url.replace("http://", "ws://") + f"/ws/runs/{run}"
    done = asyncio.Event()
    seen: list[int] = []
    joined: list[float] = []

    pacer = asyncio.create_task(_presenter(url, done))
    viewer = asyncio.create_task(_viewer(url, seen, done, joined))
    await asyncio.sleep(4)
    await asyncio.to_thread(drill.restart_redis)
    await asyncio.wait_for(viewer, 60)
    done.set()
    pacer.cancel()
    assert drill.status(run)[0] == "done"
    (last_seq,) = drill.rows("SELECT last_seq FROM runs_run WHERE id = ?", run.replace("-", ""))[0]
    assert seen == list(range(1, last_seq + 1))
    drill.check_invariants([run])
