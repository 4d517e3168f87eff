"""Scenario builders for the Raft tests: a cluster, a client, and random fault schedules."""

from __future__ import annotations

import random
from typing import Any


def cluster(
    seed: int,
    n: int = 5,
    *,
    faults: list[dict] | None = None,
    rate: float = 20.0,
    duration_s: float = 10.0,
    timeout_ms: float | None = 1000.0,
    mesh_edges: bool = False,
    loss: float = 0.0,
    jitter_ms: float = 0.0,
    latency_ms: float = 5.0,
    **raft: Any,
) -> dict:
    """n raft servers s1..sn, a client `c` with an edge to each; optionally drawn mesh edges."""
    nodes: list[dict] = [
        {"id": f"s{i}", "kind": "raft_server", "params": raft} for i in range(1, n + 1)
    ]
    client: dict = {"rate_rps": rate}
    if timeout_ms is not None:
        client["timeout_ms"] = timeout_ms
    nodes.append({"id": "c", "kind": "client", "params": client})
    edges = [{"id": f"c-s{i}", "source": "c", "target": f"s{i}"} for i in range(1, n + 1)]
    if mesh_edges:
        p = {"loss": loss, "jitter_ms": jitter_ms, "latency_ms": latency_ms}
        for i in range(1, n + 1):
            for j in range(i + 1, n + 1):
                edges.append(
                    {"id": f"s{i}-s{j}", "source": f"s{i}", "target": f"s{j}", "params": p}
                )
    return {
        "format": "topolab/1",
        "nodes": nodes,
        "edges": edges,
        "faults": faults or [],
        "settings": {"duration_s": duration_s, "seed": seed, "default_latency_ms": latency_ms},
    }


def chaos(seed: int, n: int = 5, duration_s: float = 10.0, every_s: float = 0.7) -> list[dict]:
    """A random schedule of crashes, restarts, `@leader` crashes, partitions and heals."""
    rng = random.Random(seed)
    out: list[dict] = []
    t = 0.5
    ids = [f"s{i}" for i in range(1, n + 1)]
    while t < duration_s - 1:
        r = rng.random()
        if r < 0.25:
            out.append({"at_s": t, "action": "crash", "node": rng.choice(ids)})
        elif r < 0.4:
            out.append({"at_s": t, "action": "crash", "node": "@leader"})
        elif r < 0.6:
            out.append({"at_s": t, "action": "restart", "node": rng.choice(ids)})
        elif r < 0.65:
            out.append({"at_s": t, "action": "restart", "node": "@leader"})
        elif r < 0.85:
            shuffled = ids[:]
            rng.shuffle(shuffled)
            k = rng.randint(1, n - 1)
            out.append({"at_s": t, "action": "partition", "groups": [shuffled[:k]]})
        else:
            out.append({"at_s": t, "action": "heal"})
        t += rng.expovariate(1.0 / every_s)
    # end healthy so liveness can be asserted too
    out.append({"at_s": duration_s - 1, "action": "heal"})
    out.extend({"at_s": duration_s - 1, "action": "restart", "node": i} for i in ids)
    return out
