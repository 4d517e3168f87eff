"""`rpc_server`: at-most-once loses effects, at-least-once doubles them, idempotency keys with
server-side dedup do neither, under lost requests, lost replies, crashes after the effect and
duplicated packets."""

from __future__ import annotations

from typing import Any

import pytest

from apps.engine import ScenarioError, parse_scenario, simulate

SEMANTICS = {"amo": (0, False), "alo": (10, False), "idem": (10, True)}


def rpc(
    *, loss: float = 0.1, crash: float = 0.02, dup: float = 0.0, seed: int = 5, dur: float = 30
) -> dict:
    """Three client/server pairs side by side over identical lossy 5 ms links."""
    nodes: list[dict] = []
    edges: list[dict] = []
    for name, (retries, dedup) in SEMANTICS.items():
        nodes.append(
            {
                "id": f"c-{name}",
                "kind": "client",
                "params": {"rate_rps": 50, "timeout_ms": 50, "retries": retries, "read_ratio": 0},
            }
        )
        nodes.append(
            {
                "id": f"s-{name}",
                "kind": "rpc_server",
                "params": {
                    "dedup": dedup,
                    "crash_after_effect_prob": crash,
                    "duplicate_prob": dup,
                    "restart_ms": 20,
                },
            }
        )
        edges.append(
            {
                "id": f"e-{name}",
                "source": f"c-{name}",
                "target": f"s-{name}",
                "params": {"latency_ms": 5, "loss": loss},
            }
        )
    return {
        "format": "topolab/1",
        "nodes": nodes,
        "edges": edges,
        "settings": {"duration_s": dur, "seed": seed},
    }


def rows(result: dict) -> dict[str, dict[str, Any]]:
    return {c[2:]: row for c, row in result["protocols"]["rpc"]["clients"].items()}


@pytest.mark.parametrize("seed", [5, 6])
def test_three_semantics_under_loss_and_crashes(seed: int) -> None:
    r = rows(simulate(rpc(seed=seed)))
    amo, alo, idem = r["amo"], r["alo"], r["idem"]
    # at-most-once: a lost request is never retried -> lost effect; nothing is applied twice
    assert amo["doubled"] == 0
    n = amo["requests"]
    # ~10% of requests die on the way in; crash windows refuse a few more
    assert 0.08 * n < amo["lost"] < 0.16 * n
    # lost replies and crashes after the effect leave applied-but-failed requests (~11%)
    assert 0.07 * n < amo["failed_but_applied"] < 0.15 * n
    # at-least-once: every lost reply or post-effect crash is retried -> charged twice
    assert alo["lost"] == 0
    assert 0.07 * alo["requests"] < alo["doubled"] < 0.16 * alo["requests"]
    assert alo["extra_effects"] >= alo["doubled"]
    # idempotency key + dedup: retried as often, applied exactly once
    assert idem["doubled"] == 0
    assert idem["lost"] == 0
    assert idem["completed"] > 0.99 * idem["requests"]
    for row in r.values():
        assert row["acked_not_applied"] == 0


def test_duplicated_packets_double_without_dedup_even_at_most_once() -> None:
    res = simulate(rpc(loss=0.0, crash=0.0, dup=0.1))
    r = rows(res)
    n = r["amo"]["requests"]
    assert 0.06 * n < r["amo"]["doubled"] < 0.14 * n  # ~10% of packets were duplicated
    assert r["idem"]["doubled"] == 0
    assert res["nodes"]["s-idem"]["dedup_hits"] > 0.06 * n
    assert r["amo"]["lost"] == 0  # nothing is lost on a loss-free link without crashes


def test_balances_show_the_double_charge() -> None:
    res = simulate(rpc())
    r = rows(res)
    alo = res["nodes"]["s-alo"]
    assert alo["balance"] == alo["effects"] > r["alo"]["completed"]
    idem = res["nodes"]["s-idem"]
    # every completed request charged once; an in-flight one at the end may be charged too
    assert r["idem"]["completed"] <= idem["balance"] <= r["idem"]["requests"]


def test_rpc_params_are_validated() -> None:
    sc = rpc()
    sc["nodes"][1]["params"] = {"crash_after_effect_prob": 2}
    with pytest.raises(ScenarioError, match="s-amo"):
        parse_scenario(sc)


def test_frames_show_effects_and_recording_changes_nothing() -> None:
    sc = rpc(dur=3)
    frames: list[dict] = []
    a = simulate(sc, emit=frames.append)
    b = simulate(sc)
    a.pop("wall_s")
    b.pop("wall_s")
    assert a == b
    last = [f for f in frames if f.get("type") == "frame"][-1]["protocols"]["rpc"]
    assert last["nodes"] == ["s-amo", "s-alo", "s-idem"]
    assert last["effects"] == [a["nodes"][n]["effects"] for n in last["nodes"]]
