"""Scenario builders for the data-tier tests (database, cache, shard_router)."""

from __future__ import annotations

from typing import Any


def scenario(
    nodes: list[tuple[str, str, dict]],
    edges: list[tuple[str, str, float]],
    *,
    duration_s: float = 60,
    warmup_s: float = 5,
    seed: int = 1,
    faults: list[dict] | None = None,
) -> dict[str, Any]:
    """A topolab/1 document from (id, kind, params) nodes and (source, target, ms) edges."""
    return {
        "format": "topolab/1",
        "nodes": [{"id": i, "kind": k, "params": p} for i, k, p in nodes],
        "edges": [
            {"id": f"e{n}", "source": a, "target": b, "params": {"latency_ms": ms}}
            for n, (a, b, ms) in enumerate(edges)
        ],
        "faults": faults or [],
        "settings": {"duration_s": duration_s, "warmup_s": warmup_s, "seed": seed},
    }
