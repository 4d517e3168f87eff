"""`client`: an open workload that sends requests and measures what its users see.

Model: arrivals are a Poisson process of rate `rate_rps` (or evenly spaced with
`arrival: constant`), generated lazily one at a time. Each request goes out over the client's
outgoing edges in turn (round robin, in scenario order of the edges). A request that gets an
error, or no answer within `timeout_ms`, is sent again (message kind `retry`, on the next edge in
the rotation) up to `retries` times, then counts as failed. Latency is end to end: from the first
send to the final successful response, retries included. A late answer to an attempt that timed
out is ignored. A client with no outgoing edge sends nothing. While a client is down it sends
nothing, and answers that reach it count as failed.

Metrics are folds over compact arrays: (first send, end) of completed requests and first send of
failed ones, plus a count of issued requests (and its value at the warmup boundary); `result()`
keeps requests issued at or after `settings.warmup_s`.
"""

from __future__ import annotations

from array import array
from heapq import heappush
from math import log
from typing import Literal

from apps.engine.kernel import PRIO_MODEL
from apps.engine.kinds.base import Call, Node, Req, World
from apps.engine.metrics import count_at_least, rnd, spans, summary
from apps.engine.network import K_REQUEST, K_RETRY, K_TIMEOUT, MAX_DIRECT_DEPTH
from apps.engine.params import LIMITS, Strict, param
from apps.engine.rng import substream
from apps.engine.workload import KeySampler


class ClientParams(Strict):
    rate_rps: float = param(
        10.0, "Mean request rate of the open workload", unit="rps", gt=0, le=LIMITS["max_rate_rps"]
    )
    arrival: Literal["poisson", "constant"] = param(
        "poisson", "Arrival process: Poisson (exponential gaps) or evenly spaced"
    )
    timeout_ms: float | None = param(
        None,
        "Give up on an attempt after this long (none: wait forever)",
        unit="ms",
        gt=0,
        le=LIMITS["max_time_ms"],
    )
    retries: int = param(
        0, "Extra attempts after an error or timeout", ge=0, le=LIMITS["max_retries"]
    )
    request_bytes: int = param(
        1024,
        "Request size, for bandwidth-limited links",
        unit="B",
        ge=0,
        le=LIMITS["max_message_bytes"],
    )
    read_ratio: float = param(
        1.0, "Fraction of requests that are reads (the rest are writes)", ge=0, le=1
    )
    keys: int = param(1000, "Number of distinct keys requests address", ge=1, le=LIMITS["max_keys"])
    key_dist: Literal["uniform", "zipf"] = param(
        "uniform", "Key popularity: every key alike, or Zipf (a few hot keys)"
    )
    zipf_s: float = param(1.0, "Zipf exponent: key k is chosen with weight 1/k^s", gt=0, le=5)
    sessions: int = param(
        1000, "Distinct user sessions (for sticky balancing)", ge=1, le=LIMITS["max_keys"]
    )


class Client(Node):
    KIND = "client"
    Params = ClientParams

    __slots__ = (
        "arrive_cb",
        "done_t0",
        "done_t1",
        "fail_t0",
        "gap",
        "issued",
        "issued_w",
        "keys",
        "poisson",
        "random",
        "reads",
        "rr",
        "sessions",
        "size",
        "timeouts",
        "to",
        "tries",
    )

    def __init__(self, world: World, spec, index: int) -> None:
        super().__init__(world, spec, index)
        p: ClientParams = spec.params
        self.random = substream(world.seed, f"node:{spec.id}").random
        self.gap = 1.0 / p.rate_rps
        self.poisson = p.arrival == "poisson"
        self.to = None if p.timeout_ms is None else p.timeout_ms / 1000.0
        self.tries = p.retries + 1
        self.size = p.request_bytes
        self.rr = 0
        self.issued = 0  # requests issued so far
        self.issued_w = 0  # ... when the warmup ended (set by reset_window)
        self.done_t0 = array("d")
        self.done_t1 = array("d")
        self.fail_t0 = array("d")
        self.timeouts = 0
        self.arrive_cb = self._arrive
        self.reads = p.read_ratio
        self.sessions = p.sessions
        self.keys = KeySampler(p.keys, p.key_dist, p.zipf_s, self.random)

    def start(self) -> None:
        if self.out:
            self._arrive(None)  # schedules the first arrival; issues nothing at t=0

    def reset_window(self) -> None:
        self.issued_w = self.issued

    def _arrive(self, first: object) -> None:
        now = self.k.now
        # exponential gap inlined (what random.expovariate does), one call saved per request
        gap = -log(1.0 - self.random()) * self.gap if self.poisson else self.gap
        heappush(self.heap, (now + gap, PRIO_MODEL, next(self.seq), self.arrive_cb, True))
        if first is None or not self.up:
            return
        self.issued += 1
        out = self.out
        link = out[self.rr]
        if len(out) > 1:
            self.rr = (self.rr + 1) % len(out)
        rand = self.random
        req = Req(
            (self.index << 40) | self.issued,
            Req.READ if self.reads >= 1.0 or rand() < self.reads else Req.WRITE,
            self.keys.draw(),
            int(rand() * self.sessions),
        )
        call = Call(self, link, now, req)
        call.attempt = 1
        if self.to is not None:
            heappush(self.heap, (now + self.to, PRIO_MODEL, next(self.seq), self._timeout, call))
        net = self.net
        if link.direct and net.depth < MAX_DIRECT_DEPTH:
            # Network.send's zero-latency path, inlined (same semantics, one call less)
            rec = net.rec
            if rec is not None:
                rec.append((now, 0.0, link.cf, K_REQUEST))
            net.depth += 1
            link.dst.on_request(call)
            net.depth -= 1
        else:
            net.send(link, True, K_REQUEST, link.dst.on_request, call, self.size)

    def _resend(self, t0: float, attempt: int, req: Req) -> None:
        out = self.out
        link = out[self.rr]
        self.rr = (self.rr + 1) % len(out)
        call = Call(self, link, t0, req)
        call.attempt = attempt
        if self.to is not None:
            heappush(
                self.heap, (self.k.now + self.to, PRIO_MODEL, next(self.seq), self._timeout, call)
            )
        self.request(link, call, K_RETRY, self.size)

    def on_reply(self, call: Call) -> None:
        if call.done:
            return
        call.done = True
        if call.ok and self.up:
            self.done_t0.append(call.ctx)
            self.done_t1.append(self.k.now)
        elif self.up:
            self._failed(call)
        else:
            self.fail_t0.append(call.ctx)

    def _timeout(self, call: Call) -> None:
        if call.done:
            return
        call.done = True
        self.timeouts += 1
        self.net.mark(self, K_TIMEOUT)
        self._failed(call)

    def _failed(self, call: Call) -> None:
        if call.attempt < self.tries and self.up:
            self._resend(call.ctx, call.attempt + 1, call.req)
        else:
            self.fail_t0.append(call.ctx)

    def result(self, end: float) -> dict:
        w = min(self.world.warmup, end)
        span = end - w
        lat = spans(self.done_t0, self.done_t1, w)
        return {
            "kind": self.KIND,
            "requests": self.issued - self.issued_w,
            "completed": len(lat),
            "failed": count_at_least(self.fail_t0, w),
            "timeouts": self.timeouts,
            "throughput_rps": rnd(len(lat) / span) if span > 0 else 0.0,
            "latency_ms": summary(lat, 1000.0),
        }
