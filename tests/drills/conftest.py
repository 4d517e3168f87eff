"""A private stack for fault drills: its own Redis port, SQLite file, Celery worker and beat,
Daphne; every process is started by scripts/stack.py and killed by PID, never by name.

Timings are shrunk through the environment so each drill ends in seconds: heartbeat 0.5 s,
a run is lost after 4 s without one, the reconciler sweeps every second, a queued run is sent
again after 3 s (at most 3 sends), the soft time limit is 8 s.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import psutil
import pytest

from scripts.stack import (
    VENV_BIN,
    Child,
    free_port,
    manage,
    spawn,
    start_daphne,
    start_redis,
    start_worker,
    wait_for,
)
from tests.shapes import client_service

TERMINAL = ("done", "failed", "cancelled")


def scenario(rate: float, duration: float, name: str = "drill") -> dict[str, Any]:
    return client_service(rate=rate, duration=duration, workers=4, seed=3, name=name)


HEAVY = scenario(rate=2000, duration=3600, name="heavy")  # minutes of work: killed or timed out
LIGHT = scenario(rate=50, duration=5, name="light")  # well under a second of work


class Drill:
    """The processes of one drill stack and what a drill does to them."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.redis_port = free_port()
        self.redis, redis_url = start_redis(tmp / "redis", self.redis_port, tmp / "redis.log")
        self.db = tmp / "drill.sqlite3"
        self.env = dict(
            os.environ,
            REDIS_URL=redis_url,
            DATABASE_URL=f"sqlite:///{self.db}",
            DEBUG="true",
            ALLOWED_HOSTS="127.0.0.1,localhost",
            PYTHONUNBUFFERED="1",
            LOG_LEVEL="INFO",
            RUN_HEARTBEAT_S="0.5",
            RUN_STALE_AFTER_S="4",
            RECONCILE_EVERY_S="1",
            RUN_REQUEUE_AFTER_S="3",
            RUN_MAX_ATTEMPTS="3",
            RUN_SOFT_LIMIT_S="8",
            RUN_HARD_LIMIT_S="10",
        )
        self.env.pop("DJANGO_SETTINGS_MODULE", None)
        manage(["migrate", "--noinput", "-v", "0"], self.env)
        self.port = free_port()
        self.daphne = start_daphne(self.env, "127.0.0.1", self.port, tmp / "daphne.log")
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.http = httpx.Client(base_url=self.base_url, timeout=30)
        self.beat = spawn(
            "beat",
            [str(VENV_BIN / "celery"), "-A", "config", "beat", "-l", "INFO",
             "--schedule", str(tmp / "beat-schedule")],
            self.env, tmp / "beat.log",
        )  # fmt: skip
        self.worker: Child | None = None
        self.workers_started = 0
        self.scenarios: dict[str, dict[str, Any]] = {}

    # --- processes ----------------------------------------------------------------------------

    def start_worker(self) -> Child:
        self.workers_started += 1
        log = self.tmp / f"worker{self.workers_started}.log"
        self.worker = start_worker(self.env, log, concurrency=2, beat=False)
        wait_for(lambda: "ready" in log.read_text(errors="replace"), "worker", 60, self.worker.proc)
        return self.worker

    def kill_worker(self) -> None:
        """SIGKILL the whole worker: the main process and its pool, as a machine loss would."""
        assert self.worker is not None
        os.killpg(self.worker.proc.pid, signal.SIGKILL)
        self.worker.proc.wait(10)

    def busiest_pool_child(self) -> int:
        """PID of the pool child doing the work (highest CPU over half a second)."""
        assert self.worker is not None
        children = psutil.Process(self.worker.proc.pid).children()
        for c in children:
            c.cpu_percent(None)
        time.sleep(0.5)
        return max(children, key=lambda c: c.cpu_percent(None)).pid

    def restart_redis(self) -> float:
        """Stop Redis (SIGKILL by PID), start a new empty one on the same port; seconds down."""
        down = time.monotonic()
        os.kill(self.redis.proc.pid, signal.SIGKILL)
        self.redis.proc.wait(10)
        time.sleep(1.0)
        self.redis, _ = start_redis(self.tmp / "redis", self.redis_port, self.tmp / "redis.log")
        return time.monotonic() - down

    def restart_daphne(self) -> None:
        os.killpg(self.daphne.proc.pid, signal.SIGKILL)
        self.daphne.proc.wait(10)
        self.daphne = start_daphne(self.env, "127.0.0.1", self.port, self.tmp / "daphne2.log")

    def stop(self) -> None:
        self.http.close()
        for child in (self.worker, self.beat, self.daphne, self.redis):
            if child is not None:
                child.stop(grace_s=5)

    # --- runs ---------------------------------------------------------------------------------

    def start_run(self, body: dict[str, Any], **options: Any) -> str:
        created = self.http.post("/api/scenarios", json=body)
        assert created.status_code == 201, created.text
        sid = created.json()["id"]
        self.scenarios[sid] = body
        started = self.http.post(f"/api/scenarios/{sid}/runs", json=options)
        assert started.status_code == 202, started.text
        return started.json()["run_id"]

    def rows(self, sql: str, *args: Any) -> list[tuple]:
        with contextlib.closing(sqlite3.connect(self.db, timeout=10)) as conn:
            return conn.execute(sql, args).fetchall()

    def status(self, run_id: str) -> tuple[str, str]:
        (row,) = self.rows(
            "SELECT status, reason FROM runs_run WHERE id = ?", run_id.replace("-", "")
        )
        return row

    def wait_status(
        self, run_id: str, wanted: tuple[str, ...], timeout_s: float
    ) -> tuple[str, str]:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            status = self.status(run_id)
            if status[0] in wanted:
                return status
            time.sleep(0.2)
        raise AssertionError(f"run {run_id} still {self.status(run_id)} after {timeout_s} s")

    def check_invariants(self, run_ids: list[str]) -> None:
        """Every run terminal with a reason unless done; its log 1..last_seq with each seq and
        each simulated frame window once; exactly one terminal message, last; scenarios intact."""
        for run_id in run_ids:
            status, reason = self.status(run_id)
            assert status in TERMINAL, (run_id, status)
            assert status == "done" or reason, (run_id, status, reason)
            key = run_id.replace("-", "")
            (last_seq,) = self.rows("SELECT last_seq FROM runs_run WHERE id = ?", key)[0]
            seqs = [s for (s,) in self.rows(
                "SELECT seq FROM runs_runframe WHERE run_id = ? ORDER BY seq", key)]  # fmt: skip
            assert seqs == list(range(1, last_seq + 1)), run_id
            windows = self.rows(
                "SELECT json_extract(payload, '$.t0'), COUNT(*) FROM runs_runframe"
                " WHERE run_id = ? AND type = 'frame' GROUP BY 1 HAVING COUNT(*) > 1", key,
            )  # fmt: skip
            assert windows == [], f"run {run_id}: frames logged twice: {windows[:3]}"
            ends = self.rows(
                "SELECT seq FROM runs_runframe WHERE run_id = ? AND (type = 'done' OR"
                " (type = 'error' AND json_extract(payload, '$.status') IS NOT NULL))", key,
            )  # fmt: skip
            assert ends == [(last_seq,)], (run_id, ends, last_seq)
        assert self.rows("SELECT COUNT(*) FROM runs_run WHERE status = 'running'") == [(0,)]
        for sid, body in self.scenarios.items():
            got = self.http.get(f"/api/scenarios/{sid}")
            assert got.status_code == 200, got.text
            assert got.json()["scenario"]["nodes"] == body["nodes"]


@pytest.fixture
def drill(tmp_path: Path) -> Iterator[Drill]:
    d = Drill(tmp_path)
    try:
        d.start_worker()
        yield d
    finally:
        d.stop()
        logs = {p.name: p.read_text(errors="replace")[-4000:] for p in tmp_path.glob("*.log")}
        artifacts = Path(__file__).resolve().parents[1] / "artifacts"
        artifacts.mkdir(exist_ok=True)
        for name, text in logs.items():
            (artifacts / f"drill-{name}").write_text(text)
