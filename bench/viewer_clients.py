"""The client side of bench/bench_viewers.py: viewers and a flooder, run in child processes.

A ``Viewer`` behaves like the studio's run socket: it resumes with ``?after=`` when its socket
drops (full-jitter backoff capped at 8 s, like frontend/src/net/socket.ts), and records for each
logged message the latency from its ``at`` stamp, whether it arrived live or as history, and any
duplicate or gap. ``summary`` folds the viewers' records into the figures the bench prints.
"""

from __future__ import annotations

import asyncio
import multiprocessing as mp
import random
import re
import time
from typing import Any

import websockets

_SEQ_AT = re.compile(r'"seq":(\d+),"at":([0-9.]+)')


def quantile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(p * len(values)))]


# --- client side (runs in child processes) ----------------------------------------------------


class Viewer:
    """One browser-like viewer: resumes after drops, records latencies (wall ms) and gaps."""

    def __init__(self, url: str, batch: bool) -> None:
        self.url = url
        self.batch = batch
        self.last = 0
        self.done = False
        self.lat: list[tuple[float, float, bool, int]] = []  # received, latency, live, seq
        self.dups = self.gaps = self.reconnects = 0
        self.closes: dict[str, int] = {}
        self.connected_at: list[float] = []

    def take(self, text: str, now_ms: float) -> None:
        """One websocket message: a logged message, or a ``batch`` of them (``batch=1``)."""
        for m in _SEQ_AT.finditer(text):
            seq = int(m.group(1))
            if seq <= self.last:
                self.dups += 1
                continue
            if seq > self.last + 1:
                self.gaps += 1  # the server fills gaps itself: this would be unexplained
            self.last = seq
            produced = float(m.group(2))
            # (received, latency, live): live unless produced before this connection opened
            # (then it came from the log as history on a (re)connect).
            self.lat.append((now_ms, now_ms - produced, produced >= self.connected_at[-1], seq))
        if ('{"type":"done"' in text or '{"type":"error"' in text) and '"status"' in text:
            self.done = True

    async def run(self, deadline: float) -> None:
        attempt = 0
        while not self.done and time.monotonic() < deadline:
            try:
                async with websockets.connect(
                    f"{self.url}?after={self.last}&batch={int(self.batch)}",
                    open_timeout=20, max_size=2**24, compression=None, ping_interval=None,
                ) as ws:  # fmt: skip
                    attempt = 0
                    self.connected_at.append(time.time() * 1000)
                    async for text in ws:
                        self.take(text, time.time() * 1000)
                        if self.done:
                            return
            except websockets.ConnectionClosed as exc:
                code = str(exc.rcvd.code if exc.rcvd else 1006)
                self.closes[code] = self.closes.get(code, 0) + 1
            except (TimeoutError, OSError, websockets.WebSocketException) as exc:
                self.closes[type(exc).__name__] = self.closes.get(type(exc).__name__, 0) + 1
            if self.done:
                return
            self.reconnects += 1
            cap = min(8.0, 0.5 * 2 ** min(attempt, 10))  # full jitter, like net/socket.ts
            attempt += 1
            await asyncio.sleep(max(0.1, random.random() * cap))


def client_main(url: str, count: int, timeout_s: float, out: Any, ready: Any, batch: bool) -> None:
    async def main() -> list[dict[str, Any]]:
        viewers = [Viewer(url, batch) for _ in range(count)]
        deadline = time.monotonic() + timeout_s
        tasks = []
        for i, v in enumerate(viewers):
            tasks.append(asyncio.create_task(v.run(deadline)))
            if i % 25 == 24:
                await asyncio.sleep(0.05)  # a class joins over seconds, not in one instant
        while sum(bool(v.connected_at) for v in viewers) < count and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        ready.set()
        await asyncio.wait(tasks, timeout=max(1.0, deadline - time.monotonic()))
        return [
            {"last": v.last, "done": v.done, "lat": v.lat, "dups": v.dups, "gaps": v.gaps,
             "reconnects": v.reconnects, "connected_at": v.connected_at,
             "closes": v.closes}
            for v in viewers
        ]  # fmt: skip

    cpu0 = time.process_time()
    results = asyncio.run(main())
    results[0]["client_cpu_s"] = time.process_time() - cpu0
    out.put(results)


def flooder_main(url: str, stop_at: float, out: Any) -> None:
    """Pings as fast as it can; when closed (1008), reconnects and floods again."""

    async def main() -> dict[str, int]:
        closes: dict[str, int] = {}
        sent = connections = 0
        while time.time() < stop_at:
            try:
                async with websockets.connect(f"{url}?after=1000000000", open_timeout=10) as ws:
                    connections += 1
                    until = min(stop_at, time.time() + 1.0)
                    while time.time() < until:  # flood for a second without reading
                        await ws.send('{"type":"ping"}')
                        sent += 1
                        if sent % 50 == 0:
                            await asyncio.sleep(0)
                    while True:  # then read what came back, up to the close
                        await asyncio.wait_for(ws.recv(), 1.0)
            except websockets.ConnectionClosed as exc:
                code = str(exc.rcvd.code if exc.rcvd else 1006)
                closes[code] = closes.get(code, 0) + 1
            except (OSError, websockets.WebSocketException, TimeoutError) as exc:
                closes[type(exc).__name__] = closes.get(type(exc).__name__, 0) + 1
        return {
            "sent": sent,
            "connections": connections,
            **{f"closed_{k}": v for k, v in closes.items()},
        }

    out.put(asyncio.run(main()))


def start_clients(
    url: str, viewers: int, procs: int, timeout_s: float, batch: bool
) -> tuple[list, Any, Any]:
    ctx = mp.get_context("spawn")
    out, ready = ctx.Queue(), ctx.Event()
    per = [viewers // procs + (1 if i < viewers % procs else 0) for i in range(procs)]
    children = [
        ctx.Process(target=client_main, args=(url, n, timeout_s, out, ready, batch)) for n in per
    ]
    for c in children:
        c.start()
    return children, out, ready


def collect(children: list, out: Any) -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = []
    for _ in children:
        results += out.get(timeout=300)
    for c in children:
        c.join(timeout=10)
    return results


def _merge(counts: Any) -> dict[str, int]:
    total: dict[str, int] = {}
    for c in counts:
        for k, v in c.items():
            total[k] = total.get(k, 0) + v
    return total


def summary(results: list[dict[str, Any]], last_seq: int, since_ms: float = 0.0) -> dict:
    lat = [ms for r in results for at, ms, live, _ in r["lat"] if live and at >= since_ms]
    # Steady state: from 5 s after the first delivery (a paced run starts with a burst of the
    # 2 s the worker computes ahead of the playhead, delivered to everyone at once).
    first = min((at for r in results for at, _, _, _ in r["lat"]), default=0.0)
    start = max(since_ms, first + 5000)
    steady = [ms for r in results for at, ms, live, _ in r["lat"] if live and at >= start]
    pcts = {f"p{round(p * 100)}_ms": p for p in (0.5, 0.95, 0.99)}
    return {
        **{f"steady_{k}": round(quantile(steady, p), 1) for k, p in pcts.items()},
        "viewers": len(results),
        "complete": sum(r["last"] == last_seq and r["done"] for r in results),
        "deliveries": len(lat),
        **{k: round(quantile(lat, p), 1) for k, p in pcts.items()},
        "max_ms": round(max(lat, default=float("nan")), 1),
        "gaps": sum(r["gaps"] for r in results), "duplicates": sum(r["dups"] for r in results),
        "reconnects": sum(r["reconnects"] for r in results),
        "drops": _merge(r["closes"] for r in results),
    }  # fmt: skip
