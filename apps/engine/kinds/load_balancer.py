"""`load_balancer`: forwards each request to one of its targets and relays the answer.

Model: the targets are the balancer's outgoing edges, in scenario order. For each request the
balancer picks one healthy target by `strategy`, sends it the request (after `overhead_ms` of
its own, no queueing: a balancer is assumed never to saturate) and relays the target's answer
(response or error) back to the caller. Strategies:

- `round_robin`: targets in turn; `random`: uniform (Poisson splitting: each target of an open
  Poisson stream sees an independent Poisson stream);
- `least_connections`: fewest requests outstanding (ties: lowest index);
- `least_response_time`: lowest EWMA of response time times (outstanding + 1), as NGINX Plus'
  `least_time`; a target with no measurement yet counts as 0 ms;
- `weighted`: smooth weighted round robin (NGINX) by the edge `weight`;
- `sticky`: a hash of the request's session picks the target, so a session always lands on
  the same target while the healthy set does not change;
- `power_of_two`: two distinct targets drawn at random, the one with fewer outstanding wins
  (Mitzenmacher's "power of two choices").

Active health checks (`health_interval_ms` > 0): every interval the balancer probes every
target (message kind `health_check`, not queued at the target: only "is the process up" is
asked); a probe not answered within `health_timeout_ms` is a failure; `unhealthy_threshold`
consecutive failures remove the target, `healthy_threshold` consecutive successes bring it
back. Without health checks every target is always eligible (a crashed one answers errors).
With no eligible target the request is answered with an error at once (`no_target`).

Service discovery (`registry`: the id of a `registry` node, see kinds/registry.py): the set of
eligible targets is the registry's view of which instances are healthy, instead of the
balancer's own probes. `discovery: server` reads the registry's current view for every request
(a server-side router next to the registry: stale only by the registry's detection delay);
`discovery: client` is a client-side library (place the balancer next to its client, 0 ms
edge) that copies the view every `refresh_ms` (stale by detection delay + up to one refresh;
Eureka's default refresh is 30 s). Targets the registry does not check count as healthy.

Counters in the result (`forwarded`, `per_target`, ...) cover the whole run, warmup included.
"""

from __future__ import annotations

from typing import Literal

from apps.engine.errors import ScenarioError
from apps.engine.kinds.base import Call, Node, World
from apps.engine.network import K_HEALTH, K_REQUEST, K_TIMEOUT, Link
from apps.engine.params import LIMITS, Strict, param
from apps.engine.rng import substream

Strategy = Literal[
    "round_robin",
    "random",
    "least_connections",
    "least_response_time",
    "weighted",
    "sticky",
    "power_of_two",
]


class LoadBalancerParams(Strict):
    strategy: Strategy = param("round_robin", "How a target is chosen for each request")
    overhead_ms: float = param(
        0.0, "Time the balancer adds to each request", unit="ms", ge=0, le=LIMITS["max_time_ms"]
    )
    health_interval_ms: float = param(
        0.0,
        "Active health check period (0: no health checks)",
        unit="ms",
        ge=0,
        le=LIMITS["max_time_ms"],
    )
    health_timeout_ms: float = param(
        100.0, "A probe unanswered this long fails", unit="ms", gt=0, le=LIMITS["max_time_ms"]
    )
    unhealthy_threshold: int = param(
        2, "Consecutive failed probes that remove a target", ge=1, le=100
    )
    healthy_threshold: int = param(
        1, "Consecutive good probes that bring a removed target back", ge=1, le=100
    )
    registry: str | None = param(
        None, "Id of a registry node to discover healthy targets from (none: own view)"
    )
    discovery: Literal["client", "server"] = param(
        "server",
        "With a registry: 'server' looks the view up for every request, 'client' caches it "
        "and refreshes every refresh_ms",
    )
    refresh_ms: float = param(
        5000.0,
        "Client-side discovery: view refresh period",
        unit="ms",
        gt=0,
        le=LIMITS["max_time_ms"],
    )
    ewma_alpha: float = param(
        0.2, "Weight of the newest sample in least_response_time's moving average", gt=0, le=1
    )
    request_bytes: int = param(
        1024,
        "Size of forwarded requests, for bandwidth-limited links",
        unit="B",
        ge=0,
        le=LIMITS["max_message_bytes"],
    )
    response_bytes: int = param(
        1024,
        "Size of relayed responses, for bandwidth-limited links",
        unit="B",
        ge=0,
        le=LIMITS["max_message_bytes"],
    )


class _Probe:
    __slots__ = ("done", "i")

    def __init__(self, i: int) -> None:
        self.i = i
        self.done = False


class LoadBalancer(Node):
    KIND = "load_balancer"
    Params = LoadBalancerParams

    __slots__ = (
        "alpha",
        "bad",
        "ewma",
        "forwarded",
        "good",
        "healthy",
        "ix",
        "no_target",
        "outstanding",
        "overhead",
        "pick",
        "random",
        "reg",
        "removed",
        "restored",
        "rr",
        "sent",
        "swrr",
        "weights",
    )

    def __init__(self, world: World, spec, index: int) -> None:
        super().__init__(world, spec, index)
        p: LoadBalancerParams = spec.params
        self.random = substream(world.seed, f"node:{spec.id}").random
        self.overhead = p.overhead_ms / 1000.0
        self.alpha = p.ewma_alpha
        self.pick = getattr(self, "_pick_" + p.strategy)
        self.rr = 0
        self.forwarded = self.no_target = self.removed = self.restored = 0

    def start(self) -> None:
        n = len(self.out)
        self.ix = {link: i for i, link in enumerate(self.out)}
        self.outstanding = [0] * n
        self.sent = [0] * n
        self.ewma = [0.0] * n
        self.weights = [link.weight for link in self.out]
        self.swrr = [0.0] * n
        self.healthy = [True] * n
        self.good = [0] * n
        self.bad = [0] * n
        p: LoadBalancerParams = self.params
        self.reg = None
        if p.registry is not None:
            self.reg = find_registry(self.world, self.id, p.registry)
            if p.discovery == "client":
                self.k.at(0.0, self._refresh)  # once every node has started
                self.reg = None  # the cached copy in self.healthy is what counts
        if p.health_interval_ms > 0 and n:
            self.k.schedule(p.health_interval_ms / 1000.0, self._health_round)

    def _refresh(self, _: object) -> None:
        """Client-side discovery: copy the registry's view now, and again after refresh_ms."""
        reg = find_registry(self.world, self.id, self.params.registry)
        self.healthy = [reg.view(link.dst.id) for link in self.out]
        self.k.schedule(self.params.refresh_ms / 1000.0, self._refresh)

    # choosing a target ---------------------------------------------------------------------------
    def _eligible(self) -> list[int]:
        h = self.healthy
        return [i for i in range(len(h)) if h[i]]

    def _pick_round_robin(self, call: Call) -> int:
        h, n = self.healthy, len(self.out)
        for _ in range(n):
            i = self.rr
            self.rr = (i + 1) % n
            if h[i]:
                return i
        return -1

    def _pick_random(self, call: Call) -> int:
        el = self._eligible()
        return el[int(self.random() * len(el))] if el else -1

    def _pick_least_connections(self, call: Call) -> int:
        el = self._eligible()
        return min(el, key=self.outstanding.__getitem__) if el else -1

    def _pick_least_response_time(self, call: Call) -> int:
        el = self._eligible()
        if not el:
            return -1
        o, e = self.outstanding, self.ewma
        return min(el, key=lambda i: (e[i] * (o[i] + 1), o[i]))

    def _pick_weighted(self, call: Call) -> int:
        # smooth weighted round robin (NGINX): add each weight, take the largest, subtract total
        el = self._eligible()
        if not el:
            return -1
        cur, w = self.swrr, self.weights
        total = 0.0
        best = el[0]
        for i in el:
            cur[i] += w[i]
            total += w[i]
            if cur[i] > cur[best]:
                best = i
        cur[best] -= total
        return best

    def _pick_sticky(self, call: Call) -> int:
        el = self._eligible()
        if not el:
            return -1
        h = (call.req.session * 2654435761 + 0x9E3779B9) & 0xFFFFFFFF  # Knuth multiplicative
        return el[h % len(el)]

    def _pick_power_of_two(self, call: Call) -> int:
        el = self._eligible()
        n = len(el)
        if n < 2:
            return el[0] if el else -1
        rand = self.random
        a = int(rand() * n)
        b = int(rand() * (n - 1))
        if b >= a:
            b += 1
        i, j = el[a], el[b]
        o = self.outstanding
        return j if o[j] < o[i] else i

    # request path --------------------------------------------------------------------------------
    def on_request(self, call: Call) -> None:
        if not self.up:
            self.reply(call, False)
            return
        if self.overhead:
            self.k.schedule(self.overhead * self.slow, self._dispatch, call)
        else:
            self._dispatch(call)

    def _dispatch(self, call: Call) -> None:
        if not self.up:
            return
        if self.reg is not None:  # server-side discovery: the registry's view right now
            view = self.reg.view
            self.healthy = [view(link.dst.id) for link in self.out]
        i = self.pick(call) if self.out else -1
        if i < 0:
            self.no_target += 1
            self.reply(call, False, self.params.response_bytes)
            return
        self.forwarded += 1
        self.outstanding[i] += 1
        self.sent[i] += 1
        link: Link = self.out[i]
        sub = Call(self, link, call, call.req)
        sub.t_st = self.k.now
        self.request(link, sub, K_REQUEST, self.params.request_bytes)

    def on_reply(self, sub: Call) -> None:
        if sub.done:
            return
        sub.done = True
        i = self.ix[sub.link]
        self.outstanding[i] -= 1
        if sub.ok:
            a = self.alpha
            self.ewma[i] += a * ((self.k.now - sub.t_st) - self.ewma[i])
        if self.up:
            self.reply(sub.ctx, sub.ok, self.params.response_bytes)

    # health checks -------------------------------------------------------------------------------
    def _health_round(self, _: object) -> None:
        p: LoadBalancerParams = self.params
        self.k.schedule(p.health_interval_ms / 1000.0, self._health_round)
        if not self.up:
            return
        for i, link in enumerate(self.out):
            probe = _Probe(i)
            self.k.schedule(p.health_timeout_ms / 1000.0, self._probe_timeout, probe)
            self.net.send(link, True, K_HEALTH, self._probe_arrive, probe, 64)

    def _probe_arrive(self, probe: _Probe) -> None:
        if self.out[probe.i].dst.up:
            self.net.send(self.out[probe.i], False, K_HEALTH, self._probe_answer, probe, 64)

    def _probe_answer(self, probe: _Probe) -> None:
        if probe.done:
            return
        probe.done = True
        i = probe.i
        self.bad[i] = 0
        self.good[i] += 1
        if not self.healthy[i] and self.good[i] >= self.params.healthy_threshold:
            self.healthy[i] = True
            self.restored += 1

    def _probe_timeout(self, probe: _Probe) -> None:
        if probe.done:
            return
        probe.done = True
        i = probe.i
        self.net.mark(self, K_TIMEOUT)
        self.good[i] = 0
        self.bad[i] += 1
        if self.healthy[i] and self.bad[i] >= self.params.unhealthy_threshold:
            self.healthy[i] = False
            self.removed += 1

    # observation ---------------------------------------------------------------------------------
    def state(self) -> tuple[int, int, int]:
        return 0, sum(self.outstanding), 1 if self.up else 0

    def result(self, end: float) -> dict:
        return {
            "kind": self.KIND,
            "strategy": self.params.strategy,
            "forwarded": self.forwarded,
            "no_target": self.no_target,
            "per_target": {link.dst.id: self.sent[i] for i, link in enumerate(self.out)},
            "removed": self.removed,
            "restored": self.restored,
            "healthy": [link.dst.id for i, link in enumerate(self.out) if self.healthy[i]],
        }


def find_registry(world: World, me: str, rid: str) -> Node:
    """The registry node `rid`, or a ScenarioError naming the balancer and the param."""
    for node in world.nodes:
        if node.id == rid and node.KIND == "registry":
            return node
    msg = f"params.registry: no registry node '{rid}'"
    raise ScenarioError(f"node '{me}': {msg}", [{"loc": "params.registry", "node": me, "msg": msg}])
