"""Scenario shapes several test packages build: spelled once here, tuned by arguments."""

from __future__ import annotations

from typing import Any


def client_service(
    *, rate: float, duration: float, workers: int, seed: int, name: str, service_ms: float = 1
) -> dict[str, Any]:
    """Poisson users at ``rate`` req/s on one ``workers``-worker service: the least a run needs.
    Its work grows with rate × duration, so the same shape is a blink or an hour of CPU."""
    return {
        "format": "topolab/1",
        "name": name,
        "nodes": [
            {"id": "users", "kind": "client", "x": 0, "y": 0, "params": {"rate_rps": rate}},
            {"id": "api-1", "kind": "service", "x": 300, "y": 0,
             "params": {"workers": workers, "service_time_ms": service_ms}},
        ],
        "edges": [{"id": "e1", "source": "users", "target": "api-1"}],
        "settings": {"duration_s": duration, "warmup_s": 0, "seed": seed},
    }  # fmt: skip
