"""Peer-to-peer transport: messages between overlay peers that are not drawn edges.

Model: an overlay has `n` peers, numbered 0..n-1; each lives on a host node (a drawn `peer`
node, which may stand for many generated peers). A message from peer a to peer b is delivered
after a one-way latency `base + spread * h(a, b)`, where `h` is a seeded hash of the unordered
pair in [0, 1): constant per pair, symmetric, independent of creation order. A pair of peers
joined by a drawn edge may be given that edge's latency instead (`pair_lat`, used by flooding).
No loss, no bandwidth (protocols that need bandwidth, like the swarm, model it themselves). A
delivery is one heap push on the kernel (callback style).

Recording (only when the run is recorded): a message between two hosts joined by a drawn edge
is recorded on that edge, otherwise as a local mark at the sending host. To keep frames within
reason the overlay stops recording while the network's pending list already holds `REC_CAP`
rows (the recorder empties it at every frame and samples it down anyway).
"""

from __future__ import annotations

from array import array
from collections.abc import Callable
from heapq import heappush
from typing import Any

from apps.engine.kernel import PRIO_MODEL
from apps.engine.rng import derive_seed

REC_CAP = 20_000
_MASK = (1 << 64) - 1


def pair_fraction(a: int, b: int, salt: int) -> float:
    """A seeded value in [0, 1) for the unordered pair {a, b} (splitmix64 finaliser)."""
    if a > b:
        a, b = b, a
    x = (a * 0x9E3779B97F4A7C15 + b * 0xBF58476D1CE4E5B9 + salt) & _MASK
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _MASK
    return ((x ^ (x >> 31)) >> 11) / float(1 << 53)


class Overlay:
    """Schedules peer-to-peer deliveries on the kernel and records a bounded share of them."""

    __slots__ = (
        "base",
        "codes",
        "heap",
        "host",
        "hosts",
        "k",
        "pair_lat",
        "rec",
        "salt",
        "sent",
        "seq",
        "spread",
    )

    def __init__(self, world: Any, hosts: list[Any], host_of: array, name: str) -> None:
        self.k = world.kernel
        self.heap = world.kernel.heap
        self.seq = world.kernel.seq
        self.hosts = hosts  # host nodes, indexed by host_of values
        self.host = host_of  # peer -> index into hosts
        p = hosts[0].params
        self.base = getattr(p, "latency_ms", 20.0) / 1000.0
        self.spread = getattr(p, "latency_spread_ms", 0.0) / 1000.0
        self.salt = derive_seed(world.seed, f"overlay:{name}")
        self.rec = world.net.rec if world.net is not None else None
        self.sent = 0  # every message, for per-protocol message counts
        self.pair_lat: dict[tuple[int, int], float] = {}
        self.codes: dict[tuple[int, int], int] = {}
        if self.rec is not None:
            self._edge_codes(world)

    def _edge_codes(self, world: Any) -> None:
        """Recorder codes for (host a, host b) pairs joined by a drawn edge."""
        pos = {id(h): i for i, h in enumerate(self.hosts)}
        for link in world.links:
            a, b = pos.get(id(link.src)), pos.get(id(link.dst))
            if a is not None and b is not None:
                self.codes[(a, b)] = link.cf
                self.codes[(b, a)] = link.cr

    def delay(self, a: int, b: int) -> float:
        """One-way latency from peer a to peer b (seconds)."""
        if self.spread:
            return self.base + self.spread * pair_fraction(a, b, self.salt)
        return self.base

    def send(self, a: int, b: int, kind: int, fn: Callable[[Any], object], arg: Any) -> None:
        """Deliver `fn(arg)` after the a -> b latency."""
        d = self.base + self.spread * pair_fraction(a, b, self.salt) if self.spread else self.base
        if self.pair_lat:
            d = self.pair_lat.get((a, b), d)
        now = self.k.now
        heappush(self.heap, (now + d, PRIO_MODEL, next(self.seq), fn, arg))
        self.sent += 1
        rec = self.rec
        if rec is not None and len(rec) < REC_CAP:
            ha, hb = self.host[a], self.host[b]
            code = self.codes.get((ha, hb))
            if code is None:
                code = -1 - self.hosts[ha].index
            rec.append((now, d, code, kind))

    def note(self, a: int, b: int, kind: int) -> None:
        """Record (only) a transfer a -> b that the protocol models itself, e.g. a piece."""
        rec = self.rec
        if rec is not None and len(rec) < REC_CAP:
            ha, hb = self.host[a], self.host[b]
            code = self.codes.get((ha, hb))
            if code is None:
                code = -1 - self.hosts[ha].index
            rec.append((self.k.now, self.base, code, kind))
