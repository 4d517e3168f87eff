"""Sweep throughput: the same parameter sweep on a Celery worker of concurrency 1, then 2.

Starts an embedded Redis, a fresh SQLite database, Daphne and one worker at a time with the
helpers of scripts/stack.py (exactly what `make run` starts), posts the sweep over HTTP and
times from the POST until GET /api/sweeps/{id} says done. Prints both wall times (best of
--repeat) and the speed-up. From the repository root:
`.venv/bin/python bench/bench_sweep.py [--seeds N] [--repeat N]`.
The speed-up is bounded by the machine's cores (os.cpu_count()) and by what else runs on it.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts.stack import start_worker, throwaway_stack

SCENARIO = {
    "format": "topolab/1",
    "name": "bench sweep",
    "nodes": [
        {
            "id": "users",
            "kind": "client",
            "x": 0,
            "y": 0,
            "params": {"rate_rps": 250, "arrival": "poisson"},
        },
        {
            "id": "api-1",
            "kind": "service",
            "x": 300,
            "y": 0,
            "params": {"workers": 2, "service_time_ms": 10},
        },
    ],
    "edges": [{"id": "e1", "source": "users", "target": "api-1", "params": {"latency_ms": 1}}],
    "settings": {"duration_s": 120, "warmup_s": 5, "seed": 1},
}


def _http(base: str, method: str, path: str, body: dict | None = None) -> dict:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(  # noqa: S310 - loopback only
        base + path, data=data, method=method, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        return json.loads(response.read())


def time_sweep(base: str, scenario_id: str, seeds: int) -> tuple[float, dict]:
    body = {"param": "api-1.workers", "values": [1, 2, 3, 4], "replicas": seeds}
    start = time.perf_counter()
    sweep_id = _http(base, "POST", f"/api/scenarios/{scenario_id}/sweeps", body)["sweep_id"]
    while True:
        view = _http(base, "GET", f"/api/sweeps/{sweep_id}")
        if view["status"] == "done":
            return time.perf_counter() - start, view
        time.sleep(0.05)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", type=int, default=6, help="replicas per value (4 values)")
    parser.add_argument("--repeat", type=int, default=3, help="sweeps per concurrency; best kept")
    args = parser.parse_args()
    with throwaway_stack() as (stack, tmp):
        env, base = stack.env, stack.base_url
        scenario_id = _http(base, "POST", "/api/scenarios", SCENARIO)["id"]
        times = {}
        for concurrency in (1, 2):
            worker = start_worker(
                env, tmp / f"worker{concurrency}.log", concurrency=concurrency, beat=False
            )
            try:
                time_sweep(base, scenario_id, 1)  # warm-up: the pool is up and imported
                # Best of N: other processes on the machine only ever make a run slower.
                runs = [time_sweep(base, scenario_id, args.seeds) for _ in range(args.repeat)]
                times[concurrency], view = min(runs, key=lambda r: r[0])
            finally:
                worker.stop()
            p99 = [round(v["mean"], 1) for v in view["values"]]
            print(
                f"concurrency {concurrency}: {view['total']} points in "
                f"{times[concurrency]:.2f} s (mean p99 per workers 1..4: {p99} ms)"
            )
        print(
            f"speed-up 1 -> 2 worker processes: {times[1] / times[2]:.2f}x "
            f"(cpu_count={os.cpu_count()})"
        )


if __name__ == "__main__":
    main()
