"""Classroom fan-out: one Daphne, N student websockets, the presenter sends M state updates.

Starts an embedded Redis, a fresh SQLite database and ONE Daphne process with the helpers of
scripts/stack.py, creates a scenario and a session over HTTP, connects N students (loopback,
the `websockets` asyncio client), then the presenter sends M ``state`` messages carrying
``sent_at`` (wall ms) at a fixed rate. Each student records now - sent_at per update; the bench
prints p50/p95/p99 of that delivery latency and how many of N × M deliveries arrived.
Everything is bounded in time. `.venv/bin/python bench/bench_classroom.py [--students 300]`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
import urllib.request
from pathlib import Path

import websockets

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts.stack import throwaway_stack

SCENARIO = {
    "format": "topolab/1",
    "name": "bench classroom",
    "nodes": [
        {"id": "users", "kind": "client", "x": 0, "y": 0, "params": {"rate_rps": 10}},
        {
            "id": "api-1",
            "kind": "service",
            "x": 300,
            "y": 0,
            "params": {"workers": 1, "service_time_ms": 10},
        },
    ],
    "edges": [{"id": "e1", "source": "users", "target": "api-1"}],
    "settings": {"duration_s": 10, "warmup_s": 0},
}


def _post(base: str, path: str, body: dict) -> dict:
    request = urllib.request.Request(  # noqa: S310 - loopback only
        base + path,
        data=json.dumps(body).encode(),
        method="POST",
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        return json.loads(response.read())


def _now_ms() -> float:
    return time.time() * 1000


async def student(
    url: str,
    updates: int,
    latencies: list[float],
    ready: asyncio.Event,
    joined: list[int],
) -> None:
    async with websockets.connect(url, open_timeout=30, max_queue=None, compression=None) as ws:
        welcome = json.loads(await ws.recv())
        assert welcome["type"] == "welcome", welcome
        joined.append(1)
        ready.set()
        got = 0
        # No per-recv timeout (asyncio.wait_for costs a task and a timer per message, which
        # would load the client more than the server); run() cancels stragglers at the deadline.
        while got < updates:
            raw = await ws.recv()
            if '"sent_at"' in raw:
                message = json.loads(raw)
                if message.get("type") == "state":
                    latencies.append(_now_ms() - message["sent_at"])
                    got += 1


async def presenter(url: str, token: str, updates: int, interval_s: float) -> None:
    async with websockets.connect(url, open_timeout=30) as ws:
        await ws.recv()
        await ws.send(json.dumps({"type": "hello", "presenter_token": token}))
        for i in range(updates):
            update = {
                "type": "state",
                "playhead": i * 0.1,
                "sent_at": _now_ms(),
                "viewport": {"x": i, "y": 0, "zoom": 1},
            }
            await ws.send(json.dumps(update))
            await asyncio.sleep(interval_s)


async def run(ws_url: str, token: str, students: int, updates: int, interval_s: float) -> None:
    latencies: list[float] = []
    joined: list[int] = []
    deadline = time.monotonic() + 120
    ready = asyncio.Event()
    start = time.perf_counter()
    tasks = []
    for i in range(students):
        tasks.append(asyncio.create_task(student(ws_url, updates, latencies, ready, joined)))
        if i % 25 == 24:
            await asyncio.sleep(0.05)  # a classroom joins over seconds, not in one instant
    while len(joined) < students and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    print(f"{len(joined)}/{students} students joined in {time.perf_counter() - start:.1f} s")
    await asyncio.sleep(0.5)
    await presenter(ws_url, token, updates, interval_s)
    await asyncio.wait(tasks, timeout=max(1.0, deadline - time.monotonic()))
    for task in tasks:
        task.cancel()
    latencies.sort()
    n = len(latencies)
    expected = students * updates

    def q(p: float) -> float:
        return latencies[min(n - 1, int(p * n))] if n else float("nan")

    print(
        f"delivered {n}/{expected} state updates ({students} students × {updates} updates, "
        f"one every {interval_s * 1000:.0f} ms)"
    )
    print(
        f"delivery latency ms: p50 {q(0.5):.1f}  p95 {q(0.95):.1f}  p99 {q(0.99):.1f}  "
        f"max {latencies[-1] if n else float('nan'):.1f}"
    )
    print("target p99 < 250 ms:", "met" if n == expected and q(0.99) < 250 else "NOT met")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--students", type=int, default=300)
    parser.add_argument("--updates", type=int, default=50)
    parser.add_argument("--interval-ms", type=float, default=100)
    args = parser.parse_args()
    with throwaway_stack() as (stack, _tmp):
        base = stack.base_url
        scenario_id = _post(base, "/api/scenarios", SCENARIO)["id"]
        session = _post(base, "/api/sessions", {"scenario": scenario_id})
        ws_url = base.replace("http://", "ws://") + session["ws_url"]
        asyncio.run(
            run(
                ws_url,
                session["presenter_token"],
                args.students,
                args.updates,
                args.interval_ms / 1000,
            )
        )


if __name__ == "__main__":
    main()
