"""Event sourcing (snapshots bound rebuild time) and CQRS (projection lag, stale reads, read
scaling), fixed seeds."""

import math

from apps.engine import parse_scenario, simulate
from tests.engine.helpers import rel_err, stable


def cqrs(replicas: int = 2, duration: float = 60, faults=(), qrate: float = 300, **store) -> dict:
    """writers -> event_store -> `replicas` read models <- readers (50 keys, uniform)."""
    nodes = [
        {
            "id": "writers",
            "kind": "client",
            "params": {"rate_rps": 100, "read_ratio": 0, "keys": 50},
        },
        {
            "id": "readers",
            "kind": "client",
            "params": {"rate_rps": qrate, "read_ratio": 1, "keys": 50},
        },
        {"id": "store", "kind": "event_store", "params": {"append_ms": 2, **store}},
    ]
    edges = [{"id": "w", "source": "writers", "target": "store", "params": {"latency_ms": 1}}]
    for i in range(replicas):
        nodes.append(
            {
                "id": f"rm{i}",
                "kind": "read_model",
                "params": {"workers": 1, "service_time_ms": 3, "project_ms": 2},
            }
        )
        edges.append(
            {"id": f"p{i}", "source": "store", "target": f"rm{i}", "params": {"latency_ms": 5}}
        )
        edges.append(
            {"id": f"q{i}", "source": "readers", "target": f"rm{i}", "params": {"latency_ms": 1}}
        )
    return {
        "format": "topolab/1",
        "nodes": nodes,
        "edges": edges,
        "faults": list(faults),
        "settings": {"duration_s": duration, "warmup_s": 5, "seed": 7},
    }


def run(sc: dict) -> dict:
    return simulate(parse_scenario(sc))


def crashes(node: str, times) -> list[dict]:
    out = []
    for t in times:
        out += [
            {"at_s": t, "action": "crash", "node": node},
            {"at_s": t + 1, "action": "restart", "node": node},
        ]
    return out


def test_snapshots_bound_rebuild_time():
    faults = crashes("store", (30, 60, 90))
    plain = run(cqrs(1, 120, faults, snapshot_every=0))["nodes"]["store"]
    snap = run(cqrs(1, 120, faults, snapshot_every=500))["nodes"]["store"]
    # rebuild = load (only with a snapshot) + events since the last snapshot x 0.1 ms
    for s, load in ((plain, 0.0), (snap, 50.0)):
        n = s["rebuild_ms"]["replayed"][-1]
        assert math.isclose(s["rebuild_ms"]["last"], load + 0.1 * n, rel_tol=1e-5)
    assert plain["rebuild_ms"]["replayed"] == sorted(plain["rebuild_ms"]["replayed"])  # grows
    assert plain["rebuild_ms"]["max"] > 800
    assert snap["rebuild_ms"]["max"] <= 50.0 + 0.1 * 500
    assert max(snap["rebuild_ms"]["replayed"]) < 500
    assert snap["refused"] < plain["refused"]  # shorter rebuilds refuse fewer commands


def test_stale_reads_match_the_projection_lag():
    r = run(cqrs(2, 120))
    rm = r["nodes"]["rm0"]
    lag = rm["projection_lag_ms"]
    # the single writer spaces events >= 2 ms apart, so the 2 ms projector never queues:
    # lag = 5 ms link + 2 ms projection, exactly
    assert lag["mean"] == lag["p99"] == 7.0
    # a query is stale when its key was written in the last `lag`: writes per key are
    # Poisson at 100/50 per second, so P(stale) = 1 - exp(-2 * 0.007)
    theory = 1 - math.exp(-2.0 * 0.007)
    for rm in (r["nodes"]["rm0"], r["nodes"]["rm1"]):
        assert rel_err(rm["stale_fraction"], theory) < 0.1, (rm["stale_fraction"], theory)


def test_adding_read_replicas_cuts_query_latency_without_touching_writes():
    res = {n: run(cqrs(n, 60)) for n in (1, 2, 3)}
    q = {n: r["nodes"]["readers"]["latency_ms"]["mean"] for n, r in res.items()}
    w = {n: stable({"x": r["nodes"]["writers"]}) for n, r in res.items()}
    assert q[1] > 4 * q[2] > 4 * q[3]  # rho 0.9 -> 0.45 -> 0.3 per replica
    assert w[1] == w[2] == w[3]  # the write side is byte-for-byte the same


def test_events_published_while_a_read_model_is_down_are_missed():
    r = run(cqrs(1, 30, crashes("rm0", (10,))))
    rm = r["nodes"]["rm0"]
    assert rm["dropped"] + rm["refused"] > 0
    assert rm["projected"] < r["nodes"]["store"]["events"]  # events during the outage missed


def via_broker(delivery: str) -> dict:
    """cqrs(2) with a topic broker between the store and the read models, 10% loss after it."""
    sc = cqrs(2, 40)
    sc["nodes"].append(
        {
            "id": "bus",
            "kind": "broker",
            "params": {
                "mode": "topic",
                "delivery": delivery,
                "ack_timeout_ms": 30,
                "max_attempts": 20,
                "prefetch": 50,
            },
        }
    )
    sc["edges"] = [e for e in sc["edges"] if not e["id"].startswith("p")]
    sc["edges"].append(
        {"id": "sb", "source": "store", "target": "bus", "params": {"latency_ms": 1}}
    )
    for i in range(2):
        sc["edges"].append(
            {
                "id": f"b{i}",
                "source": "bus",
                "target": f"rm{i}",
                "params": {"latency_ms": 2, "loss": 0.1},
            }
        )
    return run(sc)["nodes"]


def test_a_broker_makes_projection_at_least_once_and_the_projector_absorbs_duplicates():
    alo = via_broker("at_least_once")
    amo = via_broker("at_most_once")
    for rm in ("rm0", "rm1"):
        s = alo["bus"]["subscribers"][rm]
        assert s["lost"] == 0
        assert s["acked"] + s["backlog"] == s["published"] > 3000
        assert s["duplicates"] > 0  # lost acks: the idempotent projector skips them
        assert amo["bus"]["subscribers"][rm]["lost"] > 0.05 * s["published"]  # ~10% lost
        assert alo[rm]["projected"] > amo[rm]["projected"]
        # lost events wait for their redelivery: reads miss writes for longer
        assert alo[rm]["projection_lag_ms"]["p99"] > 30
