"""The request/response gallery templates: each validates, runs with its own seed and shows
its key claim (theory where there is one)."""

from __future__ import annotations

import json

import pytest

from apps.engine import parse_scenario, simulate
from tests.engine.helpers import ROOT, erlang_c_wait_ms, rel_err

TEMPLATES = ROOT / "apps" / "scenarios" / "templates_data"
MINE = [
    "lb-strategies",
    "lb-heterogeneous",
    "lb-sticky-health",
    "vertical-vs-horizontal",
    "circuit-breaker",
    "retry-jitter",
    "service-mesh",
    "service-discovery",
]


def load(name: str) -> dict:
    data = json.loads((TEMPLATES / f"{name}.json").read_text())
    meta = data.pop("meta")
    assert meta["title"]
    assert len(meta["description"]) > 100
    return simulate(parse_scenario(data))["nodes"]


@pytest.fixture(scope="module")
def results() -> dict[str, dict]:
    return {name: load(name) for name in MINE}


def lat(nodes: dict, client: str) -> dict:
    return nodes[client]["latency_ms"]


def test_lb_strategies(results):
    n = results["lb-strategies"]
    for k in ("mean", "p99"):
        assert lat(n, "p2c-users")[k] < lat(n, "rr-users")[k] < lat(n, "rnd-users")[k]
        assert lat(n, "lc-users")[k] < lat(n, "rr-users")[k]
    assert rel_err(lat(n, "rnd-users")["mean"], 100.0) < 0.1  # 4 x M/M/1 at rho 0.9


def test_lb_heterogeneous(results):
    n = results["lb-heterogeneous"]
    assert lat(n, "rr-users")["mean"] > 10 * lat(n, "w-users")["mean"]  # overloaded slow ones
    assert lat(n, "w-users")["mean"] < 50
    assert lat(n, "lrt-users")["mean"] < 50
    per = n["w-lb"]["per_target"]
    assert abs(per["w-s1"] - 3 * per["w-s2"]) <= 3


def test_lb_sticky_health(results):
    n = results["lb-sticky-health"]
    assert (n["hc-lb"]["removed"], n["hc-lb"]["restored"]) == (1, 1)
    assert n["hc-users"]["failed"] < 0.1 * n["plain-users"]["failed"]
    assert n["plain-users"]["failed"] > 500  # a quarter of 15 s of 200 rps


def test_vertical_vs_horizontal(results):
    n = results["vertical-vs-horizontal"]
    fast, wide = lat(n, "fast-users")["mean"], lat(n, "wide-users")["mean"]
    lc, rnd = lat(n, "lc-users")["mean"], lat(n, "rnd-users")["mean"]
    assert fast < wide < rnd
    assert lc < 0.5 * rnd
    assert rel_err(fast, 2.5 / 0.2) < 0.15  # M/M/1 with mu x 4
    assert rel_err(wide, erlang_c_wait_ms(320, 4, 10) + 10) < 0.1  # M/M/4
    assert rel_err(rnd, 10 / 0.2) < 0.1  # 4 x M/M/1


def test_circuit_breaker(results):
    n = results["circuit-breaker"]
    assert n["cb-api"]["refused"] < 0.02 * n["plain-api"]["refused"]
    b = n["cb-users"]["breaker"]
    assert b["opened"] >= 1
    assert b["state"] == "closed"
    assert b["rejected"] > 2000


def test_retry_jitter(results):
    n = results["retry-jitter"]
    none = n["none-users"]["retry_peak_to_mean"]
    assert none > 5 * n["full-users"]["retry_peak_to_mean"]
    assert none > 5 * n["decor-users"]["retry_peak_to_mean"]
    assert none > n["equal-users"]["retry_peak_to_mean"]


def test_service_mesh(results):
    n = results["service-mesh"]
    plain, mesh = lat(n, "plain-users"), lat(n, "mesh-users")
    assert plain["max"] == 19.0  # 4 links x 1 ms + 5 ms + 10 ms, constant
    assert mesh["max"] == pytest.approx(19.0 + 2 * (2 * 0.5 + 0.3))  # two sidecar hops
    p_fail = n["plain-users"]["failed"] / n["plain-users"]["requests"]
    r_fail = n["retry-users"]["failed"] / n["retry-users"]["requests"]
    assert abs(p_fail - 0.05) < 0.01
    assert r_fail < 0.001  # 0.05^3 with two retries by the proxy
    assert n["retry-back-proxy"]["retries"] > 0.04 * n["retry-back-proxy"]["requests"]


def test_service_discovery(results):
    n = results["service-discovery"]
    for p in ("cs", "ss"):
        assert (n[f"{p}-registry"]["removed"], n[f"{p}-registry"]["restored"]) == (1, 1)
    cs, ss = n["cs-users"]["failed"], n["ss-users"]["failed"]
    # server-side: stale for the detection delay, 2-3 probe intervals (+0.5 s timeout) at 50 rps
    assert 75 < ss < 200
    # client-side: also up to one 5 s refresh more
    assert cs > ss + 50


@pytest.mark.parametrize("name", ["service-discovery", "circuit-breaker", "service-mesh"])
def test_recording_does_not_change_outcomes(name):
    data = json.loads((TEMPLATES / f"{name}.json").read_text())
    data.pop("meta")
    data["settings"]["duration_s"] = 25
    scenario = parse_scenario(data)
    a = simulate(scenario)
    b = simulate(scenario, emit=lambda _m: None)
    a.pop("wall_s"), b.pop("wall_s")
    assert a == b
