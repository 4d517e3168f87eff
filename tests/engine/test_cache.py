"""The cache kind against caching theory: Che's approximation, C/K, the TTL-cache formula."""

from __future__ import annotations

import random

import pytest

from apps.engine import simulate
from apps.engine.patterns.lru import LRU, che_hit_ratio, ttl_hit_ratio
from apps.engine.workload import KeySampler
from tests.engine.data_helpers import scenario


def cache_only(client: dict, cache: dict, duration_s: float = 60, seed: int = 1) -> dict:
    """client -(0 ms)-> cache with no database: pure hit-ratio measurement (IRM)."""
    return simulate(
        scenario(
            [("u", "client", client), ("c", "cache", {"lookup_ms": 0, **cache})],
            [("u", "c", 0)],
            duration_s=duration_s,
            seed=seed,
        )
    )["nodes"]["c"]


def probs(keys: int, dist: str, s: float = 1.0) -> list[float]:
    ks = KeySampler(keys, dist, s, random.Random(0).random)
    return [ks.probability(k) for k in range(keys)]


def test_lru_store_evicts_least_recently_used_and_expires():
    lru = LRU(2, 1.0)
    lru.put(1, 0.0)
    lru.put(2, 0.0)
    assert lru.get(1, 0.5)  # 1 is now the most recent
    lru.put(3, 0.5)  # evicts 2
    assert not lru.get(2, 0.5)
    assert lru.get(3, 1.4)
    assert not lru.get(1, 1.0)  # stored at 0.0 with a 1 s TTL: expired
    assert lru.evictions == 1


def test_uniform_keys_hit_ratio_is_capacity_over_keys():
    c = cache_only({"rate_rps": 2000, "keys": 1000}, {"capacity": 250})
    assert c["hits"] + c["misses"] > 100_000
    assert c["hit_ratio"] == pytest.approx(0.25, abs=0.01)
    assert c["evictions"] == pytest.approx(c["misses"], rel=0.01)  # full: each miss evicts


@pytest.mark.parametrize(("s", "cap"), [(0.8, 100), (1.2, 50)])
def test_lru_zipf_hit_ratio_matches_che_approximation(s, cap):
    c = cache_only(
        {"rate_rps": 2000, "keys": 1000, "key_dist": "zipf", "zipf_s": s}, {"capacity": cap}
    )
    che = che_hit_ratio(probs(1000, "zipf", s), cap)
    assert c["hit_ratio"] == pytest.approx(che, abs=0.015), (c["hit_ratio"], che)


def test_ttl_cache_hit_ratio_matches_the_poisson_formula():
    rate, ttl = 1000.0, 0.05
    c = cache_only(
        {"rate_rps": rate, "keys": 200, "key_dist": "zipf", "zipf_s": 0.8},
        {"capacity": None, "ttl_ms": ttl * 1000},
    )
    theory = ttl_hit_ratio(probs(200, "zipf", 0.8), rate, ttl)
    assert c["hit_ratio"] == pytest.approx(theory, abs=0.01), (c["hit_ratio"], theory)
    assert c["evictions"] == 0


def three_tier(strategy: str, *, faults=None, db_ms: float = 5.0) -> dict:
    client = {"rate_rps": 400, "read_ratio": 0.7, "keys": 500, "key_dist": "zipf"}
    db = {"read_time_ms": db_ms, "write_time_ms": db_ms, "time_dist": "constant"}
    return simulate(
        scenario(
            [
                ("u", "client", client),
                ("c", "cache", {"strategy": strategy, "capacity": 100, "lookup_ms": 0.5}),
                ("db", "database", db),
            ],
            [("u", "c", 2), ("c", "db", 2)],
            duration_s=40,
            faults=faults,
        )
    )


def test_cache_aside_pays_one_extra_round_trip_per_miss():
    aside, through = three_tier("cache_aside"), three_tier("read_through")
    ca, rt = aside["nodes"]["c"], through["nodes"]["c"]
    assert ca["hit_ratio"] == pytest.approx(rt["hit_ratio"], abs=0.01)
    reads_missed = ca["misses"] / (ca["hits"] + ca["misses"])
    n_reads = ca["hits"] + ca["misses"]
    n_all = aside["nodes"]["u"]["completed"]
    extra = aside["summary"]["latency_ms"]["mean"] - through["summary"]["latency_ms"]["mean"]
    # one 2 x 2 ms round trip per missed read, averaged over every request
    assert extra == pytest.approx(4.0 * reads_missed * n_reads / n_all, rel=0.1)


def test_write_through_warms_the_cache_and_write_behind_batches_writes():
    rt, wt, wb = three_tier("read_through"), three_tier("write_through"), three_tier("write_behind")
    assert wt["nodes"]["c"]["hit_ratio"] > rt["nodes"]["c"]["hit_ratio"] + 0.03
    b = wb["nodes"]["c"]["write_behind"]
    writes = round(wt["nodes"]["db"]["writes"])
    # one database write per flush (+-1 at the warmup boundary), far fewer than the writes
    assert abs(wb["nodes"]["db"]["writes"] - b["flushed_batches"]) <= 1
    assert b["flushed_batches"] < writes / 5
    assert b["flushed_keys"] < writes  # repeated writes to a dirty key coalesce
    assert b["at_risk"]["mean"] > 1
    assert b["lost_writes"] == 0
    lat = {k: r["summary"]["latency_ms"]["mean"] for k, r in (("wt", wt), ("wb", wb))}
    assert lat["wb"] < lat["wt"] - 2  # writes no longer wait for the database


def test_a_write_behind_crash_loses_the_dirty_keys():
    r = three_tier("write_behind", faults=[{"at_s": 20.05, "action": "crash", "node": "c"}])
    b = r["nodes"]["c"]["write_behind"]
    assert b["lost_writes"] > 0
    assert b["lost_writes"] <= b["at_risk"]["max"]
    assert r["summary"]["failed"] > 0  # the cache stays down: requests are refused
