"""`sidecar`: a service-mesh proxy placed in front of a service (edge sidecar -> service).

Model: a request reaching the sidecar pays `proxy_ms` (the per-hop proxy cost) plus `mtls_ms`
(TLS termination/origination, per request), then goes to the sidecar's target (its outgoing
edges in turn, normally one: the service it fronts). The answer pays `proxy_ms` again on the
way back. The proxy enforces `timeout_ms` on each attempt and, on an error or a timeout,
retries up to `retries` times after `retry_backoff_ms` (full jitter), so the caller sees one
answer: the first success, or the last failure. A sidecar is assumed never to saturate (no
queue: Envoy-class proxies add latency long before they add queueing at these rates).

A mesh is built by placing one sidecar in front of each service (inbound); the caller-side
(outbound) proxy of a real mesh is modelled by a second sidecar on the caller's edge, or by
doubling `proxy_ms`. Counters cover the whole run: `requests`, `attempts`, `retries`,
`timeouts`, `failed` (answered with an error after all attempts).
"""

from __future__ import annotations

from apps.engine.kinds.base import Call, Node, World
from apps.engine.network import K_REQUEST, K_RETRY, K_TIMEOUT
from apps.engine.params import LIMITS, Strict, param
from apps.engine.rng import substream


class SidecarParams(Strict):
    proxy_ms: float = param(
        0.5, "Proxy cost per pass (request and answer each pay it)", unit="ms", ge=0,
        le=LIMITS["max_time_ms"],
    )  # fmt: skip
    mtls_ms: float = param(
        0.0, "Mutual TLS cost per request", unit="ms", ge=0, le=LIMITS["max_time_ms"]
    )
    timeout_ms: float | None = param(
        None, "Per-attempt timeout enforced by the proxy (none: wait forever)", unit="ms", gt=0,
        le=LIMITS["max_time_ms"],
    )  # fmt: skip
    retries: int = param(0, "Retries by the proxy after an error or timeout", ge=0,
                         le=LIMITS["max_retries"])  # fmt: skip
    retry_backoff_ms: float = param(
        0.0, "Retry backoff base (full jitter, doubling per retry)", unit="ms", ge=0,
        le=LIMITS["max_time_ms"],
    )  # fmt: skip


class Sidecar(Node):
    KIND = "sidecar"
    Params = SidecarParams

    __slots__ = ("attempts", "failed", "random", "requests", "retried", "rr", "timeouts")

    def __init__(self, world: World, spec, index: int) -> None:
        super().__init__(world, spec, index)
        self.random = substream(world.seed, f"node:{spec.id}").random
        self.rr = 0
        self.requests = self.attempts = self.retried = self.timeouts = self.failed = 0

    def on_request(self, call: Call) -> None:
        if not self.up:
            self.reply(call, False)
            return
        self.requests += 1
        p: SidecarParams = self.params
        d = (p.proxy_ms + p.mtls_ms) / 1000.0 * self.slow
        if d:
            self.k.schedule(d, self._attempt, (call, 1))
        else:
            self._attempt((call, 1))

    def _attempt(self, job: tuple[Call, int]) -> None:
        parent, n = job
        if not self.up:
            return
        if not self.out:
            self._answer(parent, False)
            return
        self.attempts += 1
        link = self.out[self.rr]
        self.rr = (self.rr + 1) % len(self.out)
        sub = Call(self, link, parent, parent.req)
        sub.attempt = n
        to = self.params.timeout_ms
        if to is not None:
            self.k.schedule(to / 1000.0, self._timeout, sub)
        self.request(link, sub, K_REQUEST if n == 1 else K_RETRY, 1024)

    def on_reply(self, sub: Call) -> None:
        if sub.done:
            return
        sub.done = True
        self._outcome(sub, sub.ok)

    def _timeout(self, sub: Call) -> None:
        if sub.done:
            return
        sub.done = True
        self.timeouts += 1
        self.net.mark(self, K_TIMEOUT)
        self._outcome(sub, False)

    def _outcome(self, sub: Call, ok: bool) -> None:
        p: SidecarParams = self.params
        if not ok and sub.attempt <= p.retries and self.up:
            self.retried += 1
            cap = p.retry_backoff_ms / 1000.0 * 2 ** (sub.attempt - 1)
            job = (sub.ctx, sub.attempt + 1)
            if cap:
                self.k.schedule(self.random() * cap, self._attempt, job)
            else:
                self._attempt(job)
            return
        self._answer(sub.ctx, ok)

    def _answer(self, parent: Call, ok: bool) -> None:
        if not ok:
            self.failed += 1
        d = self.params.proxy_ms / 1000.0 * self.slow
        if d:
            self.k.schedule(d, self._send_back, (parent, ok))
        else:
            self._send_back((parent, ok))

    def _send_back(self, job: tuple[Call, bool]) -> None:
        if self.up:
            self.reply(job[0], job[1])

    def result(self, end: float) -> dict:
        return {
            "kind": self.KIND,
            "requests": self.requests,
            "attempts": self.attempts,
            "retries": self.retried,
            "timeouts": self.timeouts,
            "failed": self.failed,
        }
