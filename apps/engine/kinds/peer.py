"""`peer`: a member of a peer-to-peer overlay (Chord DHT, Gnutella-style flooding, BitTorrent).

Model: a `peer` node is one peer, or with `count: N` a group of N generated peers drawn as one
node (ids derived from the node id and the index). All peers of one `protocol` in a scenario form
one overlay, built by the protocol's pattern module (apps/engine/patterns/) when the first of
them starts: Chord (chord.py) puts them on one identifier ring; flooding (flooding.py) joins
the drawn edges between peer nodes and, inside a group, a generated random regular graph;
BitTorrent (bittorrent.py) forms the swarm of a `tracker`. Messages between peers travel over
the overlay transport (overlay.py) with `latency_ms` (+ a seeded per-pair `latency_spread_ms`).
A crashed peer node takes all its generated peers out of the overlay; a restart brings them back.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import model_validator

from apps.engine.kinds.base import Node, World
from apps.engine.params import LIMITS, Strict, param

MAX_COUNT = 100_000


class PeerParams(Strict):
    protocol: Literal["chord", "flooding", "bittorrent"] = param(
        "chord", "Overlay protocol this peer runs"
    )
    count: int = param(1, "Generated peers this node stands for", ge=1, le=MAX_COUNT)
    latency_ms: float = param(
        20.0, "One-way overlay latency between peers", unit="ms", ge=0, le=LIMITS["max_time_ms"]
    )
    latency_spread_ms: float = param(
        0.0, "Extra per-pair latency, seeded, uniform in [0, spread]", unit="ms", ge=0, le=10_000
    )
    # chord
    lookups_per_s: float = param(
        1.0, "Chord: lookups per second issued by each peer of this node", unit="1/s", ge=0, le=1000
    )
    id_bits: int = param(32, "Chord: identifier length m (ring of 2^m ids)", ge=8, le=64)
    successors: int = param(4, "Chord: successor list length r", ge=1, le=32)
    stabilize_ms: float = param(
        1000.0, "Chord: stabilisation period after joins/leaves", unit="ms", gt=0, le=60_000
    )
    churn_per_s: float = param(
        0.0,
        "Chord: leave+rejoin events per second among this node's peers",
        unit="1/s",
        ge=0,
        le=1000,
    )
    # flooding
    ttl: int = param(4, "Flooding: hops a query may travel", ge=1, le=32)
    queries_per_s: float = param(
        1.0, "Flooding: queries per second issued by this node's peers", unit="1/s", ge=0, le=10_000
    )
    degree: int = param(4, "Flooding: degree of the generated random graph", ge=2, le=64)
    superpeers: int = param(
        0,
        "Flooding: super-peers among the generated peers (0: pure flooding)",
        ge=0,
        le=MAX_COUNT,
    )
    # bittorrent
    upload_kbps: float = param(1000.0, "BitTorrent: upload capacity", unit="kbit/s", gt=0, le=1e7)
    download_kbps: float = param(
        4000.0, "BitTorrent: download capacity", unit="kbit/s", gt=0, le=1e7
    )
    seed: bool = param(False, "BitTorrent: starts with the whole file (a seeder)")

    @model_validator(mode="after")
    def _total_rate(self) -> PeerParams:
        """A generated group must not ask for more work than a whole scenario may."""
        cap = LIMITS["max_total_rate_rps"]
        if self.protocol == "chord" and self.count * self.lookups_per_s > cap:
            raise ValueError(f"lookups_per_s: count x lookups_per_s must be <= {cap:g}")
        return self


class Peer(Node):
    KIND = "peer"
    Params = PeerParams

    __slots__ = ("first", "ov")

    def __init__(self, world: World, spec: Any, index: int) -> None:
        super().__init__(world, spec, index)
        self.ov: Any = None  # the protocol's shared overlay object
        self.first = 0  # number of this node's first peer in it

    def start(self) -> None:
        if self.ov is None:
            _build(self.world, self.params.protocol)
        p = self.params
        if p.protocol == "chord":
            from apps.engine.patterns.chord import lookup_source

            lookup_source(self.ov, self, self.first, p.lookups_per_s * p.count, p.churn_per_s)
        elif p.protocol == "flooding":
            self.ov.start_host(self)

    def crash(self) -> None:
        super().crash()
        self.ov.host_down(self)

    def restart(self) -> None:
        super().restart()
        self.ov.host_up(self)

    @classmethod
    def protocol_result(cls, world: World, members: list[Node], end: float) -> dict[str, Any]:
        return {name: ov.result() for name, ov in _overlays(members)}

    @classmethod
    def frame_state(cls, world: World, members: list[Node], t: float) -> dict[str, Any]:
        return {name: ov.frame() for name, ov in _overlays(members)}


def _overlays(members: list[Node]) -> list[tuple[str, Any]]:
    seen: dict[str, Any] = {}
    for n in members:
        seen.setdefault(n.params.protocol, n.ov)
    return sorted(seen.items())


def _build(world: World, protocol: str) -> None:
    """Build the shared overlay of every peer running `protocol` and hand it to each."""
    hosts = [n for n in world.nodes if isinstance(n, Peer) and n.params.protocol == protocol]
    if protocol == "chord":
        from apps.engine.patterns.chord import Chord

        ov: Any = Chord(world, hosts)
    elif protocol == "flooding":
        from apps.engine.patterns.flooding import Flooding

        ov = Flooding(world, hosts)
    else:
        from apps.engine.patterns.bittorrent import Swarm

        ov = Swarm(world, hosts)
    first = 0
    for h in hosts:
        h.ov = ov
        h.first = first
        first += h.params.count
