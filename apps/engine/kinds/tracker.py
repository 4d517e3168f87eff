"""`tracker`: the BitTorrent tracker that introduces the peers of one swarm to each other.

Model: a tracker holds the torrent's description (`file_mb` split into `piece_kb` pieces) and the
swarm's rules (unchoke slots, choking and optimistic-unchoke periods, neighbours per peer, the
tick of the fluid bandwidth model). Every `peer` with `protocol: bittorrent` joins the swarm of
the scenario's first tracker; the swarm itself runs in apps/engine/patterns/bittorrent.py and is
reported by the peers (result["protocols"]["bittorrent"]). The tracker takes no traffic itself.
"""

from __future__ import annotations

from apps.engine.kinds.base import Node
from apps.engine.params import Strict, param


class TrackerParams(Strict):
    file_mb: float = param(10.0, "Size of the shared file", unit="MB", gt=0, le=10_000)
    piece_kb: float = param(64.0, "Piece size", unit="kB", ge=1, le=65_536)
    unchoke_slots: int = param(
        4, "Peers each peer uploads to at once (one of them optimistic)", ge=2, le=64
    )
    choke_s: float = param(10.0, "Tit-for-tat re-choking period", unit="s", gt=0, le=600)
    optimistic_s: float = param(30.0, "Optimistic-unchoke rotation period", unit="s", gt=0, le=600)
    neighbours: int = param(40, "Peers the tracker gives each peer", ge=1, le=1000)
    tick_ms: float = param(500.0, "Step of the fluid bandwidth model", unit="ms", ge=10, le=10_000)


class Tracker(Node):
    KIND = "tracker"
    Params = TrackerParams

    __slots__ = ()

    def result(self, end: float) -> dict:
        return {"kind": self.KIND}
