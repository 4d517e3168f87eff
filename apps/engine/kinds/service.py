"""`service`: a multi-server FIFO queue (G/G/c) that may call downstream services.

Model: `workers` servers share one FIFO queue of at most `queue_capacity` waiting requests
(unbounded by default; a request arriving to a full queue is rejected with an error, which the
client counts as failed). A worker takes the oldest waiting request, works for a service time
drawn from `service_time_dist` with mean `service_time_ms` (times the `slow` factor set by a
fault), then, if the service has outgoing edges, calls each target in turn (edge order of the
scenario), still holding the worker, and waits for each answer; an error or a timeout
(`timeout_ms`, none by default) from a target ends the request with an error. Then it replies
and the worker takes the next request. With `downstream: forward` it is a pipeline stage
instead: after its service time it frees the worker and passes the request on to one target
(round robin), relaying that target's answer back to its caller when it comes (a Jackson
tandem is client -> forward -> forward -> leaf). With `downstream: parallel` it calls every
target at once after its service time and replies when all have answered (the first error or
timeout ends the request with an error; later answers are ignored). `error_rate` fails a
request with that probability after its service time (no downstream calls). A service's
latency is always its own wait plus the time it held a worker.

A crash drops everything: waiting and in-service requests get an error right away (connection
reset) and answers to their downstream calls are ignored; while down, requests are refused with
an error. Restart brings back empty queues and idle workers.

Metrics: arrival, start and end of every finished request go to three `array('d')` columns;
queue length is integrated over time in model code (the only inline fold) for the time-average
queue; utilization is busy time / (workers * window).
"""

from __future__ import annotations

import math
from array import array
from collections import deque
from heapq import heappush
from math import log
from typing import Literal

from apps.engine.kernel import PRIO_MODEL
from apps.engine.kinds.base import Call, Node, SubCall, World, close_span, new_call
from apps.engine.kinds.pool import drop_all
from apps.engine.kinds.service_hot import HotPaths
from apps.engine.metrics import busy_time, mean_p99, overlap, rnd, spans
from apps.engine.network import K_ERROR, K_REQUEST, K_RESPONSE, K_TIMEOUT, MAX_DIRECT_DEPTH, Link
from apps.engine.params import LIMITS, Strict, param
from apps.engine.rng import substream

Dist = Literal["exponential", "constant", "lognormal", "uniform"]


class ServiceParams(Strict):
    workers: int = param(1, "Parallel workers (c)", ge=1, le=LIMITS["max_workers"])
    service_time_ms: float = param(
        10.0, "Mean service time of one request", unit="ms", gt=0, le=LIMITS["max_time_ms"]
    )
    service_time_dist: Dist = param(
        "exponential",
        "Service time distribution: exponential, constant, lognormal (with service_time_cv) "
        "or uniform on [0, 2 x mean]",
    )
    service_time_cv: float = param(
        1.0, "Coefficient of variation of the lognormal distribution", gt=0, le=10
    )
    queue_capacity: int | None = param(
        None,
        "Most requests that may wait (none: unbounded); more are rejected",
        ge=0,
        le=LIMITS["max_queue_capacity"],
    )
    timeout_ms: float | None = param(
        None,
        "Give up on a downstream call after this long (none: wait forever)",
        unit="ms",
        gt=0,
        le=LIMITS["max_time_ms"],
    )
    request_bytes: int = param(
        1024,
        "Size of the requests it sends downstream",
        unit="B",
        ge=0,
        le=LIMITS["max_message_bytes"],
    )
    downstream: Literal["call", "parallel", "forward"] = param(
        "call",
        "With outgoing edges: 'call' holds the worker and calls every target in turn, then "
        "replies (synchronous RPC); 'parallel' holds the worker and calls every target at once, "
        "replying when all have answered (fan-out); 'forward' frees the worker and passes the "
        "request to one target (round robin), relaying its answer back (a pipeline stage)",
    )
    error_rate: float = param(
        0.0, "Probability that a request fails (answered with an error after its work)", ge=0, le=1
    )
    response_bytes: int = param(
        1024,
        "Response size, for bandwidth-limited links",
        unit="B",
        ge=0,
        le=LIMITS["max_message_bytes"],
    )


def make_sampler(p: ServiceParams, rng) -> callable:
    """A zero-argument function drawing one service time in seconds."""
    mean = p.service_time_ms / 1000.0
    dist = p.service_time_dist
    if dist == "exponential":
        # the same arithmetic as the inlined hot path in Service (and random.expovariate)
        rand = rng.random
        return lambda: -log(1.0 - rand()) * mean
    if dist == "constant":
        return lambda: mean
    if dist == "uniform":
        uni, hi = rng.random, 2.0 * mean
        return lambda: uni() * hi
    sigma2 = math.log(1.0 + p.service_time_cv**2)
    mu, sigma = math.log(mean) - sigma2 / 2.0, math.sqrt(sigma2)
    logn = rng.lognormvariate
    return lambda: logn(mu, sigma)


class Service(HotPaths, Node):
    KIND = "service"
    Params = ServiceParams

    __slots__ = (
        "active",
        "busy",
        "busy_extra",
        "c",
        "cap",
        "draw",
        "dropped",
        "err",
        "errors",
        "expo_mean",
        "f_arr",
        "f_en",
        "f_st",
        "forward",
        "parallel",
        "qarea",
        "qlast",
        "qmax",
        "qsize",
        "queue",
        "random",
        "refused",
        "rejected",
        "rr",
        "rsize",
        "to",
        "worked_cb",
    )

    def __init__(self, world: World, spec, index: int) -> None:
        super().__init__(world, spec, index)
        p: ServiceParams = spec.params
        rng = substream(world.seed, f"node:{spec.id}")
        self.draw = make_sampler(p, rng)
        self.random = rng.random
        exponential = p.service_time_dist == "exponential"
        self.expo_mean = p.service_time_ms / 1000.0 if exponential else 0.0
        self.c = p.workers
        self.cap = p.queue_capacity
        self.to = None if p.timeout_ms is None else p.timeout_ms / 1000.0
        self.rsize = p.response_bytes
        self.qsize = p.request_bytes
        self.forward = p.downstream == "forward"
        self.parallel = p.downstream == "parallel"
        self.err = p.error_rate
        self.rr = 0
        self.worked_cb = self._worked  # set again by start(): edges are known then

    def start(self) -> None:
        if self.err or (self.out and not self.forward):
            self.worked_cb = self._worked
        else:
            self.worked_cb = self._worked_fwd if self.out else self._worked_leaf
        self.queue: deque[Call] = deque()
        self.active: dict[Call, None] = {}  # in service, insertion ordered (deterministic)
        self.busy = 0
        self.f_arr, self.f_st, self.f_en = array("d"), array("d"), array("d")
        self.qarea = self.qlast = 0.0
        self.qmax = 0
        self.busy_extra = 0.0
        self.rejected = self.refused = self.dropped = self.errors = 0

    # request path ------------------------------------------------------------------------------
    def on_request(self, call: Call) -> None:
        if not self.up:
            self.refused += 1
            self.reply(call, False)
            return
        now = self.k.now
        call.t_arr = now
        if self.busy < self.c:
            self.busy += 1
            call.t_st = now
            self.active[call] = None
            m = self.expo_mean  # exponential draw inlined (random.expovariate): hot path
            d = -log(1.0 - self.random()) * m if m else self.draw()
            heappush(
                self.heap, (now + d * self.slow, PRIO_MODEL, next(self.seq), self.worked_cb, call)
            )
            return
        q = self.queue
        n = len(q)
        if self.cap is not None and n >= self.cap:
            self.rejected += 1
            self.reply(call, False)
            return
        self.qarea += n * (now - self.qlast)
        self.qlast = now
        q.append(call)
        if n >= self.qmax:
            self.qmax = n + 1

    def _worked(self, call: Call) -> None:
        if call not in self.active:
            return  # crashed meanwhile
        if self.err and self.random() < self.err:
            self._finish(call, False)
            return
        if not self.out:
            self._finish(call, True)
            return
        if self.parallel:
            call.step = len(self.out)  # answers still awaited
            for link in self.out:
                self._send_sub(link, call)
            return
        if not self.forward:
            call.step = 0
            self._call(call)
            return
        now = self.k.now
        self._record(call, now)
        out = self.out
        link = out[self.rr]
        self.rr = (self.rr + 1) % len(out)
        self._send_sub(link, call)
        self._next_job(now)

    def _call(self, parent: Call) -> None:
        self._send_sub(self.out[parent.step], parent)

    def _send_sub(self, link: Link, parent: Call) -> None:
        if parent.tr is None:  # Call(self, link, parent, parent.req) without reading req
            sub = new_call(SubCall)
            sub.caller = self
            sub.link = link
            sub.ctx = parent
            sub.done = False
            sub.tr = None
        else:
            sub = Call(self, link, parent, parent.req)
        if self.to is not None:
            t = self.k.now + self.to
            heappush(self.heap, (t, PRIO_MODEL, next(self.seq), self._timeout, sub))
        self.request(link, sub, K_REQUEST, self.qsize)

    def on_reply(self, sub: Call) -> None:
        if sub.done:
            return
        sub.done = True
        parent: Call = sub.ctx
        if self.forward:  # `_relay` + `Node.reply` fused (zero-latency send inlined): hot path
            if not self.up:
                return  # lost while down
            ok = sub.ok
            if not ok:
                self.errors += 1
            parent.ok = ok
            if parent.tr is not None:
                close_span(parent, self.k.now, ok)
            link = parent.link
            net = self.net
            if link.direct and net.depth < MAX_DIRECT_DEPTH:
                rec = net.rec
                if rec is not None:
                    rec.append((self.k.now, 0.0, link.cr, K_RESPONSE if ok else K_ERROR))
                net.depth += 1
                parent.caller.on_reply(parent)
                net.depth -= 1
            else:
                kind = K_RESPONSE if ok else K_ERROR
                net.send(link, False, kind, parent.caller.on_reply, parent, self.rsize)
            return
        if parent not in self.active:
            return
        if not sub.ok:
            self._finish(parent, False)
            return
        if self.parallel:
            parent.step -= 1
            if parent.step == 0:
                self._finish(parent, True)
            return
        parent.step += 1
        if parent.step < len(self.out):
            self._call(parent)
        else:
            self._finish(parent, True)

    def _timeout(self, sub: Call) -> None:
        if sub.done:
            return
        sub.done = True
        self.net.mark(self, K_TIMEOUT)
        parent: Call = sub.ctx
        if self.forward:
            self._relay(parent, False)
        elif parent in self.active:
            self._finish(parent, False)

    def _relay(self, parent: Call, ok: bool) -> None:
        """Forward mode: pass the downstream answer back to our caller (lost while down)."""
        if self.up:
            if not ok:
                self.errors += 1
            self.reply(parent, ok, self.rsize)

    def _finish(self, call: Call, ok: bool) -> None:
        """Record, answer, and hand the worker to the oldest waiting request."""
        now = self.k.now
        self._record(call, now)
        if not ok:
            self.errors += 1
        self.reply(call, ok, self.rsize)
        self._next_job(now)

    def _record(self, call: Call, now: float) -> None:
        del self.active[call]
        self.f_arr.append(call.t_arr)
        self.f_st.append(call.t_st)
        self.f_en.append(now)

    def _next_job(self, now: float) -> None:
        """A worker is free: give it the oldest waiting request, or mark it idle."""
        q = self.queue
        if not q:
            self.busy -= 1
            return
        self.qarea += len(q) * (now - self.qlast)
        self.qlast = now
        nxt = q.popleft()
        nxt.t_st = now
        self.active[nxt] = None
        d = self.draw() * self.slow
        heappush(self.heap, (now + d, PRIO_MODEL, next(self.seq), self.worked_cb, nxt))

    # faults ------------------------------------------------------------------------------------
    def crash(self) -> None:
        if not self.up:
            return
        self.up = False
        drop_all(self)

    def restart(self) -> None:
        self.up = True

    # observation -------------------------------------------------------------------------------
    def reset_window(self) -> None:
        self.qarea = 0.0
        self.qlast = self.k.now
        self.qmax = len(self.queue)

    def state(self) -> tuple[int, int, int]:
        return len(self.queue), self.busy, 1 if self.up else 0

    def result(self, end: float) -> dict:
        w = min(self.world.warmup, end)
        span = end - w
        arr, st, en = self.f_arr, self.f_st, self.f_en
        wait = spans(arr, st, w)
        lat = spans(arr, en, w)
        busy = busy_time(st, en, w) + self.busy_extra
        busy += math.fsum(overlap(c.t_st, end, w, end) for c in self.active)
        qarea = self.qarea + len(self.queue) * (end - self.qlast)
        return {
            "kind": self.KIND,
            "throughput_rps": rnd(len(lat) / span) if span > 0 else 0.0,
            "utilization": rnd(busy / (self.c * span)) if span > 0 else 0.0,
            "wait_ms": mean_p99(wait, 1000.0),
            "latency_ms": mean_p99(lat, 1000.0),
            "queue": {"mean": rnd(qarea / span) if span > 0 else 0.0, "max": self.qmax},
            "completed": len(lat),
            "rejected": self.rejected,
            "refused": self.refused,
            "dropped": self.dropped,
            "errors": self.errors,
        }
