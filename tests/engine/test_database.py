"""The database kind: an M/M/c pool, replication latency and stale reads, sharding, failover."""

from __future__ import annotations

import math
import random

import pytest

from apps.engine import simulate
from apps.engine.kinds.shard_router import mix64
from apps.engine.workload import KeySampler
from tests.engine.data_helpers import scenario
from tests.engine.helpers import erlang_c_wait_ms, stable


def test_connection_pool_is_an_mmc_queue():
    r = simulate(
        scenario(
            [
                ("u", "client", {"rate_rps": 150}),
                ("db", "database", {"connections": 2, "read_time_ms": 10}),
            ],
            [("u", "db", 0)],
            duration_s=400,
            warmup_s=10,
        )
    )
    db = r["nodes"]["db"]
    assert db["wait_ms"]["mean"] == pytest.approx(erlang_c_wait_ms(150, 2, 10), rel=0.08)
    assert db["utilization"] == pytest.approx(0.75, rel=0.03)


def replicated(
    mode: str,
    lag_ms: float,
    *,
    read_from: str = "followers",
    rate: float = 200,
    keys: int = 10,
    faults: list | None = None,
    duration_s: float = 60,
    emit=None,
    **leader,
) -> dict:
    """client -> leader -> two followers; constant query times so latencies are exact."""
    times = {"read_time_ms": 1, "write_time_ms": 5, "time_dist": "constant", "connections": 16}
    lp = {"replication": mode, "replication_lag_ms": lag_ms, "read_from": read_from, **leader}
    return simulate(
        scenario(
            [
                ("u", "client", {"rate_rps": rate, "read_ratio": 0.5, "keys": keys}),
                ("db", "database", {**times, **lp}),
                ("f1", "database", {**times, "role": "follower"}),
                ("f2", "database", {**times, "role": "follower"}),
            ],
            [("u", "db", 1), ("db", "f1", 5), ("db", "f2", 5)],
            faults=faults,
            duration_s=duration_s,
        ),
        emit=emit,
    )


def test_sync_replication_adds_the_follower_round_trip_to_writes():
    lag = 3.0
    a = replicated("async", lag)["nodes"]["db"]["write_latency_ms"]["mean"]
    s = replicated("sync", lag)["nodes"]["db"]["write_latency_ms"]["mean"]
    assert a == pytest.approx(5.0, abs=0.05)
    assert s == pytest.approx(5.0 + 2 * 5.0 + lag, abs=0.05)  # write + round trip + apply


def test_stale_reads_grow_with_lag_and_match_theory_and_vanish_when_sync():
    lags = [0, 5, 20, 50]
    ratios = [replicated("async", lag)["nodes"]["db"]["replication"]["stale_ratio"] for lag in lags]
    assert ratios[0] == 0  # the read needs as long to reach the follower as the write
    assert ratios == sorted(ratios)
    assert ratios[-1] > ratios[1] > 0
    # stale iff a write to the key committed in the last (lag - read time) before the read
    # began: Poisson writes of 100/s over 10 keys
    for lag, ratio in zip(lags[1:], ratios[1:], strict=True):
        theory = 1 - math.exp(-10.0 * (lag - 1.0) / 1000.0)
        assert ratio == pytest.approx(theory, abs=0.02), (lag, ratio, theory)
    sync = replicated("sync", 50)["nodes"]["db"]["replication"]
    assert sync["stale_reads"] == 0
    assert sync["follower_reads"] > 5000


def sharded(strategy: str, client: dict) -> dict:
    router = {"strategy": strategy, "keys": client.get("keys", 1000)}
    nodes = [("u", "client", {"rate_rps": 500, **client}), ("r", "shard_router", router)]
    nodes += [(f"s{i}", "database", {"connections": 1, "read_time_ms": 1}) for i in range(4)]
    edges = [("u", "r", 0)] + [("r", f"s{i}", 0) for i in range(4)]
    return simulate(scenario(nodes, edges, duration_s=100))


def test_hash_sharding_spreads_uniform_keys_evenly():
    r = sharded("hash", {"keys": 100_000})
    assert r["nodes"]["r"]["requests"] > 40_000
    assert r["nodes"]["r"]["imbalance"] < 1.03
    utils = [r["nodes"][f"s{i}"]["utilization"] for i in range(4)]
    assert max(utils) / (sum(utils) / 4) < 1.04


def test_a_hot_zipf_key_overloads_its_shard():
    r = sharded("hash", {"keys": 1000, "key_dist": "zipf", "zipf_s": 1.5})
    ks = KeySampler(1000, "zipf", 1.5, random.Random(0).random)
    expected = [0.0] * 4  # each shard's share: the popularity of the keys it holds
    for k in range(1000):
        expected[mix64(k) % 4] += ks.probability(k)
    shares = [r["nodes"]["r"]["shards"][f"s{i}"]["share"] for i in range(4)]
    assert shares == pytest.approx(expected, abs=0.01)
    utils = [r["nodes"][f"s{i}"]["utilization"] for i in range(4)]
    hot = mix64(0) % 4  # the shard holding key 0, the hottest (38% of all requests)
    others = [u for i, u in enumerate(utils) if i != hot]
    assert utils[hot] > 2.5 * sum(others) / 3
    assert utils[hot] > 2 * max(others)
    assert r["nodes"]["r"]["imbalance"] > 1.8


def test_range_sharding_splits_the_key_space_in_order():
    r = sharded("range", {"keys": 1000})
    shares = [r["nodes"]["r"]["shards"][f"s{i}"]["share"] for i in range(4)]
    assert all(s == pytest.approx(0.25, abs=0.01) for s in shares)


CRASH = [{"at_s": 20, "action": "crash", "node": "db"}]


def test_failover_takes_the_detection_delay():
    r = replicated("async", 0, read_from="leader", rate=1000, faults=CRASH, failover_ms=300)
    fo = r["nodes"]["db"]["failover"]
    assert fo["failovers"][0]["node"] == "f1"
    assert fo["failovers"][0]["promoted_s"] == pytest.approx(20.3)
    # detection, then the next write: forwarded (5 ms) and written (5 ms)
    assert 310 <= fo["write_outage_ms"] <= 315
    assert fo["requests_failed"] == pytest.approx(1000 * 0.3, rel=0.15)  # every request failed
    assert r["nodes"]["f1"]["writes"] > 15_000  # the new leader takes the writes


def test_writes_can_wait_out_a_failover_instead_of_failing():
    r = replicated(
        "async",
        0,
        read_from="leader",
        faults=CRASH,
        failover_ms=300,
        writes_during_failover="wait",
    )
    fo = r["nodes"]["db"]["failover"]
    assert fo["requests_failed"] == 0
    assert fo["requests_waited"] > 30
    assert r["summary"]["failed"] == r["nodes"]["db"]["dropped"]  # only those running at the crash
    assert r["summary"]["latency_ms"]["max"] > 300


def test_async_failover_loses_unreplicated_writes_and_sync_does_not():
    crash = [{"at_s": 20.0, "action": "crash", "node": "db"}]
    kw = {"faults": crash, "failover_ms": 0, "keys": 1000, "rate": 1000}
    lost_async = replicated("async", 200, **kw)["nodes"]["db"]["failover"]["failovers"][0]["lost"]
    lost_sync = replicated("sync", 200, **kw)["nodes"]["db"]["failover"]["failovers"][0]["lost"]
    assert lost_async > 50
    assert lost_sync == 0


def test_data_tier_runs_are_deterministic_with_and_without_recording():
    kw = {"faults": CRASH, "failover_ms": 100, "duration_s": 25}
    a = replicated("async", 20, **kw)
    frames: list = []
    doc = scenario(
        [
            ("u", "client", {"rate_rps": 100, "read_ratio": 0.7, "key_dist": "zipf"}),
            ("c", "cache", {"strategy": "write_behind", "capacity": 50}),
            ("r", "shard_router", {}),
            ("s0", "database", {}),
            ("s1", "database", {}),
        ],
        [("u", "c", 1), ("c", "r", 1), ("r", "s0", 1), ("r", "s1", 1)],
        duration_s=10,
    )
    assert stable(simulate(doc)) == stable(simulate(doc, emit=frames.append))
    assert frames
    assert stable(a) == stable(replicated("async", 20, emit=frames.append, **kw))
