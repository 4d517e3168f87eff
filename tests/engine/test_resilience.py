"""Client resilience (backoff, jitter, circuit breaker), workloads and service fan-out."""

from __future__ import annotations

import random

import pytest

from apps.engine import parse_scenario, simulate
from apps.engine.patterns.resilience import backoff
from tests.engine.helpers import rel_err


def scenario(client: dict, service: dict | None = None, faults=None, duration_s=40, seed=3):
    return {
        "format": "topolab/1",
        "nodes": [
            {"id": "users", "kind": "client", "params": {"rate_rps": 200, **client}},
            {
                "id": "api",
                "kind": "service",
                "params": {"workers": 4, "service_time_ms": 5, **(service or {})},
            },
        ],
        "edges": [{"id": "e1", "source": "users", "target": "api", "params": {"latency_ms": 1}}],
        "faults": faults or [],
        "settings": {"duration_s": duration_s, "warmup_s": 2, "seed": seed},
    }


OUTAGE = [
    {"at_s": 10, "action": "crash", "node": "api"},
    {"at_s": 20, "action": "restart", "node": "api"},
]


def run(data: dict) -> dict:
    return simulate(parse_scenario(data))


@pytest.mark.parametrize("kind", ["none", "full", "equal", "decorrelated"])
def test_backoff_definitions(kind):
    rng = random.Random(1)
    base, cap, prev = 0.01, 0.5, 0.0
    for n in range(1, 12):
        t = min(cap, base * 2 ** (n - 1))
        d = backoff(kind, n, base, cap, prev, rng.random)
        if kind == "none":
            assert d == t
        elif kind == "full":
            assert 0 <= d <= t
        elif kind == "equal":
            assert t / 2 <= d <= t
        else:
            assert base <= d <= min(cap, 3 * (prev or base))
        prev = d


def test_breaker_follows_its_state_machine():
    client = {
        "timeout_ms": 100,
        "retries": 2,
        "breaker_failure_rate": 0.5,
        "breaker_window": 20,
        "breaker_min_calls": 10,
        "breaker_open_ms": 1000,
        "breaker_probes": 3,
    }
    r = run(scenario(client, faults=OUTAGE))
    b = r["nodes"]["users"]["breaker"]
    trans = b["transitions"]
    assert trans[0][1] == "open"
    assert 10 <= trans[0][0] < 10.2  # opens right after the crash
    allowed = {"closed": {"open"}, "open": {"half_open"}, "half_open": {"open", "closed"}}
    state = "closed"
    for i, (t, nxt) in enumerate(trans):
        assert nxt in allowed[state]
        if nxt == "half_open":  # exactly breaker_open_ms after it opened
            assert abs(t - trans[i - 1][0] - 1.0) < 1e-6
        state = nxt
    assert state == "closed" == b["state"]
    assert 20 <= trans[-1][0] < 21.1  # closes at the first half-open after the restart
    assert (b["opened"], b["half_opened"], b["closed"]) == (10, 10, 1)
    assert b["rejected"] > 1500  # ~10 s x 200 rps failed fast instead of hitting the service
    assert r["nodes"]["api"]["refused"] < 50  # only the probes and the opening window


def test_no_breaker_keeps_hammering():
    r = run(scenario({"timeout_ms": 100, "retries": 2}, faults=OUTAGE))
    assert "breaker" not in r["nodes"]["users"]
    assert r["nodes"]["api"]["refused"] > 5000  # every attempt of 10 s of traffic


def synchronised(jitter: str) -> dict:
    """A queue of ~hundreds is dropped at once by a crash: every request retries after 100 ms."""
    client = {"retries": 3, "retry_backoff_ms": 100, "retry_jitter": jitter}
    faults = [
        {"at_s": 5, "action": "slow", "node": "api", "factor": 10},
        {"at_s": 8, "action": "crash", "node": "api"},
        {"at_s": 8.05, "action": "restart", "node": "api"},
        {"at_s": 8.05, "action": "slow", "node": "api", "factor": 1},
    ]
    return run(scenario(client, faults=faults, duration_s=20))["nodes"]["users"]


def test_retries_without_jitter_synchronise_and_full_jitter_spreads_them():
    none, full = synchronised("none"), synchronised("full")
    assert none["retries"] > 200
    assert none["retry_peak_to_mean"] > 3 * full["retry_peak_to_mean"]


def test_rate_steps_change_the_open_rate():
    client = {"rate_steps": [[10, 400], [20, 50]]}
    r = run(scenario(client, service={"workers": 8}, duration_s=30))
    # issued from warmup 2 s: 8 s at 200 + 10 s at 400 + 10 s at 50 = 6100
    assert rel_err(r["nodes"]["users"]["requests"], 6100) < 0.04


def test_closed_workload_obeys_the_interactive_response_time_law():
    # X = N / (R + Z): N users, think Z, response R (measured)
    r = run(scenario({"users": 40, "think_time_ms": 100}, service={"workers": 2}, duration_s=60))
    c = r["nodes"]["users"]
    resp = c["latency_ms"]["mean"] / 1000.0 + 0.0  # includes the 2 ms of links
    assert rel_err(c["throughput_rps"], 40 / (resp + 0.1)) < 0.03
    assert r["nodes"]["api"]["utilization"] > 0.8  # 40 users nearly saturate 2 workers


def fanout(mode: str, error_rate: float = 0.0) -> dict:
    const = {"workers": 100, "service_time_dist": "constant"}
    data = {
        "format": "topolab/1",
        "nodes": [
            {"id": "users", "kind": "client", "params": {"rate_rps": 20}},
            {
                "id": "agg",
                "kind": "service",
                "params": {**const, "service_time_ms": 1, "downstream": mode},
            },
            {"id": "a", "kind": "service", "params": {**const, "service_time_ms": 10}},
            {
                "id": "b",
                "kind": "service",
                "params": {**const, "service_time_ms": 20, "error_rate": error_rate},
            },
        ],
        "edges": [
            {"id": "e1", "source": "users", "target": "agg", "params": {"latency_ms": 0}},
            {"id": "e2", "source": "agg", "target": "a", "params": {"latency_ms": 0}},
            {"id": "e3", "source": "agg", "target": "b", "params": {"latency_ms": 0}},
        ],
        "settings": {"duration_s": 100, "seed": 3},
    }
    return run(data)


def test_parallel_fanout_waits_for_the_slowest_not_the_sum():
    assert fanout("call")["summary"]["latency_ms"]["max"] == 31.0
    assert fanout("parallel")["summary"]["latency_ms"]["max"] == 21.0


def test_error_rate_fails_that_fraction():
    s = fanout("parallel", 0.25)["summary"]
    assert abs(s["failed"] / s["requests"] - 0.25) < 0.03
