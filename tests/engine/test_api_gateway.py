"""api_gateway: token bucket, routing by request type, aggregation with a timeout."""

from __future__ import annotations

import pytest

from apps.engine import ScenarioError, parse_scenario, simulate
from tests.engine.helpers import rel_err


def gw(params: dict, client: dict | None = None, duration_s: float = 40) -> dict:
    const = {"workers": 50, "service_time_dist": "constant"}
    return simulate(parse_scenario({
        "format": "topolab/1",
        "nodes": [
            {"id": "users", "kind": "client", "params": {"rate_rps": 200, **(client or {})}},
            {"id": "gw", "kind": "api_gateway", "params": params},
            {"id": "a", "kind": "service", "params": {**const, "service_time_ms": 10}},
            {"id": "b", "kind": "service", "params": {**const, "service_time_ms": 20}},
        ],
        "edges": [
            {"id": "e0", "source": "users", "target": "gw", "params": {"latency_ms": 0}},
            {"id": "e1", "source": "gw", "target": "a", "params": {"latency_ms": 0}},
            {"id": "e2", "source": "gw", "target": "b", "params": {"latency_ms": 0}},
        ],
        "settings": {"duration_s": duration_s, "warmup_s": 0, "seed": 4},
    }))  # fmt: skip


def test_token_bucket_admits_its_rate_and_throttles_the_rest():
    r = gw({"rate_limit_rps": 100, "burst": 10})
    g = r["nodes"]["gw"]
    assert rel_err(r["summary"]["throughput_rps"], 100) < 0.02
    assert g["throttled"] == r["summary"]["failed"]
    assert rel_err(g["throttled"] / g["requests"], 0.5) < 0.03


def test_routes_by_request_type():
    r = gw({"routes": {"read": ["a"], "write": ["b"]}}, {"read_ratio": 0.8})
    routed = r["nodes"]["gw"]["routed"]
    assert abs(routed["a"] / (routed["a"] + routed["b"]) - 0.8) < 0.02


def test_aggregation_waits_for_all_plus_auth():
    r = gw({"aggregate": True, "auth_ms": 2})
    assert r["summary"]["latency_ms"]["max"] == pytest.approx(22.0)
    r = gw({"aggregate": True, "aggregate_timeout_ms": 15})
    assert r["summary"]["completed"] == 0
    assert r["nodes"]["gw"]["timeouts"] == r["summary"]["failed"] > 0


def test_route_to_a_non_target_is_rejected():
    with pytest.raises(ScenarioError, match="not a target"):
        gw({"routes": {"read": ["users"]}})
