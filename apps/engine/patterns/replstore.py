"""Per-key state of a replicated key-value store under one conflict strategy.

Model: every write is "record write `wid` on key k" (think: add an item to a cart, or count a
click). A strategy says how one replica applies a local write, how it merges a peer's state
(the join used by replication and anti-entropy), what a reader sees, and whether a given
acknowledged write is reflected in a state (`seen`, for stale-read checks). States are
immutable values, so replication messages can carry them without copying.

- `lww`: a register (version, ids) with version (time, replica, seq); merge keeps the higher
  version. A write reads the local ids and adds its own, so concurrent writes overwrite each
  other: the loser's ids are silently lost.
- `version_vector`: sibling list [(clock, ids)] (patterns/vclock.py); concurrent writes survive
  as siblings; the reader merges siblings by union, so nothing is lost.
- `gcounter` / `pncounter`: a CRDT counter per key; a write increments (pncounter: every third
  write id decrements); nothing is lost, value = number of (signed) acknowledged writes.
- `orset`: an OR-set per key; a write adds its id with tag (replica, seq).

A *dot* identifies an acknowledged write for `seen`: the version (lww), (replica, count) for
clocks and counters, (id, tag) for the OR-set.
"""

from __future__ import annotations

from typing import Any

from apps.engine.patterns import vclock
from apps.engine.patterns.crdt import GCounter, ORSet, PNCounter

STRATEGIES = ("lww", "version_vector", "gcounter", "pncounter", "orset")
EMPTY_IDS: frozenset = frozenset()
# A register's value is a history node (write id, parent nodes): the set of ids a reader sees is
# everything reachable from it. A write links to what it read in O(1) instead of copying a set
# that grows with every write; `ids` walks the graph once, at the end of a run.
ROOT: tuple = (None, ())
LWW0 = ((-1.0, -1, -1), ROOT)


def initial(strategy: str) -> Any:
    if strategy == "lww":
        return LWW0
    if strategy == "version_vector":
        return []
    if strategy == "gcounter":
        return GCounter()
    if strategy == "pncounter":
        return PNCounter()
    return ORSet()


def local_write(strategy: str, state: Any, replica: int, wid: int, now: float, seq: int):
    """(new state, dot, delta) of a write with id `wid` made at `replica`.

    `delta` is what replication pushes: merging it into a peer has the same effect as merging
    the new state (delta-state CRDTs, Almeida et al. 2018), at the cost of the change only.
    """
    if strategy == "lww":
        version = (now, replica, seq)
        new = (version, (wid, (state[1],)))
        return new, version, new
    if strategy == "version_vector":
        new = vclock.write(state, replica, (wid, tuple(v for _, v in state)))
        return new, (replica, new[0][0][replica]), new
    if strategy == "gcounter":
        new = state.incr(replica)
        return new, (replica, new.count_at(replica)), new
    if strategy == "pncounter":
        new = state.incr(replica, -1 if wid % 3 == 0 else 1)
        return new, (replica, new.count_at(replica)), new
    tag = (replica, seq)
    new = state.add(wid, tag)
    # the delta shares the tag set object, so merges elsewhere recognise it by identity
    return new, (wid, tag), ORSet({wid: new.adds[wid]})


def merge(strategy: str, a: Any, b: Any) -> Any:
    if strategy == "lww":
        return a if a[0] >= b[0] else b
    if strategy == "version_vector":
        return vclock.reconcile(a, b)
    return a.merge(b)


def seen(strategy: str, state: Any, dot: Any) -> bool:
    """Whether `state` reflects (or supersedes) the acknowledged write `dot`."""
    if strategy == "lww":
        return state[0] >= dot
    if strategy == "version_vector":
        replica, count = dot
        return vclock.context(state).get(replica, 0) >= count
    if strategy in ("gcounter", "pncounter"):
        return state.count_at(dot[0]) >= dot[1]
    return state.has_tag(dot[0], dot[1])


def same(strategy: str, a: Any, b: Any) -> bool:
    """Whether two states are equal (cheap: compares shared parts by identity first)."""
    if a is b:
        return True
    if strategy == "lww":
        return a[0] == b[0]
    if strategy == "version_vector":
        return canon(strategy, a) == canon(strategy, b)
    if strategy == "gcounter":
        return a.p == b.p
    if strategy == "pncounter":
        return a.p.p == b.p.p and a.n.p == b.n.p
    return a.adds == b.adds and a.removed == b.removed


def canon(strategy: str, state: Any) -> Any:
    """Hashable canonical form: equal canon <=> same state."""
    if strategy == "lww":
        return state[0]
    if strategy == "version_vector":
        return tuple(vclock._key(c) for c, _ in state)
    return state.canon()


def ids(strategy: str, state: Any) -> frozenset:
    """Write ids a reader sees (set strategies only)."""
    if strategy == "lww":
        return _reachable([state[1]])
    if strategy == "version_vector":
        return _reachable([v for _, v in state])
    if strategy == "orset":
        return frozenset(state.value())
    return EMPTY_IDS


def _reachable(heads: list) -> frozenset:
    """Write ids reachable from history nodes (visited by identity: nodes are shared)."""
    out: set = set()
    visited: set[int] = set()
    stack = list(heads)
    while stack:
        node = stack.pop()
        if id(node) in visited:
            continue
        visited.add(id(node))
        if node[0] is not None:
            out.add(node[0])
        stack.extend(node[1])
    return frozenset(out)


def ops(strategy: str, state: Any) -> int:
    """Writes a counter state reflects (counter strategies only)."""
    if strategy == "gcounter":
        return state.value()
    return state.p.value() + state.n.value()


def siblings(strategy: str, state: Any) -> int:
    return len(state) if strategy == "version_vector" else 1
