"""Chord: lookups find the true successor; mean path length ≈ ½·log2 N (Stoica et al. 2001)."""

import math

import pytest

from apps.engine import parse_scenario, simulate
from apps.engine.errors import ScenarioError
from apps.engine.patterns.chord import make_ids


def ring(n, *, rate=1.0, churn=0.0, duration=20, warmup=0, seed=1, **extra):
    return {
        "format": "topolab/1",
        "nodes": [
            {
                "id": "ring",
                "kind": "peer",
                "params": {
                    "protocol": "chord",
                    "count": n,
                    "lookups_per_s": rate,
                    "churn_per_s": churn,
                    **extra,
                },
            }
        ],
        "edges": [],
        "settings": {"duration_s": duration, "warmup_s": warmup, "seed": seed},
    }


def chord(n, **kw):
    # about 2 000 lookups whatever the ring size
    return simulate(ring(n, rate=100.0 / n, **kw))["protocols"]["chord"]


def test_ids_are_distinct_and_derived_from_node_id_and_index():
    ids = make_ids([("a", i) for i in range(5000)], 16)  # 16 bits: collisions must be re-hashed
    assert len(set(ids)) == 5000
    assert all(0 <= x < 2**16 for x in ids)
    assert make_ids([("a", 3)], 32) == make_ids([("a", 3)], 32)


@pytest.mark.parametrize("n", [64, 512, 4096])
def test_every_lookup_returns_the_true_successor_and_hops_near_half_log2_n(n):
    r = chord(n)
    assert r["lookups"] > 1500
    assert r["wrong"] == 0
    assert r["failed"] == 0
    assert r["correct"] == r["lookups"]
    assert abs(r["hops"]["mean"] - 0.5 * math.log2(n)) < 1.0
    # the owner is one more step away unless the answering peer owns the key itself
    assert r["hops"]["mean"] < r["hops_to_owner"]["mean"] <= r["hops"]["mean"] + 1


def test_path_length_grows_half_a_hop_per_doubling():
    sizes = [64, 256, 1024, 4096]
    means = [chord(n)["hops"]["mean"] for n in sizes]
    per_doubling = (means[-1] - means[0]) / math.log2(sizes[-1] / sizes[0])
    assert 0.4 < per_doubling < 0.6
    assert means == sorted(means)


@pytest.mark.slow
def test_ten_thousand_peers():
    r = chord(10_000)
    assert r["wrong"] == 0
    assert abs(r["hops"]["mean"] - 0.5 * math.log2(10_000)) < 1.0


def test_lookups_keep_succeeding_under_moderate_churn():
    r = simulate(ring(512, rate=0.2, churn=2.0, duration=60, warmup=5))["protocols"]["chord"]
    assert r["lookups"] > 4000
    assert r["correct"] / (r["lookups"] + r["failed"]) > 0.98
    assert r["live_peers"] >= 500  # each leave is matched by a rejoin


def test_crashing_the_node_removes_its_peers_and_restart_restores_the_ring():
    sc = ring(200, rate=0.5, duration=30)
    sc["nodes"].append(
        {"id": "other", "kind": "peer", "params": {"protocol": "chord", "count": 100}}
    )
    sc["faults"] = [
        {"at_s": 5, "action": "crash", "node": "other"},
        {"at_s": 15, "action": "restart", "node": "other"},
    ]
    r = simulate(sc)["protocols"]["chord"]
    assert r["peers"] == 300
    assert r["live_peers"] == 300
    assert r["correct"] / (r["lookups"] + r["failed"]) > 0.95


def test_same_seed_same_result_and_frames_carry_ring_and_paths():
    sc = ring(300, rate=0.5, duration=3)
    a, b = simulate(sc), simulate(sc)
    a.pop("wall_s"), b.pop("wall_s")
    assert a == b
    frames = []
    simulate(parse_scenario(sc), emit=frames.append)
    views = [f["protocols"]["chord"] for f in frames if f["type"] == "frame"]
    assert len(views[0]["ring"]) <= 256
    assert views[0]["peers"] == 300
    assert all("ring" not in v for v in views[1:])
    paths = [lk for v in views for lk in v["lookups"]]
    assert paths
    assert all(0 <= x < 1 for lk in paths for x in lk["path"])
    assert all(len(lk["path"]) >= lk["hops"] + 1 for lk in paths)


def test_a_single_drawn_peer_owns_every_key_and_drawn_peers_share_one_ring():
    r = chord(1)
    assert r["lookups"] > 1000
    assert r["hops"]["mean"] == 0
    assert r["correct"] == r["lookups"]
    sc = ring(1, rate=2.0)
    sc["nodes"] += [
        {"id": f"p{i}", "kind": "peer", "params": {"protocol": "chord", "lookups_per_s": 2.0}}
        for i in range(7)
    ]
    r = simulate(sc)["protocols"]["chord"]
    assert r["peers"] == 8
    assert r["wrong"] == 0
    assert r["correct"] == r["lookups"] > 200


def test_a_generated_ring_cannot_ask_for_more_lookups_than_a_scenario_may():
    with pytest.raises(ScenarioError, match="lookups_per_s"):
        parse_scenario(ring(100_000, rate=100.0))
