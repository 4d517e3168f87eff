"""Run viewers at scale: one Daphne, N websockets watching one paced run, on loopback.

Starts a throwaway stack (embedded Redis, fresh SQLite, ONE Daphne, one Celery worker) with
scripts/stack.py, then for each stage starts a run paced at 1x by a presenter socket and connects
N viewers from separate client processes (the `websockets` asyncio client; the machine has few
cores, so the clients must not share Daphne's process). Each logged message carries ``at`` (the
wall time the worker produced it); a viewer records now - at for every live message, and checks
that it received seqs 1..last exactly once, resuming with ``?after=`` when its socket drops.

Stages (each bounded in time):
  view-100   100 viewers; in the second half one socket floods (reconnecting whenever it is
             closed with 1008): viewers' p95 before vs during the flood.
  view-500   500 viewers.
  restart    500 viewers; Daphne is SIGKILLed mid-run and started again on the same port; the
             viewers reconnect with full-jitter backoff; time until every one has caught up.

`.venv/bin/python bench/bench_viewers.py [--stages view-100,view-500,restart] [--json out.json]`
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing as mp
import os
import signal
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import psutil
import websockets

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import contextlib

from bench.viewer_clients import collect, flooder_main, quantile, start_clients, summary
from scripts.stack import start_daphne, start_worker, throwaway_stack

BATCH = True  # viewers connect with batch=1, as the studio does (--no-batch: one text a message)
SCENARIO = {
    "format": "topolab/1",
    "name": "bench viewers",
    "nodes": [
        {"id": "users", "kind": "client", "x": 0, "y": 0, "params": {"rate_rps": 200}},
        {"id": "lb", "kind": "load_balancer", "x": 200, "y": 0, "params": {}},
        {"id": "api-1", "kind": "service", "x": 400, "y": -80,
         "params": {"workers": 2, "service_time_ms": 8}},
        {"id": "api-2", "kind": "service", "x": 400, "y": 80,
         "params": {"workers": 2, "service_time_ms": 8}},
    ],
    "edges": [
        {"id": "e1", "source": "users", "target": "lb"},
        {"id": "e2", "source": "lb", "target": "api-1", "params": {"latency_ms": 2}},
        {"id": "e3", "source": "lb", "target": "api-2", "params": {"latency_ms": 2}},
    ],
    "settings": {"duration_s": 20, "warmup_s": 0, "seed": 11},
}  # fmt: skip


def _post(base: str, path: str, body: dict) -> dict:
    request = urllib.request.Request(  # noqa: S310 - loopback only
        base + path, data=json.dumps(body).encode(), method="POST",
        headers={"Content-Type": "application/json"},
    )  # fmt: skip
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        return json.loads(response.read())


# --- server side: stages ----------------------------------------------------------------------


async def _present(ws_url: str, stop: asyncio.Event) -> None:
    """The presenter: paces the run at 1x as the studio does (one pace message a second)."""
    async with websockets.connect(ws_url, max_size=2**24, compression=None) as ws:
        started = time.monotonic()

        async def drain() -> None:
            with contextlib.suppress(websockets.ConnectionClosed):
                async for _ in ws:
                    pass

        drainer = asyncio.create_task(drain())
        while not stop.is_set():
            t = time.monotonic() - started
            await ws.send(json.dumps({"type": "pace", "t": t, "speed": 1}))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), 1.0)
        drainer.cancel()


def _last_seq(base: str, run_id: str) -> int:
    with urllib.request.urlopen(f"{base}/api/runs/{run_id}", timeout=10) as r:  # noqa: S310
        body = json.loads(r.read())
    assert body["status"] == "done", body
    return int(body["last_seq"])


def _cpu_s(stack: Any) -> dict[str, float]:
    """CPU seconds used so far by each server process (the machine is shared: wall-clock
    latency depends on the neighbours, CPU per delivery does not)."""
    out = {}
    for child in stack.children:
        try:
            proc = psutil.Process(child.proc.pid)
            procs = [proc, *proc.children(recursive=True)]
            out[child.name] = sum(p.cpu_times().user + p.cpu_times().system for p in procs)
        except psutil.Error:
            out[child.name] = 0.0
    return out


def stage_view(stack: Any, viewers: int, procs: int, flood: bool) -> dict[str, Any]:
    base = stack.base_url
    cpu0 = _cpu_s(stack)
    sid = _post(base, "/api/scenarios", SCENARIO)["id"]
    started = _post(base, f"/api/scenarios/{sid}/runs", {"paced": True})
    url = base.replace("http://", "ws://") + started["ws_url"]
    duration = SCENARIO["settings"]["duration_s"]

    async def main() -> tuple[list[dict[str, Any]], float, dict[str, int] | None]:
        stop = asyncio.Event()
        presenter = asyncio.create_task(_present(url, stop))  # paces the run from the start
        children, out, ready = start_clients(
            url, viewers, procs, timeout_s=duration + 90, batch=BATCH
        )
        await asyncio.to_thread(ready.wait, 120)
        flood_from, flooded = 0.0, None
        if flood:
            await asyncio.sleep(duration / 2)
            flood_from = time.time() * 1000
            ctx = mp.get_context("spawn")
            fout = ctx.Queue()
            proc = ctx.Process(target=flooder_main, args=(url, time.time() + duration / 3, fout))
            proc.start()
            flooded = await asyncio.to_thread(fout.get, True, 120)
            proc.join(10)
        results = await asyncio.to_thread(collect, children, out)
        stop.set()
        await presenter
        return results, flood_from, flooded

    results, flood_from, flooded = asyncio.run(main())
    last = _last_seq(base, started["run_id"])
    report: dict[str, Any] = {"stage": f"view-{viewers}", "last_seq": last}
    report.update(summary(results, last))
    cpu1 = _cpu_s(stack)
    report["cpu_s"] = {k: round(cpu1[k] - cpu0.get(k, 0.0), 1) for k in cpu1}
    sends = sum(r["last"] for r in results)
    report["cpu_s"]["clients"] = round(sum(r.get("client_cpu_s", 0.0) for r in results), 1)
    report["daphne_cpu_us_per_message"] = round(1e6 * report["cpu_s"]["daphne"] / max(1, sends))
    if flood:
        before = [ms for r in results for at, ms, live, _ in r["lat"] if live and at < flood_from]
        during = [
            ms for r in results for at, ms, live, _ in r["lat"]
            if live and flood_from <= at < flood_from + duration / 3 * 1000
        ]  # fmt: skip
        report["flood"] = {
            "p95_before_ms": round(quantile(before, 0.95), 1),
            "p95_during_ms": round(quantile(during, 0.95), 1),
            **(flooded or {}),
        }
    return report


def stage_restart(stack: Any, viewers: int, procs: int, tmp: Path) -> dict[str, Any]:
    """Kill Daphne mid-run, start it again on the same port; time until all viewers caught up."""
    base = stack.base_url
    port = int(base.rsplit(":", 1)[1])
    sid = _post(
        base, "/api/scenarios", dict(SCENARIO, settings={**SCENARIO["settings"], "duration_s": 40})
    )["id"]
    started = _post(base, f"/api/scenarios/{sid}/runs", {"paced": True})
    url = base.replace("http://", "ws://") + started["ws_url"]

    async def main() -> tuple[list[dict[str, Any]], float, float]:
        stop = asyncio.Event()

        async def present_forever() -> None:  # the presenter reconnects too
            while not stop.is_set():
                try:
                    await _present(url, stop)
                except (OSError, websockets.WebSocketException):
                    await asyncio.sleep(0.5)

        presenter = asyncio.create_task(present_forever())
        children, out, ready = start_clients(url, viewers, procs, timeout_s=150, batch=BATCH)
        await asyncio.to_thread(ready.wait, 120)
        await asyncio.sleep(5)
        daphne = next(c for c in stack.children if c.name == "daphne")
        killed_at = time.time() * 1000
        os.killpg(daphne.proc.pid, signal.SIGKILL)
        daphne.proc.wait(10)
        stack.children.remove(daphne)
        stack.children.append(start_daphne(stack.env, "127.0.0.1", port, tmp / "daphne2.log"))
        restarted_at = time.time() * 1000
        results = await asyncio.to_thread(collect, children, out)
        stop.set()
        presenter.cancel()
        return results, killed_at, restarted_at

    results, killed_at, restarted_at = asyncio.run(main())
    last = _last_seq(base, started["run_id"])
    # Caught up: the first live message (produced after the restart) each viewer received.
    # Reconverged: a viewer has, after the kill, received every seq the worker had produced by
    # the time Daphne was back (the run may even have finished meanwhile).
    produced_by = max(
        (seq for r in results for at, ms, _, seq in r["lat"] if at - ms < restarted_at), default=0
    )
    caught = []
    for r in results:
        back = [at for at, _, _, seq in r["lat"] if at >= killed_at and seq >= produced_by]
        caught.append(min(back) - killed_at if back else float("inf"))
    report: dict[str, Any] = {"stage": f"restart-{viewers}", "last_seq": last}
    report.update(summary(results, last, since_ms=restarted_at + 15_000))  # settled again
    report.update(
        restart_s=round((restarted_at - killed_at) / 1000, 1),
        caught_up_to_seq=produced_by,
        reconverged_s=round(max(caught) / 1000, 1),
        reconverged_p50_s=round(quantile(caught, 0.5) / 1000, 1),
    )
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--stages", default="view-100,view-500,restart")
    parser.add_argument("--viewers-small", type=int, default=100)
    parser.add_argument("--viewers-large", type=int, default=500)
    parser.add_argument("--client-procs", type=int, default=2)
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--no-batch", action="store_true", help="one websocket message a text")
    args = parser.parse_args()
    global BATCH
    BATCH = not args.no_batch
    stages = args.stages.split(",")
    reports = []
    with throwaway_stack() as (stack, tmp):
        stack.children.append(
            start_worker(stack.env, tmp / "worker.log", concurrency=1, beat=False)
        )
        for stage in stages:
            if stage == "view-100":
                reports.append(stage_view(stack, args.viewers_small, args.client_procs, flood=True))
            elif stage == "view-500":
                reports.append(
                    stage_view(stack, args.viewers_large, args.client_procs, flood=False)
                )
            elif stage == "restart":
                reports.append(stage_restart(stack, args.viewers_large, args.client_procs, tmp))
            else:
                raise SystemExit(f"unknown stage {stage!r}")
            reports[-1]["load_avg_1m"] = round(os.getloadavg()[0], 1)
            print(json.dumps(reports[-1]), flush=True)
    print(
        f"machine: {os.cpu_count()} cores (shared); one Daphne, one worker, "
        f"clients in {args.client_procs} processes"
    )
    if args.json:
        args.json.write_text(json.dumps(reports, indent=2))


if __name__ == "__main__":
    main()
