"""`replica`: quorum intersection, stale reads, conflict resolution, divergence and healing, CAP.

Every check reads the group's oracle-based metrics (kinds/replgroup.py): a read is stale when it
misses the latest write acknowledged before it arrived.
"""

from __future__ import annotations

import math
from typing import Any

import orjson
import pytest

from apps.engine import ScenarioError, parse_scenario, simulate

REPS = ("r1", "r2", "r3")


def store(
    *,
    seed: int = 1,
    duration: float = 30,
    faults: list[dict] | None = None,
    keys: int = 5,
    rate: float = 40,
    read_ratio: float = 0.5,
    jitter: float = 5,
    replicas: tuple[str, ...] = REPS,
    **params: Any,
) -> dict:
    """One client per replica (1 ms), replicas in a full mesh (5 ms + jitter)."""
    nodes: list[dict] = []
    edges: list[dict] = []
    for i, rid in enumerate(replicas):
        nodes.append({"id": rid, "kind": "replica", "params": params})
        nodes.append(
            {
                "id": f"c{i + 1}",
                "kind": "client",
                "params": {
                    "rate_rps": rate,
                    "read_ratio": read_ratio,
                    "keys": keys,
                    "timeout_ms": 1000,
                },
            }
        )
        edges.append({"id": f"ce{i + 1}", "source": f"c{i + 1}", "target": rid})
    for a in range(len(replicas)):
        for b in range(a + 1, len(replicas)):
            edges.append(
                {
                    "id": f"{replicas[a]}-{replicas[b]}",
                    "source": replicas[a],
                    "target": replicas[b],
                    "params": {"latency_ms": 5, "jitter_ms": jitter},
                }
            )
    return {
        "format": "topolab/1",
        "nodes": nodes,
        "edges": edges,
        "faults": faults or [],
        "settings": {"duration_s": duration, "seed": seed, "default_latency_ms": 1},
    }


def group(result: dict) -> dict:
    return result["protocols"]["replication"]["groups"]["r1"]


# r3 (and its client) cut off from 5 s to 15 s; clients stop at 20 s so the store can settle
PARTITION = [
    {"at_s": 5, "action": "partition", "groups": [["r1", "c1", "r2", "c2"], ["r3", "c3"]]},
    {"at_s": 15, "action": "heal"},
] + [{"at_s": 20, "action": "crash", "node": c} for c in ("c1", "c2", "c3")]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_strict_quorum_never_returns_stale_reads(seed: int) -> None:
    # R + W > N: read and write quorums intersect, so no read misses an acknowledged write,
    # with concurrent writers on every replica, crashes and restarts, and a jittery mesh
    faults = [
        {"at_s": 4, "action": "crash", "node": "r2"},
        {"at_s": 8, "action": "restart", "node": "r2"},
        {"at_s": 12, "action": "crash", "node": "r3"},
        {"at_s": 14, "action": "restart", "node": "r3"},
    ]
    g = group(simulate(store(seed=seed, duration=20, faults=faults, mode="quorum", n=3, r=2, w=2)))
    assert g["strict_quorum"] is True
    assert g["reads"] > 1000
    assert g["writes_acked"] > 1000
    assert g["stale_reads"] == 0


def test_five_replicas_r3_w3_never_stale_but_r2_w2_is() -> None:
    # slow, very jittery mesh (5-105 ms one way), 2 hot keys: long propagation windows
    reps = ("r1", "r2", "r3", "r4", "r5")
    common = {"duration": 15, "replicas": reps, "jitter": 100, "keys": 2, "read_ratio": 0.8}
    strict = group(simulate(store(**common, mode="quorum", n=5, r=3, w=3)))
    assert strict["reads"] > 2000
    assert strict["stale_reads"] == 0
    weak = group(simulate(store(**common, mode="quorum", n=5, r=2, w=2)))
    assert weak["strict_quorum"] is False
    assert weak["stale_reads"] > 0


def test_weak_quorum_reads_stale_values_and_measures_the_fraction() -> None:
    # R + W <= N: a read may ask only replicas the write has not reached yet (async propagation
    # over 5-10 ms links while clients hammer 5 keys)
    g = group(simulate(store(duration=20, mode="quorum", n=3, r=1, w=1)))
    assert g["strict_quorum"] is False
    assert 0.02 < g["stale_fraction"] < 0.6
    assert g["stale_reads"] > 20
    # with propagation made instant (no jitter, 0 ms links) staleness shrinks a lot
    fast = store(duration=20, mode="quorum", n=3, r=1, w=1, jitter=0)
    for e in fast["edges"]:
        e.setdefault("params", {})["latency_ms"] = 0
    assert group(simulate(fast))["stale_reads"] == 0


@pytest.mark.parametrize(
    "params",
    [
        {"conflict": "lww"},
        {"conflict": "version_vector"},
        {"conflict": "crdt", "crdt_type": "gcounter"},
        {"conflict": "crdt", "crdt_type": "pncounter"},
        {"conflict": "crdt", "crdt_type": "orset"},
    ],
)
def test_multi_leader_diverges_during_partition_and_converges_after_heal(params: dict) -> None:
    res = simulate(store(faults=PARTITION, mode="multi_leader", **params))
    g = group(res)
    div = g["series"]["divergent_keys"]
    assert min(div[6:14]) == 5  # every key differs while r3 is cut off
    assert g["divergent_keys"] == 0
    assert div[-1] == 0
    assert g["availability"] == 1.0  # AP: every request was answered


def test_lww_loses_concurrent_updates_crdts_and_version_vectors_lose_none() -> None:
    lww = group(simulate(store(faults=PARTITION, conflict="lww")))
    assert lww["lost_updates"] > 100  # r3's writes during the partition, and races
    counter = group(simulate(store(faults=PARTITION, conflict="crdt", crdt_type="gcounter")))
    assert counter["lost_updates"] == 0
    assert counter["counter_total"] == counter["writes_acked"] > 1000
    pn = group(simulate(store(faults=PARTITION, conflict="crdt", crdt_type="pncounter")))
    assert pn["lost_updates"] == 0
    assert pn["counter_total"] == pn["writes_acked"]
    orset = group(simulate(store(faults=PARTITION, conflict="crdt", crdt_type="orset")))
    assert orset["lost_updates"] == 0
    vv = group(simulate(store(faults=PARTITION, conflict="version_vector")))
    assert vv["lost_updates"] == 0
    assert vv["siblings_max"] >= 2  # the concurrent writes were surfaced as siblings


def test_cp_minority_refuses_ap_stays_available() -> None:
    cp = simulate(store(faults=PARTITION, mode="quorum", n=3, r=2, w=2, quorum_timeout_ms=100))
    g = group(cp)
    r3 = cp["nodes"]["r3"]
    assert r3["availability"] < 0.7  # the minority side could not reach a quorum for 10 s
    assert cp["nodes"]["r1"]["availability"] == 1.0
    assert g["stale_reads"] == 0
    assert min(g["series"]["availability"][6:14]) < 0.8
    assert g["series"]["availability"][2] == 1.0
    assert g["series"]["availability"][17] == 1.0
    ap = simulate(store(faults=PARTITION, mode="multi_leader", conflict="lww"))
    a = group(ap)
    assert all(n["availability"] == 1.0 for n in ap["nodes"].values() if n["kind"] == "replica")
    assert a["stale_reads"] > 0  # AP pays in consistency
    assert max(a["series"]["divergent_keys"][6:14]) > 0
    assert a["divergent_keys"] == 0


def test_frames_carry_replication_state_and_recording_changes_nothing() -> None:
    sc = store(duration=8, faults=PARTITION[:1], conflict="crdt")
    frames: list[dict] = []
    with_emit = simulate(sc, emit=frames.append)
    without = simulate(sc)
    with_emit.pop("wall_s")
    without.pop("wall_s")
    assert orjson.dumps(with_emit) == orjson.dumps(without)
    states = [f["protocols"]["replication"] for f in frames if f.get("type") == "frame"]
    assert len(states[-1]["ok"]) == 3
    assert max(states[-1]["divergent_keys"]) > 0


def test_params_are_validated_by_name() -> None:
    sc = store(mode="quorum")
    sc["nodes"][0]["params"] = {"mode": "paxos"}
    with pytest.raises(ScenarioError, match="r1"):
        parse_scenario(sc)
    sc["nodes"][0]["params"] = {"quorum": 3}
    with pytest.raises(ScenarioError, match="r1"):
        parse_scenario(sc)
    sc["nodes"][0]["params"] = {"mode": "quorum", "n": 3, "w": 4}
    with pytest.raises(ScenarioError, match=r"r1.*must be <= n"):
        parse_scenario(sc)


def test_weak_quorum_stale_fraction_matches_the_propagation_model() -> None:
    # R = W = 1, N = 3: the coordinator reads and acks itself, so a read at X is stale exactly
    # when the key's latest write came from another replica less than one one-way delay d ago.
    # Writes per key form a Poisson stream of rate lam (2/3 of it from the other replicas), so
    # P(stale) = 2/3 * (1 - E[exp(-lam * d)]) with d = 5 ms + U(0, 60 ms).
    sc = store(
        duration=120, mode="quorum", n=3, r=1, w=1, keys=2, rate=40, read_ratio=0.8, jitter=60
    )
    g = group(simulate(sc))
    lam = 3 * 40 * 0.2 / 2
    e_exp = math.exp(-lam * 0.005) * (1 - math.exp(-lam * 0.060)) / (lam * 0.060)
    expected = 2 / 3 * (1 - e_exp)
    assert abs(g["stale_fraction"] - expected) < 0.08 * expected, (g["stale_fraction"], expected)


def test_warmup_is_excluded_from_read_and_request_counts() -> None:
    full = simulate(store(duration=10, mode="quorum", n=3, r=1, w=1))
    sc = store(duration=10, mode="quorum", n=3, r=1, w=1)
    sc["settings"]["warmup_s"] = 5
    warm = simulate(sc)
    g_full, g_warm = group(full), group(warm)
    assert 0.35 * g_full["reads"] < g_warm["reads"] < 0.65 * g_full["reads"]
    assert 0.35 * full["nodes"]["r1"]["requests"] < warm["nodes"]["r1"]["requests"]
    assert warm["nodes"]["r1"]["requests"] < 0.65 * full["nodes"]["r1"]["requests"]
    assert g_warm["series"] == g_full["series"]  # the series always start at t = 0
