"""Version vectors (vector clocks over replicas) and sibling sets.

Model: a clock is a dict replica-index -> counter (missing entries are 0). `a` happened before
`b` when every entry of `a` is <= the one in `b` and the clocks differ; two clocks neither of
which dominates are concurrent. A replicated register keeps *siblings*: the (clock, value) pairs
no other pair dominates. A write made after reading siblings carries the merge of their clocks
with its own entry incremented, so it supersedes exactly what it read; writes made concurrently
(e.g. on both sides of a partition) both survive as siblings: the conflict is surfaced to the
reader instead of being silently lost (Dynamo, DeCandia et al. 2007). Functions never mutate
their arguments.
"""

from __future__ import annotations

from typing import Any

Clock = dict[int, int]
BEFORE, AFTER, EQUAL, CONCURRENT = -1, 1, 0, 2


def increment(clock: Clock, replica: int) -> Clock:
    """A copy of `clock` with `replica`'s entry advanced by one."""
    out = dict(clock)
    out[replica] = out.get(replica, 0) + 1
    return out


def merge(a: Clock, b: Clock) -> Clock:
    """Entry-wise maximum: the least upper bound of two clocks."""
    out = dict(a)
    for r, c in b.items():
        if c > out.get(r, 0):
            out[r] = c
    return out


def compare(a: Clock, b: Clock) -> int:
    """BEFORE (a < b), AFTER (a > b), EQUAL or CONCURRENT."""
    le = all(c <= b.get(r, 0) for r, c in a.items())
    ge = all(c <= a.get(r, 0) for r, c in b.items())
    if le and ge:
        return EQUAL
    if le:
        return BEFORE
    if ge:
        return AFTER
    return CONCURRENT


def dominates(a: Clock, b: Clock) -> bool:
    """a >= b entry-wise (b happened before a, or they are equal)."""
    return all(c <= a.get(r, 0) for r, c in b.items())


Sibling = tuple[Clock, Any]


def reconcile(mine: list[Sibling], theirs: list[Sibling]) -> list[Sibling]:
    """Siblings of the union that no other sibling strictly dominates (duplicates once).

    Commutative, associative and idempotent up to the order of the list, which is canonical:
    sorted by the clock's sorted items.
    """
    pool: list[Sibling] = []
    for clock, value in mine + theirs:
        if not any(_key(c) == _key(clock) for c, _ in pool):
            pool.append((clock, value))
    keep = [
        (c, v) for c, v in pool if not any(compare(c, o) == BEFORE for o, _ in pool if o is not c)
    ]
    keep.sort(key=lambda s: _key(s[0]))
    return keep


def _key(clock: Clock) -> tuple[tuple[int, int], ...]:
    return tuple(sorted((r, c) for r, c in clock.items() if c))


def write(siblings: list[Sibling], replica: int, value: Any) -> list[Sibling]:
    """A write at `replica` that read `siblings`: one sibling superseding all of them."""
    clock: Clock = {}
    for c, _ in siblings:
        clock = merge(clock, c)
    return [(increment(clock, replica), value)]


def context(siblings: list[Sibling]) -> Clock:
    """The merged clock of a sibling set: everything a reader of it has seen."""
    clock: Clock = {}
    for c, _ in siblings:
        clock = merge(clock, c)
    return clock
