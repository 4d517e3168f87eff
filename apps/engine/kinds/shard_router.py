"""`shard_router`: partitions requests by key across its outgoing edges (the shards).

Model: each outgoing edge leads to one shard (typically a `database` leader, or a cache in
front of one). A request for key k goes to shard `h(k) mod n` with `strategy: hash` (a
splitmix64 finaliser: neighbouring keys land on unrelated shards, so any popularity that does
not sit on one key spreads evenly) or to shard `k * n // keys` with `strategy: range` (contiguous
key ranges: range scans stay on one shard, but a hot range overloads it). Routing takes
`route_ms` (a fixed delay, no queue); the shard's answer is relayed back. A batch write (a
write-behind flush) is routed by its first key. A crashed router refuses requests.

Metrics: requests per shard, each shard's share, and the imbalance max/mean of those counts
(1.0 is perfectly even); the shards' utilisation is in their own results.
"""

from __future__ import annotations

from typing import Literal

from apps.engine.kinds.base import Call, Node, World
from apps.engine.metrics import rnd
from apps.engine.network import K_REQUEST
from apps.engine.params import LIMITS, Strict, param

_M64 = (1 << 64) - 1


def mix64(x: int) -> int:
    """splitmix64's finaliser: a fixed, well-mixed 64-bit hash of an int (no salt)."""
    x = (x + 0x9E3779B97F4A7C15) & _M64
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _M64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _M64
    return x ^ (x >> 31)


class ShardRouterParams(Strict):
    strategy: Literal["hash", "range"] = param(
        "hash", "hash: shard = hash(key) mod shards; range: contiguous key ranges per shard"
    )
    keys: int = param(
        1000,
        "Size of the key space (range sharding splits 0..keys-1 evenly)",
        ge=1,
        le=LIMITS["max_keys"],
    )
    route_ms: float = param(0.0, "Time to route one request", unit="ms", ge=0, le=1000)


class ShardRouter(Node):
    KIND = "shard_router"
    Params = ShardRouterParams

    __slots__ = ("counts", "hashing", "nkeys", "route")

    def __init__(self, world: World, spec, index: int) -> None:
        super().__init__(world, spec, index)
        p: ShardRouterParams = spec.params
        self.hashing = p.strategy == "hash"
        self.nkeys = p.keys
        self.route = p.route_ms / 1000.0
        self.counts: list[int] = []

    def start(self) -> None:
        self.counts = [0] * len(self.out)

    def reset_window(self) -> None:
        self.counts = [0] * len(self.out)

    def shard_of(self, key: int) -> int:
        n = len(self.out)
        if self.hashing:
            return mix64(key) % n
        return min(key * n // self.nkeys, n - 1)

    def on_request(self, call: Call) -> None:
        if not self.up or not self.out:
            self.reply(call, False)
            return
        if self.route > 0.0:
            self.k.schedule(self.route, self._route, call)
        else:
            self._route(call)

    def _route(self, call: Call) -> None:
        i = self.shard_of(call.req.key)
        self.counts[i] += 1
        link = self.out[i]
        self.request(link, Call(self, link, call, call.req), K_REQUEST, 1024)

    def on_reply(self, sub: Call) -> None:
        if sub.done:
            return
        sub.done = True
        if self.up:
            self.reply(sub.ctx, sub.ok)

    def result(self, end: float) -> dict:
        total = sum(self.counts)
        mean = total / len(self.counts) if self.counts else 0.0
        return {
            "kind": self.KIND,
            "strategy": "hash" if self.hashing else "range",
            "requests": total,
            "shards": {
                lk.dst.id: {"requests": n, "share": rnd(n / total) if total else 0.0}
                for lk, n in zip(self.out, self.counts, strict=True)
            },
            "imbalance": rnd(max(self.counts) / mean) if mean else 0.0,
        }
