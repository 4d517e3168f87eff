"""Scenario builders and queueing-theory formulas shared by the engine tests."""

from __future__ import annotations

import math
from typing import Any

import orjson

from apps.engine import parse_scenario, simulate


def mmc_scenario(
    lam: float,
    c: int,
    mean_ms: float,
    duration_s: float,
    *,
    seed: int = 1,
    warmup_s: float = 10,
    dist: str = "exponential",
    **service: Any,
) -> dict:
    """client -(0 ms)-> service: an M/M/c (or M/G/c) queue."""
    return {
        "format": "topolab/1",
        "nodes": [
            {"id": "users", "kind": "client", "params": {"rate_rps": lam}},
            {
                "id": "api",
                "kind": "service",
                "params": {
                    "workers": c,
                    "service_time_ms": mean_ms,
                    "service_time_dist": dist,
                    **service,
                },
            },
        ],
        "edges": [{"id": "e1", "source": "users", "target": "api", "params": {"latency_ms": 0}}],
        "settings": {"duration_s": duration_s, "warmup_s": warmup_s, "seed": seed},
    }


def erlang_c_wait_ms(lam: float, c: int, mean_ms: float) -> float:
    """Mean time in queue of M/M/c (Erlang C)."""
    mu = 1000.0 / mean_ms
    a = lam / mu
    rho = a / c
    top = a**c / math.factorial(c) / (1 - rho)
    p_wait = top / (sum(a**k / math.factorial(k) for k in range(c)) + top)
    return p_wait / (c * mu - lam) * 1000.0


def mean_wait_ms(scenario_for_seed, seeds: range) -> tuple[float, list[dict]]:
    """Average of the service's mean wait over several seeds, and the results."""
    results = [simulate(parse_scenario(scenario_for_seed(s))) for s in seeds]
    waits = [r["nodes"]["api"]["wait_ms"]["mean"] for r in results]
    return sum(waits) / len(waits), results


def rel_err(x: float, ref: float) -> float:
    return abs(x - ref) / ref


ROOT = __import__("pathlib").Path(__file__).resolve().parents[2]


def web(**settings) -> dict:
    return {
        "format": "topolab/1",
        "nodes": [
            {"id": "users", "kind": "client", "params": {"rate_rps": 200, "timeout_ms": 500}},
            {"id": "api", "kind": "service", "params": {"workers": 4, "service_time_ms": 8}},
            {"id": "db", "kind": "service", "params": {"workers": 4, "service_time_ms": 3}},
        ],
        "edges": [
            {
                "id": "e1",
                "source": "users",
                "target": "api",
                "params": {"latency_ms": 5, "jitter_ms": 2},
            },
            {"id": "e2", "source": "api", "target": "db", "params": {"bandwidth_mbps": 100}},
        ],
        "settings": {"duration_s": 20, "warmup_s": 2, "seed": 5, **settings},
    }


def stable(result: dict) -> bytes:
    return orjson.dumps(
        {k: v for k, v in result.items() if k != "wall_s"}, option=orjson.OPT_SORT_KEYS
    )
