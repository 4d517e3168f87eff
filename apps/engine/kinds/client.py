"""`client`: a workload that sends requests and measures what its users see.

Model: open workload (default): arrivals are a Poisson process of rate `rate_rps` (or evenly
spaced with `arrival: constant`), generated lazily one at a time; `rate_steps` ([[at_s, rps],
...]) changes the rate at given times (the pending arrival is redrawn at each step, which is
exact for Poisson: memoryless). Closed workload (`users` > 0): that many users each issue a
request, wait for its outcome (success or final failure), think for an exponential time of
mean `think_time_ms`, and issue the next; user u is session u. Each request goes out over the
client's outgoing edges in turn (round robin, in scenario order of the edges). A request that
gets an error, or no answer within `timeout_ms`, is sent again (message kind `retry`, on the
next edge in the rotation) up to `retries` times after a backoff (`retry_backoff_ms`,
`retry_jitter`: none, full, equal, decorrelated; see patterns/resilience.py), then counts as
failed. The retry is the same `Req` (its id is the idempotency key). An optional circuit
breaker (`breaker_failure_rate`) rejects attempts at once while open (counted in `breaker`).
Latency is end to end: from the first send to the final successful response, retries
included. A late answer to an attempt that timed out is ignored. A client with no outgoing
edge sends nothing. While a client is down it sends nothing, and answers that reach it count as
failed.

Metrics are folds over compact arrays: (first send, latency) of completed requests (a `Tape`)
and first send of failed ones, plus a count of issued requests (and its value at the warmup
boundary); `result()` keeps requests issued at or after `settings.warmup_s`. Retry send times
go to one more array, folded into `retry_peak_to_mean`: the busiest 10 ms bin's retry count
over the mean per bin across the measurement window (1 for perfectly spread retries, large when
they synchronise).
"""

from __future__ import annotations

from array import array
from heapq import heappush
from math import log1p

from apps.engine.kernel import PRIO_MODEL
from apps.engine.kinds.base import Call, LazyCall, LazyReq, Node, Req, TracedReq, World
from apps.engine.kinds.client_params import ClientParams
from apps.engine.metrics import count_at_least, rnd, since, summary
from apps.engine.network import K_REQUEST, K_RETRY, K_TIMEOUT
from apps.engine.patterns.resilience import Breaker, backoff
from apps.engine.rng import substream
from apps.engine.workload import KeySampler, ReqFields

# Sampled requests kept per run (result["traces"] stays small), spread over the run: by
# simulated time t at most TRACES_PER_WINDOW * (1 + t // TRACE_WINDOW_S) exist, so a viewer
# scrubbing to minute 3 still finds traces there.
MAX_TRACES = 200
TRACES_PER_WINDOW = 10
TRACE_WINDOW_S = 10.0
BIN_S = 0.010  # retry arrivals are counted per 10 ms bin for retry_peak_to_mean


class Client(Node):
    KIND = "client"
    Params = ClientParams

    __slots__ = (
        "arrive_cb",
        "backoff",
        "breaker",
        "closed",
        "done",
        "fail_t0",
        "fields",
        "gap",
        "gen",
        "issued",
        "issued_w",
        "keys",
        "link1",
        "poisson",
        "random",
        "reads",
        "retry_t",
        "rows",
        "rr",
        "sessions",
        "size",
        "think",
        "timeouts",
        "to",
        "trace_rng",
        "tries",
    )

    def __init__(self, world: World, spec, index: int) -> None:
        super().__init__(world, spec, index)
        p: ClientParams = spec.params
        self.random = substream(world.seed, f"node:{spec.id}").random
        self.gap = 1.0 / p.rate_rps
        self.gen = 0  # bumped by a rate step: stale arrival entries ignore themselves
        self.poisson = p.arrival == "poisson"
        self.to = None if p.timeout_ms is None else p.timeout_ms / 1000.0
        self.tries = p.retries + 1
        self.size = p.request_bytes
        self.rr = 0
        self.issued = 0  # requests issued so far
        self.issued_w = 0  # ... when the warmup ended (set by reset_window)
        self.done = world.tape(2)  # (first send, latency) of every completed request
        self.rows = self.done.rows  # on_reply appends here (see Tape)
        self.fail_t0 = array("d")
        self.retry_t = array("d")
        self.timeouts = 0
        self.arrive_cb = self._arrive
        self.reads = p.read_ratio
        self.closed = p.users > 0
        self.sessions = p.users if self.closed else p.sessions
        self.think = p.think_time_ms / 1000.0
        self.trace_rng = substream(world.seed, f"node:{spec.id}:trace").random
        self.keys = KeySampler(p.keys, p.key_dist, p.zipf_s, self.random)
        base = substream(world.seed, f"node:{spec.id}:req").getrandbits(64)
        self.fields = ReqFields(base, p.read_ratio, self.keys, self.sessions)
        self.backoff = p.retry_backoff_ms > 0 or p.retry_jitter == "decorrelated"
        self.breaker: Breaker | None = None
        if p.breaker_failure_rate is not None:
            self.breaker = Breaker(
                world.kernel,
                p.breaker_failure_rate,
                p.breaker_window,
                p.breaker_min_calls,
                p.breaker_open_ms / 1000.0,
                p.breaker_probes,
            )

    def start(self) -> None:
        self.link1 = self.out[0] if len(self.out) == 1 else None  # None: round robin
        if not self.out:
            return
        if self.closed:
            for u in range(self.sessions):  # users start spread over one think time
                self.k.schedule(self.random() * self.think, self._user, u)
            return
        for at, rate in self.params.rate_steps:
            self.k.at(at, self._step, rate)
        if self.params.trace_sample > 0 and self.world.traces is None:
            self.world.traces = []
        fast = not self.params.rate_steps and not self.params.trace_sample
        if self.poisson and fast and self.breaker is None:
            self.arrive_cb = self._arrive_fast
        self._arrive(-1)  # schedules the first arrival; issues nothing at t=0

    def reset_window(self) -> None:
        self.issued_w = self.issued

    def _step(self, rate: float) -> None:
        self.gen += 1
        self.gap = 1.0 / rate if rate > 0 else 0.0
        self._arrive(-1)

    def _arrive(self, gen: int) -> None:
        now = self.k.now
        if gen >= 0 and gen != self.gen:
            return  # drawn before a rate step
        if self.gap:
            # exponential gap inlined as -log1p(-u) (see service_params.make_sampler)
            gap = -log1p(-self.random()) * self.gap if self.poisson else self.gap
            heappush(self.heap, (now + gap, PRIO_MODEL, next(self.seq), self.arrive_cb, self.gen))
        if gen < 0 or not self.up:
            return
        self.issued += 1
        req = self._new_req(now)
        if self.breaker is not None:
            self._send(now, 1, req, K_REQUEST, 0.0)
            return
        out = self.out
        link = out[self.rr]
        if len(out) > 1:
            self.rr = (self.rr + 1) % len(out)
        call = Call(self, link, now, req)
        call.attempt = 1
        if self.to is not None:
            heappush(self.heap, (now + self.to, PRIO_MODEL, next(self.seq), self._timeout, call))
        self.request(link, call, K_REQUEST, self.size)

    def _arrive_fast(self, _: int) -> None:
        """`_arrive` for the common case (Poisson, fixed rate, no breaker), trimmed by hand.

        A kernel callback: the network depth is 0 on entry (see network.py)."""
        now = self.k.now
        heappush(
            self.heap,
            (
                now - log1p(-self.random()) * self.gap,
                PRIO_MODEL,
                next(self.seq),
                self.arrive_cb,  # cached bound method: no allocation per arrival
                0,
            ),
        )
        if not self.up:
            return
        self.issued = i = self.issued + 1
        link = self.link1
        if link is None:  # several edges: round robin
            out = self.out
            link = out[self.rr]
            self.rr = (self.rr + 1) % len(out)
        # Call(self, link, now, LazyReq(rid, fields)) as one object, built without __init__
        call = LazyCall()
        call.caller = self
        call.link = link
        call.ctx = now
        call.done = False
        call.num = i
        if self.to is not None:
            heappush(self.heap, (now + self.to, PRIO_MODEL, next(self.seq), self._timeout, call))
        if link.direct:  # Network.send's zero-latency path, inlined
            net = self.net
            net.depth = 1
            link.dst.on_request(call)
            net.depth = 0
        else:
            self.net.send(link, True, K_REQUEST, link.dst.on_request, call, self.size)

    def _new_req(self, now: float) -> Req:
        """A lazy request, or a traced one when sampled and the trace budget allows."""
        rid = (self.index << 40) | self.issued
        p: ClientParams = self.params
        if p.trace_sample and self.trace_rng() < p.trace_sample:
            traces = self.world.traces
            kept = len(traces)
            if kept < MAX_TRACES and kept < TRACES_PER_WINDOW * (1 + now // TRACE_WINDOW_S):
                req = TracedReq(rid, self.fields, now, self.id)
                traces.append(req)
                return req
        return LazyReq(rid, self.fields)

    def _trace_end(self, req: Req, ok: bool) -> None:
        span = req.trace[0]
        span[4] = self.k.now
        span[5] = ok

    def _user(self, u: int) -> None:
        """Closed workload: user `u` issues its next request."""
        if not self.up:
            self.k.schedule(self.think, self._user, u)  # try again after a pause
            return
        self.issued += 1
        rand = self.random
        read = self.reads >= 1.0 or rand() < self.reads
        req = Req(
            (self.index << 40) | self.issued, Req.READ if read else Req.WRITE, self.keys.draw(), u
        )
        if self.params.trace_sample:
            traced = self._new_req(self.k.now)
            if traced.trace is not None:  # keep the eager fields, add the span list
                traced.gen = None
                traced._op, traced._key, traced._session = req._op, req._key, u
                req = traced
        self._send(self.k.now, 1, req, K_REQUEST, 0.0)

    def _ended(self, req: Req) -> None:
        """A request is over (completed or failed): in a closed workload its user thinks."""
        if self.closed:
            d = -log1p(-self.random()) * self.think
            self.k.schedule(d, self._user, req.session)

    def _send(self, t0: float, attempt: int, req: Req, kind: int, slept: float) -> None:
        """Send one attempt (through the breaker, if any)."""
        tag = 0
        if self.breaker is not None:
            tag = self.breaker.allow()
            if tag < 0:  # rejected by an open breaker: fails at once, no retry
                self.fail_t0.append(t0)
                if req.trace is not None:
                    self._trace_end(req, False)
                self._ended(req)
                return
        out = self.out
        link = out[self.rr]
        self.rr = (self.rr + 1) % len(out)
        call = Call(self, link, t0, req)
        call.attempt = attempt
        call.tag = tag
        call.slept = slept  # the last backoff sleep, for decorrelated jitter
        if self.to is not None:
            heappush(
                self.heap, (self.k.now + self.to, PRIO_MODEL, next(self.seq), self._timeout, call)
            )
        if kind == K_RETRY:
            self.retry_t.append(self.k.now)
        self.request(link, call, kind, self.size)

    def _resend(self, job: tuple) -> None:
        if self.up:
            self._send(job[0], job[1], job[2], K_RETRY, job[3])
        else:
            self.fail_t0.append(job[0])

    def on_reply(self, call: Call) -> None:
        if call.done:
            return
        call.done = True
        if self.breaker is not None:
            self.breaker.record(call.tag, call.ok)
        if call.ok and self.up:
            t0 = call.ctx
            rows = self.rows
            rows.append(t0)
            rows.append(self.k.now - t0)
            if call.tr is not None:
                self._trace_end(call.req, True)
            if self.closed:
                self._ended(call.req)
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
        if self.breaker is not None:
            self.breaker.record(call.tag, False)
        self._failed(call)

    def _failed(self, call: Call) -> None:
        if call.attempt < self.tries and self.up:
            if not self.backoff:
                self._send(call.ctx, call.attempt + 1, call.req, K_RETRY, 0.0)
                return
            p: ClientParams = self.params
            prev = call.slept if call.attempt > 1 else 0.0
            d = backoff(
                p.retry_jitter,
                call.attempt,
                p.retry_backoff_ms / 1000.0,
                p.retry_backoff_max_ms / 1000.0,
                prev,
                self.random,
            )
            self.k.schedule(d, self._resend, (call.ctx, call.attempt + 1, call.req, d))
        else:
            self.fail_t0.append(call.ctx)
            if call.tr is not None:
                self._trace_end(call.req, False)
            self._ended(call.req)

    def _peak_to_mean(self, w: float, end: float) -> float:
        nbins = int((end - w) / BIN_S)
        if nbins <= 0:
            return 0.0
        bins = [0] * nbins
        n = 0
        for t in self.retry_t:
            if t >= w:
                i = int((t - w) / BIN_S)
                if i < nbins:
                    bins[i] += 1
                    n += 1
        return rnd(max(bins) * nbins / n) if n else 0.0

    def latencies(self, w: float) -> list[float]:
        """Latencies of the completed requests first sent at or after `w`."""
        lat = self.done.column(1)
        return since(lat, self.done.column(0), w) if w > 0.0 else list(lat)

    def result(self, end: float) -> dict:
        w = min(self.world.warmup, end)
        span = end - w
        lat = self.latencies(w)
        out = {
            "kind": self.KIND,
            "requests": self.issued - self.issued_w,
            "completed": len(lat),
            "failed": count_at_least(self.fail_t0, w),
            "timeouts": self.timeouts,
            "throughput_rps": rnd(len(lat) / span) if span > 0 else 0.0,
            "latency_ms": summary(lat, 1000.0),
        }
        if self.tries > 1:
            out["retries"] = count_at_least(self.retry_t, w)
            out["retry_peak_to_mean"] = self._peak_to_mean(w, end)
        if self.breaker is not None:
            out["breaker"] = self.breaker.result()
        return out
