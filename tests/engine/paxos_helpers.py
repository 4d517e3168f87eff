"""Scenario builders for the Paxos tests: single-decree groups and Multi-Paxos clusters."""

from __future__ import annotations

import random


def _mesh(ids: list[str], latency_ms: float, loss: float, jitter_ms: float) -> list[dict]:
    p = {"latency_ms": latency_ms, "loss": loss, "jitter_ms": jitter_ms}
    return [
        {"id": f"{a}-{b}", "source": a, "target": b, "params": p}
        for i, a in enumerate(ids)
        for b in ids[i + 1 :]
    ]


def single(
    seed: int,
    n: int = 5,
    proposers: int = 3,
    backoff: tuple[float, float] = (0.0, 0.0),
    *,
    loss: float = 0.0,
    jitter_ms: float = 2.0,
    faults: list[dict] | None = None,
    duration_s: float = 5.0,
) -> dict:
    ids = [f"p{i}" for i in range(1, n + 1)]
    nodes = [
        {
            "id": x,
            "kind": "paxos_node",
            "params": {"propose": i < proposers, "backoff_ms": list(backoff)},
        }
        for i, x in enumerate(ids)
    ]
    return {
        "format": "topolab/1",
        "nodes": nodes,
        "edges": _mesh(ids, 5.0, loss, jitter_ms),
        "faults": faults or [],
        "settings": {"duration_s": duration_s, "seed": seed},
    }


def multi(
    seed: int,
    n: int = 5,
    *,
    loss: float = 0.0,
    jitter_ms: float = 0.0,
    faults: list[dict] | None = None,
    duration_s: float = 10.0,
    rate: float = 20.0,
) -> dict:
    ids = [f"m{i}" for i in range(1, n + 1)]
    nodes: list[dict] = [{"id": x, "kind": "multipaxos_node"} for x in ids]
    nodes.append({"id": "c", "kind": "client", "params": {"rate_rps": rate, "timeout_ms": 1000}})
    edges = [{"id": f"c-{x}", "source": "c", "target": x} for x in ids]
    return {
        "format": "topolab/1",
        "nodes": nodes,
        "edges": edges + _mesh(ids, 5.0, loss, jitter_ms),
        "faults": faults or [],
        "settings": {"duration_s": duration_s, "seed": seed, "default_latency_ms": 5},
    }


def crashes(seed: int, ids: list[str], k: int, until_s: float, leader: bool = True) -> list[dict]:
    """k crash/restart pairs at random times, some of them on `@leader` (if `leader`)."""
    rng = random.Random(seed)
    out: list[dict] = []
    for _ in range(k):
        t = round(rng.uniform(0.0, until_s), 3)
        node = rng.choice([*ids, "@leader"] if leader else ids)
        out.append({"at_s": t, "action": "crash", "node": node})
        back = round(t + rng.uniform(0.05, 1.0), 3)
        out.append({"at_s": back, "action": "restart", "node": node})
    return out
