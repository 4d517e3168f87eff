"""Algebra of the CRDTs and version vectors: merge is a join (commutative, associative,
idempotent), counters count exactly, the OR-set is add-wins, siblings surface concurrency."""

from __future__ import annotations

import random

from apps.engine.patterns import vclock
from apps.engine.patterns.crdt import GCounter, ORSet, PNCounter


def _random_states(kind: str, rng: random.Random, n: int = 6) -> list:
    out = []
    for _ in range(n):
        if kind == "g":
            s = GCounter()
            for _ in range(rng.randint(0, 8)):
                s = s.incr(rng.randint(0, 3), rng.randint(1, 3))
        elif kind == "pn":
            s = PNCounter()
            for _ in range(rng.randint(0, 8)):
                s = s.incr(rng.randint(0, 3), rng.choice((-2, -1, 1, 2)))
        else:
            s = ORSet()
            for i in range(rng.randint(0, 8)):
                e = rng.randint(0, 4)
                s = s.add(e, (rng.randint(0, 3), i)) if rng.random() < 0.7 else s.remove(e)
        out.append(s)
    return out


def test_merge_is_a_join_for_every_crdt() -> None:
    rng = random.Random(7)
    for kind in ("g", "pn", "or"):
        for _ in range(40):
            a, b, c = _random_states(kind, rng, 3)
            assert a.merge(b).canon() == b.merge(a).canon()
            assert a.merge(b).merge(c).canon() == a.merge(b.merge(c)).canon()
            assert a.merge(a).canon() == a.canon()
            # the join is an upper bound: merging it back changes nothing
            ab = a.merge(b)
            assert ab.merge(a).canon() == ab.canon()


def test_gcounter_value_is_sum_of_increments_across_replicas() -> None:
    rng = random.Random(3)
    replicas = [GCounter() for _ in range(4)]
    total = 0
    for _ in range(500):
        r = rng.randrange(4)
        replicas[r] = replicas[r].incr(r)
        total += 1
        if rng.random() < 0.2:  # gossip a random pair, in a random direction
            a, b = rng.sample(range(4), 2)
            replicas[b] = replicas[b].merge(replicas[a])
    merged = replicas[0]
    for s in replicas[1:]:
        merged = merged.merge(s)
    assert merged.value() == total == 500
    assert GCounter({0: 2, 1: 3}).merge(GCounter({0: 5})).value() == 8


def test_pncounter_counts_up_and_down() -> None:
    a = PNCounter().incr(0, 3).incr(0, -1)
    b = PNCounter().incr(1, -4)
    assert a.merge(b).value() == -2
    assert a.merge(b).merge(a).value() == -2


def test_orset_add_wins_over_concurrent_remove() -> None:
    base = ORSet().add("x", (0, 1))
    left = base.remove("x")  # replica 0 removes the x it has seen
    right = base.add("x", (1, 1))  # replica 1 concurrently re-adds x
    assert not left.contains("x")
    assert left.merge(right).contains("x")
    assert right.merge(left).contains("x")
    # a remove that observed every add wins
    assert not left.merge(right).remove("x").contains("x")


def test_version_vectors_order_and_siblings() -> None:
    a = vclock.increment({}, 0)
    b = vclock.increment(a, 1)
    c = vclock.increment(a, 2)
    assert vclock.compare(a, b) == vclock.BEFORE
    assert vclock.compare(b, a) == vclock.AFTER
    assert vclock.compare(b, c) == vclock.CONCURRENT
    assert vclock.compare(b, dict(b)) == vclock.EQUAL
    s1 = [(b, "from-1")]
    s2 = [(c, "from-2")]
    merged = vclock.reconcile(s1, s2)
    assert [v for _, v in merged] == ["from-1", "from-2"]  # conflict surfaced, nothing lost
    assert vclock.reconcile(s2, s1) == merged
    assert vclock.reconcile(merged, merged) == merged
    resolved = vclock.write(merged, 0, "resolved")
    assert vclock.reconcile(merged, resolved) == resolved  # a write that read both wins
    assert vclock.reconcile([(a, "old")], s1) == s1  # a dominated sibling disappears


def test_replstore_same_agrees_with_canon() -> None:
    from apps.engine.patterns import replstore

    rng = random.Random(11)
    for strategy, kind in (("gcounter", "g"), ("pncounter", "pn"), ("orset", "or")):
        states = _random_states(kind, rng, 8)
        for a in states:
            for b in states:
                want = replstore.canon(strategy, a) == replstore.canon(strategy, b)
                assert replstore.same(strategy, a, b) == want
                assert replstore.same(strategy, a, a.merge(b)) == (
                    replstore.canon(strategy, a) == replstore.canon(strategy, a.merge(b))
                )
