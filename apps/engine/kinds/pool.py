"""A connection pool: the FIFO c-server queue a `database` runs its queries on.

Model: `c` connections serve queries at once; more wait in one FIFO queue of at most `cap`
(None: unbounded; a query arriving to a full queue gets an error). A query's time is drawn per
operation (`means[req.op]`: read or write), exponential or constant, times the node's `slow`
factor. A subclass gets `_worked(call)` when a query's time is up and ends it with
`_finish(call, ok)`, which records it, answers it and hands the connection on. The same queue
discipline as `service` (G/G/c), so Erlang C applies to a pool of exponential queries.

Metrics: (arrival, start, end, op) of every finished query in compact arrays; queue length
integrated over time; busy time for utilisation. `_drop_all` is the crash path: everything
queued or running gets an error at once (connection reset).
"""

from __future__ import annotations

import math
from array import array
from collections import deque
from math import log

from apps.engine.kinds.base import Call, Node, Req, World
from apps.engine.metrics import busy_time, mean_p99, overlap, rnd, spans
from apps.engine.rng import substream


def drop_all(node: Node, running: list[Call]) -> None:
    """The crash path of a queue served by c workers (a `Pool` or a `Service`): everything
    queued or `running` is answered with an error and the workers are freed. The caller has
    already taken `running` out of its bookkeeping and closed its queue and busy integrals
    (each kind keeps them its own way)."""
    queued = list(node.queue)
    node.queue.clear()
    node.busy = 0
    for call in queued:
        node.dropped += 1
        node.reply(call, False)
    for call in running:
        node.dropped += 1
        node.reply(call, False)


class Pool(Node):
    """Base class: a node that serves requests on a pool of connections."""

    __slots__ = (
        "active", "busy", "busy_extra", "c", "cap", "dist", "dropped", "f_arr", "f_en", "f_op",
        "f_st", "means", "qarea", "qlast", "qmax", "queue", "random", "rejected", "rsize",
    )  # fmt: skip

    def __init__(self, world: World, spec, index: int) -> None:
        super().__init__(world, spec, index)
        self.random = substream(world.seed, f"node:{spec.id}").random
        self.c = 1
        self.cap: int | None = None
        self.means = (0.001, 0.001)  # mean seconds per op: (read, write)
        self.dist = True  # exponential (else constant)
        self.rsize = 1024
        self.queue: deque[Call] = deque()
        self.active: dict[Call, None] = {}  # running, insertion ordered (deterministic)
        self.busy = 0
        self.busy_extra = 0.0
        self.f_arr, self.f_st, self.f_en, self.f_op = array("d"), array("d"), array("d"), array("b")
        self.qarea = self.qlast = 0.0
        self.qmax = self.rejected = self.dropped = 0

    def reset_window(self) -> None:
        self.qarea, self.qlast = 0.0, self.k.now
        self.qmax = len(self.queue)
        self.rejected = self.dropped = 0

    def _admit(self, call: Call) -> None:
        now = self.k.now
        call.t_arr = now
        if self.busy < self.c:
            self.busy += 1
            self._begin(call, now)
            return
        q = self.queue
        if self.cap is not None and len(q) >= self.cap:
            self.rejected += 1
            self.reply(call, False)
            return
        self.qarea += len(q) * (now - self.qlast)
        self.qlast = now
        q.append(call)
        self.qmax = max(self.qmax, len(q))

    def _begin(self, call: Call, now: float) -> None:
        call.t_st = now
        self.active[call] = None
        m = self.means[call.req.op]
        d = -log(1.0 - self.random()) * m if self.dist else m
        self.k.schedule(d * self.slow, self._worked, call)

    def _worked(self, call: Call) -> None:
        if call in self.active:
            self._finish(call, True)

    def _finish(self, call: Call, ok: bool) -> None:
        now = self.k.now
        del self.active[call]
        self.f_arr.append(call.t_arr)
        self.f_st.append(call.t_st)
        self.f_en.append(now)
        self.f_op.append(call.req.op)
        self.reply(call, ok, self.rsize)
        q = self.queue
        if q:
            self.qarea += len(q) * (now - self.qlast)
            self.qlast = now
            self._begin(q.popleft(), now)
        else:
            self.busy -= 1

    def _drop_all(self) -> None:
        """Crash: answer everything queued or running with an error, free the pool."""
        now, lo = self.k.now, self.world.warmup
        self.qarea += len(self.queue) * (now - self.qlast)
        self.qlast = now
        running = list(self.active)
        for call in running:
            self.busy_extra += overlap(call.t_st, now, lo, now)
        self.active.clear()
        drop_all(self, running)

    def pool_result(self, end: float) -> dict:
        """Throughput, utilisation, wait, latency (all / reads / writes), queue, counts."""
        w = min(self.world.warmup, end)
        span = end - w
        arr, st, en, op = self.f_arr, self.f_st, self.f_en, self.f_op
        busy = busy_time(st, en, w) + self.busy_extra
        busy += math.fsum(overlap(c.t_st, end, w, end) for c in self.active)
        qarea = self.qarea + len(self.queue) * (end - self.qlast)
        lat = spans(arr, en, w)
        by_op = [
            [d for d, a, o in zip(map(float.__sub__, en, arr), arr, op, strict=True)
             if a >= w and o == want]
            for want in (Req.READ, Req.WRITE)
        ]  # fmt: skip
        return {
            "throughput_rps": rnd(len(lat) / span) if span > 0 else 0.0,
            "utilization": rnd(busy / (self.c * span)) if span > 0 else 0.0,
            "wait_ms": mean_p99(spans(arr, st, w), 1000.0),
            "latency_ms": mean_p99(lat, 1000.0),
            "read_latency_ms": mean_p99(by_op[0], 1000.0),
            "write_latency_ms": mean_p99(by_op[1], 1000.0),
            "queue": {"mean": rnd(qarea / span) if span > 0 else 0.0, "max": self.qmax},
            "reads": len(by_op[0]),
            "writes": len(by_op[1]),
            "rejected": self.rejected,
            "dropped": self.dropped,
        }
