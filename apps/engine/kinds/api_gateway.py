"""`api_gateway`: authenticates, rate-limits, routes by request type and aggregates.

Model: a request first pays `auth_ms` (authentication/authorisation, per request, no queue).
A token bucket (`rate_limit_rps` tokens per second, at most `burst` stored, full at start)
then admits it or rejects it at once with an error (an HTTP 429: counted in `throttled`, and
as failed by the client). Admitted requests are routed: `routes` maps a request type
(`read` or `write`, the `Req.op`) to target node ids (which must be targets of the gateway's
edges); a type without a route goes to every target. Without `aggregate` the request goes to
one of its route's targets (round robin) and the answer is relayed. With `aggregate` it goes to
all of them at once (fan-out) and the gateway replies when all have answered (ok if all are
ok), or with an error at `aggregate_timeout_ms` if some have not (API composition).

Result (whole run): `requests`, `throttled`, `routed` ({target: requests}), `timeouts`.
"""

from __future__ import annotations

from apps.engine.errors import ScenarioError
from apps.engine.kinds.base import Call, Node, Req, World
from apps.engine.network import K_REQUEST, K_TIMEOUT, Link
from apps.engine.params import LIMITS, Strict, param


class ApiGatewayParams(Strict):
    auth_ms: float = param(
        0.0, "Authentication cost per request", unit="ms", ge=0, le=LIMITS["max_time_ms"]
    )
    rate_limit_rps: float | None = param(
        None, "Token bucket rate (none: no rate limit)", unit="rps", gt=0,
        le=LIMITS["max_rate_rps"],
    )  # fmt: skip
    burst: int = param(100, "Token bucket size: requests admitted back to back", ge=1, le=10**6)
    routes: dict[str, list[str]] = param(
        {}, "Request type ('read' or 'write') -> target ids; other types go to every target"
    )
    aggregate: bool = param(
        False, "Fan each request out to all its route's targets and combine the answers"
    )
    aggregate_timeout_ms: float | None = param(
        None, "Aggregation: answer with an error if not all targets answered by then", unit="ms",
        gt=0, le=LIMITS["max_time_ms"],
    )  # fmt: skip


OPS = {"read": Req.READ, "write": Req.WRITE}


class ApiGateway(Node):
    KIND = "api_gateway"
    Params = ApiGatewayParams

    __slots__ = ("last", "requests", "routed", "rr", "table", "throttled", "timeouts", "tokens")

    def __init__(self, world: World, spec, index: int) -> None:
        super().__init__(world, spec, index)
        self.tokens = float(spec.params.burst)
        self.last = 0.0
        self.requests = self.throttled = self.timeouts = 0
        for key in spec.params.routes:
            if key not in OPS:
                self._bad(f"params.routes: unknown request type '{key}' (use read or write)")

    def _bad(self, msg: str) -> None:
        raise ScenarioError(f"node '{self.id}': {msg}", [{"loc": "params.routes", "node": self.id,
                                                          "msg": msg}])  # fmt: skip

    def start(self) -> None:
        by_id = {link.dst.id: link for link in self.out}
        routes = self.params.routes
        self.table: list[list[Link]] = []
        for name in ("read", "write"):  # indexed by Req.op
            ids = routes.get(name)
            if ids is None:
                self.table.append(list(self.out))
                continue
            for t in ids:
                if t not in by_id:
                    self._bad(f"params.routes.{name}: '{t}' is not a target of this node")
            self.table.append([by_id[t] for t in ids])
        self.rr = [0, 0]
        self.routed = {link.dst.id: 0 for link in self.out}

    def on_request(self, call: Call) -> None:
        if not self.up:
            self.reply(call, False)
            return
        self.requests += 1
        p: ApiGatewayParams = self.params
        if p.rate_limit_rps is not None:
            now = self.k.now
            self.tokens = min(float(p.burst), self.tokens + (now - self.last) * p.rate_limit_rps)
            self.last = now
            if self.tokens < 1.0:
                self.throttled += 1
                self.reply(call, False)  # 429
                return
            self.tokens -= 1.0
        if p.auth_ms:
            self.k.schedule(p.auth_ms / 1000.0 * self.slow, self._route, call)
        else:
            self._route(call)

    def _route(self, call: Call) -> None:
        if not self.up:
            return
        op = call.req.op
        links = self.table[op] if op < len(self.table) else self.out
        if not links:
            self.reply(call, False)
            return
        if not self.params.aggregate:
            i = self.rr[op] % len(links)
            self.rr[op] = i + 1
            self._send(links[i], call)
            return
        call.step = len(links)  # answers still awaited; -1 once answered
        to = self.params.aggregate_timeout_ms
        if to is not None:
            self.k.schedule(to / 1000.0, self._timeout, call)
        for link in links:
            self._send(link, call)

    def _send(self, link: Link, call: Call) -> None:
        self.routed[link.dst.id] += 1
        self.request(link, Call(self, link, call, call.req), K_REQUEST, 1024)

    def on_reply(self, sub: Call) -> None:
        parent: Call = sub.ctx
        if not self.up:
            return
        if not self.params.aggregate:
            self.reply(parent, sub.ok)
            return
        if parent.step < 0:
            return  # already answered (an error or the timeout came first)
        if not sub.ok:
            parent.step = -1
            self.reply(parent, False)
            return
        parent.step -= 1
        if parent.step == 0:
            parent.step = -1
            self.reply(parent, True)

    def _timeout(self, parent: Call) -> None:
        if parent.step >= 0 and self.up:
            parent.step = -1
            self.timeouts += 1
            self.net.mark(self, K_TIMEOUT)
            self.reply(parent, False)

    def result(self, end: float) -> dict:
        return {
            "kind": self.KIND,
            "requests": self.requests,
            "throttled": self.throttled,
            "timeouts": self.timeouts,
            "routed": self.routed,
        }
