"""What a Raft cluster shares: its members, their mesh, the checker and the run's timeline.

Model: cluster membership is every `raft_server` in the scenario (an implicit full mesh, see
patterns/mesh.py: drawn edges between servers set latency/loss for that pair and are animated;
undrawn pairs use settings.default_latency_ms). The cluster records leader elections and leader
crashes, from which the result derives election times: the first election (from t = 0) and the
downtime after every crash of a leader (from the crash to the next leader of a higher term).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from apps.engine.metrics import rnd, summary
from apps.engine.patterns.mesh import Mesh
from apps.engine.patterns.raft_checker import RaftChecker

if TYPE_CHECKING:
    from apps.engine.kinds.base import Node, World


class RaftCluster:
    """Shared state of the servers of one scenario."""

    __slots__ = ("checker", "crashes", "members", "mesh", "world")

    def __init__(self, world: World, members: list[Node]) -> None:
        self.world = world
        self.members = members
        self.mesh = Mesh(world, members)
        self.checker = RaftChecker()
        self.crashes: list[tuple[float, int]] = []  # (time, term) of each crash of a leader

    def majority(self) -> int:
        return len(self.members) // 2 + 1

    def leader(self) -> Node | None:
        """The up server that leads the highest term right now (None between leaders)."""
        best = None
        for n in self.members:
            if n.up and n.role == 2 and (best is None or n.term > best.term):
                best = n
        return best

    def downed_leader(self) -> Node | None:
        """The most recently elected leader that is down now (for `restart @leader`)."""
        by_id = {n.id: n for n in self.members}
        for _term, node, _t in reversed(self.checker.leaders):
            if not by_id[node].up:
                return by_id[node]
        return None

    def election_times(self) -> tuple[float | None, list[float]]:
        """(time of the first election, downtime after each leader crash) in seconds."""
        leaders = self.checker.leaders
        first = leaders[0][2] if leaders else None
        downs: list[float] = []
        for t_crash, term in self.crashes:
            nxt = next((t for tm, _n, t in leaders if t >= t_crash and tm > term), None)
            if nxt is not None:
                downs.append(nxt - t_crash)
        return first, downs

    def result(self, end: float) -> dict[str, Any]:
        chk = self.checker
        chk.final_logs([(n.id, n.log) for n in self.members], end)
        first, downs = self.election_times()
        return {
            "leaders": [{"term": tm, "node": n, "at_s": rnd(t)} for tm, n, t in chk.leaders],
            "max_leaders_per_term": chk.max_leaders_per_term(),
            "committed": len(chk.committed) - 1,
            "commands_committed": sum(
                1 for e in chk.applied[1:] if e is not None and e[1] is not None
            ),
            "safety_violations": list(chk.violations),
            "terms": max((n.term for n in self.members), default=0),
            "first_election_ms": None if first is None else rnd(first * 1000.0),
            "leader_crashes": len(self.crashes),
            "reelection_ms": [rnd(d * 1000.0) for d in downs],
            "reelection_ms_summary": summary(downs, 1000.0),
            "unrecovered_crashes": len(self.crashes) - len(downs),
            "messages": self.mesh.counts(),
        }
