import pytest

from apps.engine import parse_scenario, simulate


def pair(edge: dict, client: dict | None = None, service: dict | None = None, **settings) -> dict:
    return {
        "format": "topolab/1",
        "nodes": [
            {
                "id": "u",
                "kind": "client",
                "params": {"rate_rps": 10, "arrival": "constant", **(client or {})},
            },
            {
                "id": "s",
                "kind": "service",
                "params": {
                    "service_time_ms": 4,
                    "service_time_dist": "constant",
                    **(service or {}),
                },
            },
        ],
        "edges": [{"id": "e", "source": "u", "target": "s", "params": edge}],
        "settings": {"duration_s": 50, "seed": 2, **settings},
    }


def latency(sc: dict) -> dict:
    return simulate(parse_scenario(sc))["summary"]["latency_ms"]


def test_latency_is_one_way_and_applies_both_ways():
    assert latency(pair({"latency_ms": 7}))["max"] == pytest.approx(7 + 4 + 7)


def test_default_latency_comes_from_settings():
    assert latency(pair({}))["mean"] == pytest.approx(1 + 4 + 1)
    assert latency(pair({}, default_latency_ms=3))["mean"] == pytest.approx(3 + 4 + 3)


def test_bandwidth_adds_serialisation_delay():
    # 125 000 B at 10 Mbit/s = 100 ms each way
    sc = pair(
        {"latency_ms": 0, "bandwidth_mbps": 10},
        client={"request_bytes": 125_000},
        service={"response_bytes": 125_000},
    )
    assert latency(sc)["mean"] == pytest.approx(100 + 4 + 100)


def test_a_saturated_link_queues_messages():
    # 20 rps of 100 ms transmissions = 2 s of sending per second: the link backs up
    sc = pair(
        {"latency_ms": 0, "bandwidth_mbps": 10}, client={"request_bytes": 125_000, "rate_rps": 20}
    )
    lat = latency(sc)
    assert lat["max"] > 20_000  # the backlog grows by ~1 s of sending every second
    assert lat["p50"] < lat["max"] / 1.5


def test_jitter_is_bounded_and_varies():
    lat = latency(pair({"latency_ms": 5, "jitter_ms": 10}))
    assert 5 + 4 + 5 <= lat["p50"] <= 15 + 4 + 15
    assert lat["max"] - (5 + 4 + 5) > 10
    assert lat["max"] <= 15 + 4 + 15


def test_loss_loses_the_expected_fraction():
    sc = pair({"latency_ms": 1, "loss": 0.1}, client={"timeout_ms": 100, "rate_rps": 200})
    r = simulate(parse_scenario(sc))
    # a round trip survives with probability 0.9^2 = 0.81
    s = r["summary"]
    assert s["failed"] / s["requests"] == pytest.approx(0.19, abs=0.015)
    assert r["nodes"]["u"]["timeouts"] == s["failed"]


def test_retries_recover_from_loss():
    sc = pair(
        {"latency_ms": 1, "loss": 0.1}, client={"timeout_ms": 100, "rate_rps": 200, "retries": 3}
    )
    s = simulate(parse_scenario(sc))["summary"]
    assert s["failed"] / s["requests"] < 0.19**4 * 2
    assert s["latency_ms"]["max"] >= 100  # some needed a retry after a timeout
