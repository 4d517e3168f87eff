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

Metrics: every finished request that arrived at or after the warmup appends (wait, latency) to
a `Tape`, folded at the end into means and p99s and into the two time integrals: the queue
length's (for the time-average queue) is the sum of the waits after the warmup, busy time's
(utilization = busy time / (workers * window)) the sum of the services (latency - wait). What
the tape cannot hold is added apart (`_off_tape`): requests that arrived before the warmup,
dropped ones, and those still waiting or in service at the end.
"""

from __future__ import annotations

import math
from collections import deque
from heapq import heapify, heappush
from math import log1p
from operator import itemgetter

from apps.engine.kernel import PRIO_MODEL
from apps.engine.kinds.base import Call, Node, SubCall, World, close_span
from apps.engine.kinds.pool import drop_all
from apps.engine.kinds.service_hot import HotPaths
from apps.engine.kinds.service_params import ServiceParams, make_sampler
from apps.engine.metrics import after, mean_p99, rnd
from apps.engine.network import K_ERROR, K_REQUEST, K_RESPONSE, K_TIMEOUT, MAX_DIRECT_DEPTH, Link
from apps.engine.rng import substream


class Service(HotPaths, Node):
    KIND = "service"
    Params = ServiceParams

    __slots__ = (
        "active",
        "busy",
        "busy_x",
        "c",
        "cap",
        "draw",
        "dropped",
        "err",
        "errors",
        "expo_base",
        "expo_mean",
        "forward",
        "link1",
        "parallel",
        "qmax",
        "qsize",
        "queue",
        "random",
        "refused",
        "rejected",
        "rows",
        "rr",
        "rsize",
        "since",
        "tape",
        "to",
        "track",
        "wait_x",
        "worked_cb",
    )

    def __init__(self, world: World, spec, index: int) -> None:
        super().__init__(world, spec, index)
        p: ServiceParams = spec.params
        rng = substream(world.seed, f"node:{spec.id}")
        self.draw = make_sampler(p, rng)
        self.random = rng.random
        exponential = p.service_time_dist == "exponential"
        self.expo_base = p.service_time_ms / 1000.0 if exponential else 0.0
        self.expo_mean = self.expo_base  # times the slow factor (see set_slow)
        self.c = p.workers
        self.cap = p.queue_capacity
        self.to = None if p.timeout_ms is None else p.timeout_ms / 1000.0
        self.rsize = p.response_bytes
        self.qsize = p.request_bytes
        self.forward = p.downstream == "forward"
        self.parallel = p.downstream == "parallel"
        self.err = p.error_rate
        self.rr = 0
        self.since = world.warmup  # requests that arrive earlier are not recorded
        self.worked_cb = self._worked  # set again by start(): edges are known then

    def start(self) -> None:
        # The fused hot paths (leaf, forward) free the worker when the service time is up, so
        # a call holds a worker exactly while its worked_cb entry waits in the heap: they keep
        # no `active` dict (see `_running`). The other modes hold workers across downstream
        # calls and track them in `active`.
        self.track = bool(self.err or (self.out and not self.forward))
        self.link1 = self.out[0] if len(self.out) == 1 else None  # None: round robin
        if self.track:
            self.worked_cb = self._worked
        else:
            self.worked_cb = self._worked_fwd if self.out else self._worked_leaf
        self.queue: deque[Call] = deque()
        self.active: dict[Call, None] = {}  # in service, insertion ordered (deterministic)
        self.busy = 0
        self.tape = self.world.tape(2)  # (wait, latency) of finished requests arrived >= since
        self.rows = self.tape.rows  # hot paths append here (see Tape)
        self.wait_x = self.busy_x = 0.0  # waits and services not on the tape (see _off_tape)
        self.qmax = 0
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
            if self.track:
                self.active[call] = None
            m = self.expo_mean  # exponential draw inlined (see make_sampler): hot path
            d = -log1p(-self.random()) * m if m else self.draw() * self.slow
            heappush(self.heap, (now + d, PRIO_MODEL, next(self.seq), self.worked_cb, call))
            return
        q = self.queue
        n = len(q)
        if self.cap is not None and n >= self.cap:
            self.rejected += 1
            self.reply(call, False)
            return
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
            sub = SubCall()
            sub.caller = self
            sub.link = link
            sub.ctx = parent
            sub.done = False
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
        del self.active[call]  # only tracked modes come here
        arr = call.t_arr
        if arr >= self.since:
            rows = self.rows
            rows.append(call.t_st - arr)
            rows.append(now - arr)
        else:
            self._off_tape(arr, call.t_st, now)

    def _off_tape(self, arr: float, st: float, left: float) -> None:
        """Add what the tape misses of a request that arrived at `arr`, started at `st` (`left`
        if it never did) and left at `left`: its wait and service after the warmup. For the
        requests that arrived before the warmup and those a crash drops."""
        wait, service = after(arr, st, left, self.since)
        self.wait_x += wait
        self.busy_x += service

    def _next_job(self, now: float) -> None:
        """A worker is free: give it the oldest waiting request, or mark it idle."""
        q = self.queue
        if not q:
            self.busy -= 1
            return
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
        now = self.k.now
        running = self._running()
        for call in running:
            self._off_tape(call.t_arr, call.t_st, now)
        for call in self.queue:
            self._off_tape(call.t_arr, now, now)
        if self.track:
            self.active.clear()
        else:  # their worked_cb entries must not fire
            cb = self.worked_cb
            heap = self.heap
            heap[:] = [e for e in heap if e[3] is not cb]
            heapify(heap)
        drop_all(self, running)

    def restart(self) -> None:
        self.up = True

    def set_slow(self, factor: float) -> None:
        self.slow = factor
        self.expo_mean = self.expo_base * factor

    def _running(self) -> list[Call]:
        """The calls holding a worker, in the order they started."""
        if self.track:
            return list(self.active)
        cb = self.worked_cb  # see start(): one heap entry per running call, seq = start order
        return [e[4] for e in sorted((e for e in self.heap if e[3] is cb), key=itemgetter(2))]

    # observation -------------------------------------------------------------------------------
    def reset_window(self) -> None:
        self.qmax = len(self.queue)

    def state(self) -> tuple[int, int, int]:
        return len(self.queue), self.busy, 1 if self.up else 0

    def result(self, end: float) -> dict:
        w = min(self.world.warmup, end)
        span = end - w
        wait, lat = self.tape.column(0), self.tape.column(1)
        # time integrals: the queue length's is the sum of the waits, busy time the sum of the
        # services (latency - wait), each after the warmup; the tape has those of the requests
        # that arrived after it and finished, the rest is off the tape or still under way
        sw, sl = sum(wait), sum(lat)
        under_way = [after(c.t_arr, c.t_st, end, w) for c in self._running()]
        under_way += [after(c.t_arr, end, end, w) for c in self.queue]
        qarea = sw + self.wait_x + math.fsum(p[0] for p in under_way)
        busy = sl - sw + self.busy_x + math.fsum(p[1] for p in under_way)
        return {
            "kind": self.KIND,
            "throughput_rps": rnd(len(lat) / span) if span > 0 else 0.0,
            "utilization": rnd(busy / (self.c * span)) if span > 0 else 0.0,
            "wait_ms": mean_p99(wait, 1000.0, sw),
            "latency_ms": mean_p99(lat, 1000.0, sl),
            "queue": {"mean": rnd(qarea / span) if span > 0 else 0.0, "max": self.qmax},
            "completed": len(lat),
            "rejected": self.rejected,
            "refused": self.refused,
            "dropped": self.dropped,
            "errors": self.errors,
        }
