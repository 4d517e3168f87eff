"""Group-level bookkeeping of `replica` nodes: membership, the oracle, per-second series.

Model: a group is a connected component of replicas (edges in either direction). It keeps the
*oracle*: per key, the dot of the latest acknowledged write and every acknowledged write id (or
count, for counters). A read is stale when its answer does not reflect the oracle's latest dot
as of the moment the read arrived. Every simulated second the group records availability (ok /
answered), the stale fraction of reads and the number of divergent keys (keys whose canonical
state is not the same on every member, crashed members included: their state is durable).
Lost updates are counted at the end on the join of the members' states (what the group holds
once replication in flight lands): acknowledged writes it does not reflect (lww loses concurrent
ones; version vectors and CRDTs lose none).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from apps.engine.metrics import rnd
from apps.engine.patterns import replstore

if TYPE_CHECKING:
    from apps.engine.kinds.replica import Replica


class Pending:
    """A quorum read or write waiting for `need` answers."""

    __slots__ = ("best", "call", "done", "got", "key", "need", "snap", "state", "write")

    def __init__(self, call: Any, key: int, need: int, write: bool) -> None:
        self.call = call
        self.key = key
        self.need = need
        self.write = write
        self.got = 0
        self.done = False
        self.best: Any = None
        self.snap: Any = None
        self.state: Any = None


class Group:
    __slots__ = (
        "acked_ids",
        "acked_ops",
        "div",
        "k",
        "last",
        "members",
        "ok",
        "reads",
        "sib",
        "stale",
        "strategy",
        "total",
    )

    def __init__(self, members: list[Replica]) -> None:
        self.members = members
        self.strategy = members[0].strategy
        self.k = members[0].k
        self.last: dict[int, Any] = {}  # key -> dot of the latest acknowledged write
        self.acked_ids: dict[int, list[int]] = {}
        self.acked_ops: dict[int, int] = {}
        # per-second series, index = int(t)
        self.ok: list[int] = []
        self.total: list[int] = []
        self.reads: list[int] = []
        self.stale: list[int] = []
        self.div: list[int] = []
        self.sib = 0  # most siblings any key had at a sample (version vectors)
        self.k.schedule(1.0, self._sample)

    @staticmethod
    def build(first: Replica) -> None:
        """Find `first`'s component (breadth first over peers) and share one Group."""
        seen = {first.index: first}
        todo = [first]
        while todo:
            node = todo.pop()
            for link in node.world.links:
                for a, b in ((link.src, link.dst), (link.dst, link.src)):
                    if a is node and type(b) is type(first) and b.index not in seen:
                        seen[b.index] = b
                        todo.append(b)
        members = [seen[i] for i in sorted(seen)]
        grp = Group(members)
        for m in members:
            m.grp = grp

    def preference(self, key: int, n: int) -> list[Replica]:
        size = len(self.members)
        n = min(n, size)
        return [self.members[(key + i) % size] for i in range(n)]

    # oracle ----------------------------------------------------------------------------------
    def acked(self, key: int, wid: int, dot: Any) -> None:
        self.last[key] = dot
        self.acked_ids.setdefault(key, []).append(wid)
        self.acked_ops[key] = self.acked_ops.get(key, 0) + 1

    def latest(self, key: int) -> Any:
        return self.last.get(key)

    def read(self, replica: Replica, key: int, state: Any, snap: Any) -> None:
        sec = self._bucket(self.reads)
        self.reads[sec] += 1
        if snap is not None and not replstore.seen(self.strategy, state, snap):
            self.stale[sec] += 1
            replica.stats[3] += 1

    def answered(self, now: float, ok: bool) -> None:
        sec = self._bucket(self.total)
        self.total[sec] += 1
        if ok:
            self.ok[sec] += 1

    def _bucket(self, series: list[int]) -> int:
        sec = int(self.k.now)
        for s in (self.ok, self.total, self.reads, self.stale):
            while len(s) <= sec:
                s.append(0)
        return sec

    # divergence ------------------------------------------------------------------------------
    def divergent_keys(self) -> int:
        strategy = self.strategy
        same = replstore.same
        keys = sorted({key for m in self.members for key in m.store})
        empty = replstore.initial(strategy)
        count = 0
        for key in keys:
            states = [m.store.get(key, empty) for m in self.members]
            first = states[0]
            if not all(same(strategy, first, s) for s in states[1:]):
                count += 1
        return count

    def siblings_now(self) -> int:
        return max((len(s) for m in self.members for s in m.store.values()), default=0)

    def _sample(self, _: object) -> None:
        self.div.append(self.divergent_keys())
        if self.strategy == "version_vector":
            self.sib = max(self.sib, self.siblings_now())
        self.k.schedule(1.0, self._sample)

    # final fold ------------------------------------------------------------------------------
    def joined(self, key: int) -> Any:
        """The join of every member's state of `key`: what the group holds once all the
        replication in flight has arrived (messages only carry states a member already had)."""
        strategy = self.strategy
        state = replstore.initial(strategy)
        for m in self.members:
            if key in m.store:
                state = replstore.merge(strategy, state, m.store[key])
        return state

    def lost_updates(self) -> int:
        """Acknowledged writes the joined state does not reflect: lost for good."""
        strategy = self.strategy
        lost = 0
        for key, wids in self.acked_ids.items():
            state = self.joined(key)
            if strategy in ("gcounter", "pncounter"):
                lost += self.acked_ops[key] - replstore.ops(strategy, state)
            else:
                have = replstore.ids(strategy, state)
                lost += sum(1 for wid in wids if wid not in have)
        return lost

    def result(self, end: float) -> dict[str, Any]:
        secs = max(len(self.total), int(end))
        for s in (self.ok, self.total, self.reads, self.stale):
            s.extend([0] * (secs - len(s)))
        w = math.ceil(self.members[0].world.warmup)  # totals count whole seconds after the warmup
        reads, stale = sum(self.reads[w:]), sum(self.stale[w:])
        ok, total = sum(self.ok[w:]), sum(self.total[w:])
        first = self.members[0]
        p = first.params
        out: dict[str, Any] = {
            "members": [m.id for m in self.members],
            "mode": p.mode,
            "strategy": self.strategy,
            "writes_acked": sum(self.acked_ops.values()),
            "reads": reads,
            "stale_reads": stale,
            "stale_fraction": rnd(stale / reads) if reads else 0.0,
            "availability": rnd(ok / total) if total else 1.0,
            "divergent_keys": self.divergent_keys(),
            "divergence_max": max(self.div, default=0),
            "series": {
                "availability": _ratios(self.ok, self.total, 1.0),
                "stale_fraction": _ratios(self.stale, self.reads, 0.0),
                "divergent_keys": list(self.div),
            },
        }
        if p.mode == "multi_leader":  # quorum writes are blind overwrites: nothing to lose
            out["lost_updates"] = self.lost_updates()
        if p.mode == "quorum":
            n = min(p.n, len(self.members))
            out.update(n=n, r=p.r, w=p.w, strict_quorum=p.r + p.w > n)
        if self.strategy == "version_vector":
            out["siblings_max"] = max(self.sib, self.siblings_now())
            out["keys_with_siblings"] = sum(1 for k in self.acked_ops if len(self.joined(k)) > 1)
        if self.strategy in ("gcounter", "pncounter"):
            joined = [self.joined(key) for key in self.acked_ops]
            out["counter_total"] = sum(replstore.ops(self.strategy, s) for s in joined)
        return out


def _ratios(top: list[int], bottom: list[int], empty: float) -> list[float]:
    return [rnd(t / b) if b else empty for t, b in zip(top, bottom, strict=True)]


def _groups(members: list) -> list[Group]:
    out: list[Group] = []
    for m in members:
        if m.grp is not None and all(g is not m.grp for g in out):
            out.append(m.grp)
    return out


def group_result(members: list, end: float) -> dict[str, Any]:
    """result["protocols"]["replication"]: one entry per group, keyed by its first member."""
    return {"groups": {g.members[0].id: g.result(end) for g in _groups(members)}}


def group_frame(members: list) -> dict[str, Any]:
    """Per member, in member order: ok, errors, stale reads so far, its group's divergence."""
    return {
        "nodes": [m.id for m in members],
        "ok": [m.stats[1] for m in members],
        "errors": [m.stats[2] for m in members],
        "stale": [m.stats[3] for m in members],
        "divergent_keys": [m.grp.div[-1] if m.grp.div else 0 for m in members],
    }
