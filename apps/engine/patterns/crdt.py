"""State-based CRDTs: G-counter, PN-counter and OR-set (Shapiro et al. 2011).

Model: each type's states form a join-semilattice; `merge` is the join (least upper bound), so
it is commutative, associative and idempotent, and replicas that have received the same updates
in any order, any number of times, hold the same state (strong eventual consistency). Replicas
are identified by an int. States are plain dicts/sets wrapped in small classes; `merge` never
mutates its arguments (it may return one of them when that one already is the join);
`canon()` is a hashable canonical form (equal states give equal canon).

- G-counter: one non-decreasing count per replica; value = sum; join = entry-wise max.
- PN-counter: two G-counters, increments P and decrements N; value = sum(P) - sum(N).
- OR-set (observed-remove, add-wins): an add creates a unique tag (replica, seq); a remove
  tombstones the tags it has *observed*; an element is present while it has a live tag, so an
  add concurrent with a remove wins.
"""

from __future__ import annotations

from typing import Any


class GCounter:
    __slots__ = ("p",)

    def __init__(self, p: dict[int, int] | None = None) -> None:
        self.p: dict[int, int] = dict(p or {})

    def incr(self, replica: int, n: int = 1) -> GCounter:
        out = GCounter(self.p)
        out.p[replica] = out.p.get(replica, 0) + n
        return out

    def value(self) -> int:
        return sum(self.p.values())

    def merge(self, other: GCounter) -> GCounter:
        out = GCounter(self.p)
        for r, c in other.p.items():
            if c > out.p.get(r, 0):
                out.p[r] = c
        return out

    def count_at(self, replica: int) -> int:
        return self.p.get(replica, 0)

    def canon(self) -> tuple:
        return tuple(sorted(self.p.items()))


class PNCounter:
    __slots__ = ("n", "p")

    def __init__(self, p: GCounter | None = None, n: GCounter | None = None) -> None:
        self.p = p or GCounter()
        self.n = n or GCounter()

    def incr(self, replica: int, delta: int = 1) -> PNCounter:
        if delta >= 0:
            return PNCounter(self.p.incr(replica, delta), self.n)
        return PNCounter(self.p, self.n.incr(replica, -delta))

    def value(self) -> int:
        return self.p.value() - self.n.value()

    def merge(self, other: PNCounter) -> PNCounter:
        return PNCounter(self.p.merge(other.p), self.n.merge(other.n))

    def count_at(self, replica: int) -> int:
        """Operations originated at `replica` (each of magnitude 1 in the replica kind)."""
        return self.p.count_at(replica) + self.n.count_at(replica)

    def canon(self) -> tuple:
        return self.p.canon(), self.n.canon()


Tag = tuple[int, int]


class ORSet:
    __slots__ = ("adds", "removed")

    def __init__(self, adds: dict[Any, frozenset] | None = None, removed: frozenset = frozenset()):
        self.adds: dict[Any, frozenset] = dict(adds or {})  # element -> tags ever added
        self.removed: frozenset = removed  # tombstoned tags

    def add(self, element: Any, tag: Tag) -> ORSet:
        out = ORSet(self.adds, self.removed)
        out.adds[element] = out.adds.get(element, frozenset()) | {tag}
        return out

    def remove(self, element: Any) -> ORSet:
        """Tombstone the tags of `element` this replica has observed."""
        return ORSet(self.adds, self.removed | self.adds.get(element, frozenset()))

    def contains(self, element: Any) -> bool:
        return bool(self.adds.get(element, frozenset()) - self.removed)

    def value(self) -> list:
        return sorted(e for e, tags in self.adds.items() if tags - self.removed)

    def has_tag(self, element: Any, tag: Tag) -> bool:
        return tag in self.adds.get(element, frozenset())

    def merge(self, other: ORSet) -> ORSet:
        # Fast paths (C-level subset checks of the item views): when one side already contains
        # the other, the join *is* that side, and returning the very object lets converged
        # replicas share states, so later merges and comparisons stop at an identity check.
        if self is other:
            return self
        mine, theirs = self.adds.items(), other.adds.items()
        if theirs <= mine and other.removed <= self.removed:
            return self
        if mine <= theirs and self.removed <= other.removed:
            return other
        out = ORSet(self.adds, self.removed | other.removed)
        adds = out.adds
        for e, tags in other.adds.items():
            have = adds.get(e)
            if have is None:
                adds[e] = tags
            elif have is not tags:
                adds[e] = have | tags
        return out

    def canon(self) -> tuple:
        return (
            tuple(sorted((e, tuple(sorted(t))) for e, t in self.adds.items())),
            tuple(sorted(self.removed)),
        )
