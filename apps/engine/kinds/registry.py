"""`registry`: a service registry that health-checks instances (for service discovery).

Model: the registry's outgoing edges go to the instances it watches. Every
`health_interval_ms` it probes each one (message kind `health_check`, answered only while the
instance is up, over the edge, so cuts and partitions fail probes too); `unhealthy_threshold`
consecutive failures (a probe unanswered within `health_timeout_ms`) mark an instance down in
the registry's view, `healthy_threshold` consecutive successes mark it up again. So a crashed
instance stays "healthy" in the view for between (threshold - 1) and threshold intervals plus
the timeout: the detection delay. Load balancers read the view (`registry` param of
`load_balancer`): server-side discovery on every request, client-side from a copy refreshed
periodically. The registry serves no requests itself (answers them with an error).

Result: `instances` (watched), `healthy` (in the view at the end), `removed`, `restored`.
"""

from __future__ import annotations

from apps.engine.kinds.base import Call, Node, World
from apps.engine.kinds.load_balancer import LoadBalancer
from apps.engine.params import LIMITS, Strict, param


class RegistryParams(Strict):
    health_interval_ms: float = param(
        1000.0, "Health check period", unit="ms", gt=0, le=LIMITS["max_time_ms"]
    )
    health_timeout_ms: float = param(
        500.0, "A probe unanswered this long fails", unit="ms", gt=0, le=LIMITS["max_time_ms"]
    )
    unhealthy_threshold: int = param(
        3, "Consecutive failed probes that mark an instance down", ge=1, le=100
    )
    healthy_threshold: int = param(1, "Consecutive good probes that mark it up again", ge=1, le=100)


class Registry(LoadBalancer):
    """Reuses the balancer's probing (same state machine), without forwarding anything."""

    KIND = "registry"
    Params = RegistryParams

    __slots__ = ("by_id",)

    def __init__(self, world: World, spec, index: int) -> None:
        Node.__init__(self, world, spec, index)
        self.forwarded = self.no_target = self.removed = self.restored = 0
        self.rr = 0

    def start(self) -> None:
        self.by_id = {link.dst.id: i for i, link in enumerate(self.out)}
        n = len(self.out)
        self.ix = {link: i for i, link in enumerate(self.out)}
        self.outstanding = [0] * n
        self.healthy = [True] * n
        self.good = [0] * n
        self.bad = [0] * n
        self.reg = None
        if n:
            self.k.schedule(self.params.health_interval_ms / 1000.0, self._health_round)

    def view(self, node_id: str) -> bool:
        """Is `node_id` healthy in the registry's view (unwatched ids count as healthy)?"""
        i = self.by_id.get(node_id)
        return True if i is None else self.healthy[i]

    def on_request(self, call: Call) -> None:
        self.reply(call, False)

    def result(self, end: float) -> dict:
        return {
            "kind": self.KIND,
            "instances": len(self.out),
            "healthy": [link.dst.id for i, link in enumerate(self.out) if self.healthy[i]],
            "removed": self.removed,
            "restored": self.restored,
        }
