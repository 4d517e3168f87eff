import json
import subprocess
import sys

import orjson
import pytest

from apps.engine import Cancelled, ScenarioError, parse_scenario, simulate
from tests.engine.helpers import ROOT, mmc_scenario, stable, web


def test_result_has_the_contract_shape():
    r = simulate(parse_scenario(web()))
    assert list(r) == [
        "format",
        "seed",
        "sim_time_s",
        "events",
        "wall_s",
        "summary",
        "nodes",
        "protocols",
    ]
    assert r["format"] == "topolab.result/1"
    assert r["seed"] == 5
    assert r["sim_time_s"] == 20.0
    assert r["events"] > 10_000
    assert set(r["summary"]) == {"requests", "completed", "failed", "throughput_rps", "latency_ms"}
    assert set(r["summary"]["latency_ms"]) == {"mean", "p50", "p95", "p99", "max"}
    api = r["nodes"]["api"]
    for key in ("kind", "throughput_rps", "utilization", "wait_ms", "latency_ms", "queue"):
        assert key in api
    assert set(api["wait_ms"]) == {"mean", "p99"}
    assert set(api["queue"]) == {"mean", "max"}
    assert r["nodes"]["users"]["kind"] == "client"
    assert r["protocols"] == {}
    s = r["summary"]
    assert s["completed"] + s["failed"] <= s["requests"]
    assert s["completed"] > 0.95 * s["requests"]
    assert s["latency_ms"]["p50"] <= s["latency_ms"]["p95"] <= s["latency_ms"]["p99"]
    assert s["latency_ms"]["p99"] <= s["latency_ms"]["max"]
    # end to end >= both links both ways + work
    assert s["latency_ms"]["mean"] > 2 * 5 + 2 * 1 + 8 + 3
    json.dumps(r, allow_nan=False)
    orjson.dumps(r)


def test_same_seed_same_bytes_different_seed_differs():
    sc = parse_scenario(web())
    a, b = simulate(sc), simulate(sc)
    assert stable(a) == stable(b)
    c = simulate(sc, seed=6)
    assert stable(a) != stable(c)
    assert c["seed"] == 6


def test_same_bytes_in_another_process_with_another_hash_seed():
    code = (
        "import sys; from apps.engine import simulate; from tests.engine.helpers "
        "import web, stable; sys.stdout.buffer.write(stable(simulate(web())))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        check=True,
        cwd=ROOT,
        env={"PYTHONHASHSEED": "123", "PYTHONPATH": str(ROOT)},
    ).stdout
    assert out == stable(simulate(web()))


def test_recording_does_not_change_the_result():
    sc = parse_scenario(web())
    frames: list[dict] = []
    assert stable(simulate(sc, emit=frames.append)) == stable(simulate(sc))
    assert frames


def test_duration_override_and_dict_input():
    r = simulate(web(), duration_s=5)
    assert r["sim_time_s"] == 5.0


def test_warmup_is_excluded():
    sc = mmc_scenario(50, 1, 5, 20, warmup_s=10)
    r = simulate(parse_scenario(sc))
    # ~50 rps over the 10 s after warmup, not 20 s
    assert 400 < r["summary"]["requests"] < 600
    assert r["summary"]["throughput_rps"] == pytest.approx(50, rel=0.15)


def crash_scenario(faults: list[dict], **client) -> dict:
    sc = mmc_scenario(100, 2, 10, 30, warmup_s=0, **{})
    sc["nodes"][0]["params"].update(client)
    sc["faults"] = faults
    return sc


def test_crash_and_restart_fail_requests_while_down():
    base = simulate(crash_scenario([]))
    assert base["summary"]["failed"] == 0
    r = simulate(
        crash_scenario(
            [
                {"at_s": 10, "action": "crash", "node": "api"},
                {"at_s": 20, "action": "restart", "node": "api"},
            ]
        )
    )
    api = r["nodes"]["api"]
    # ~100 rps refused for 10 s, plus what was queued or in service at the crash
    assert 850 < r["summary"]["failed"] < 1150
    assert api["refused"] + api["dropped"] == r["summary"]["failed"]
    assert api["dropped"] >= 1
    assert r["summary"]["completed"] == pytest.approx(
        base["summary"]["completed"] * 2 / 3, rel=0.05
    )
    # it served again after the restart: throughput counts 20 of 30 seconds
    assert api["throughput_rps"] == pytest.approx(100 * 2 / 3, rel=0.06)


def test_crash_of_a_down_node_and_restart_of_an_up_node_do_nothing():
    once = simulate(
        crash_scenario(
            [
                {"at_s": 10, "action": "crash", "node": "api"},
                {"at_s": 20, "action": "restart", "node": "api"},
            ]
        )
    )
    twice = simulate(
        crash_scenario(
            [
                {"at_s": 5, "action": "restart", "node": "api"},
                {"at_s": 10, "action": "crash", "node": "api"},
                {"at_s": 15, "action": "crash", "node": "api"},
                {"at_s": 20, "action": "restart", "node": "api"},
                {"at_s": 25, "action": "restart", "node": "api"},
            ]
        )
    )
    # the same outcome; only the kernel's event count differs (three more fault events)
    assert twice["events"] == once["events"] + 3
    assert (once["summary"], once["nodes"]) == (twice["summary"], twice["nodes"])


def test_retries_hide_a_crash_from_users_when_there_is_a_second_replica():
    sc = crash_scenario([{"at_s": 10, "action": "crash", "node": "api"}], retries=2)
    sc["nodes"].append(
        {"id": "api2", "kind": "service", "params": {"workers": 2, "service_time_ms": 10}}
    )
    sc["edges"].append(
        {"id": "e2", "source": "users", "target": "api2", "params": {"latency_ms": 0}}
    )
    r = simulate(parse_scenario(sc))
    assert r["summary"]["failed"] == 0
    assert r["nodes"]["api"]["refused"] > 500  # the round robin kept trying it
    assert r["nodes"]["api2"]["completed"] > r["nodes"]["api"]["completed"]


def test_slow_factor_slows_service():
    normal = simulate(crash_scenario([]))
    slow = simulate(crash_scenario([{"at_s": 0, "action": "slow", "node": "api", "factor": 1.5}]))
    assert slow["nodes"]["api"]["utilization"] == pytest.approx(
        1.5 * normal["nodes"]["api"]["utilization"], rel=0.05
    )
    assert slow["summary"]["latency_ms"]["mean"] > 1.5 * normal["summary"]["latency_ms"]["mean"]


def test_cut_and_partition_lose_messages_until_restored():
    cut = simulate(
        crash_scenario(
            [
                {"at_s": 10, "action": "cut", "edge": "e1"},
                {"at_s": 15, "action": "restore", "edge": "e1"},
            ],
            timeout_ms=200,
        )
    )
    assert cut["nodes"]["users"]["timeouts"] == cut["summary"]["failed"]
    assert 400 < cut["summary"]["failed"] < 600
    part = simulate(
        crash_scenario(
            [
                {"at_s": 10, "action": "partition", "groups": [["users"], ["api"]]},
                {"at_s": 15, "action": "heal"},
            ],
            timeout_ms=200,
        )
    )
    assert stable(part)[:200] != b""
    assert part["summary"]["failed"] == cut["summary"]["failed"]


def test_queue_capacity_rejects():
    sc = mmc_scenario(150, 1, 10, 20, warmup_s=0, queue_capacity=5)
    r = simulate(parse_scenario(sc))
    api = r["nodes"]["api"]
    assert api["rejected"] > 0
    assert api["queue"]["max"] == 5
    assert r["summary"]["failed"] == api["rejected"]


def test_control_commands_apply_at_boundaries_and_cancel_raises():
    seen: list[float] = []

    def control(now):
        seen.append(now)
        return [{"action": "crash", "node": "api"}] if now == 10.0 else []

    r = simulate(crash_scenario([]), control=control, frame_interval_s=1.0)
    assert seen == [float(i) for i in range(1, 31)]
    assert r["nodes"]["api"]["refused"] > 1500

    def cancel(now):
        return [{"action": "cancel"}] if now >= 3 else []

    with pytest.raises(Cancelled):
        simulate(crash_scenario([]), control=cancel, frame_interval_s=1.0)


@pytest.mark.parametrize("bad", [0, -1, float("nan"), float("inf"), 3601, "10", True])
def test_duration_override_is_checked(bad):
    with pytest.raises(ScenarioError, match="duration_s"):
        simulate(web(), duration_s=bad)


def test_nodes_without_traffic_report_zeros():
    sc = {
        "format": "topolab/1",
        "nodes": [{"id": "a", "kind": "service"}, {"id": "c", "kind": "client"}],
        "settings": {"duration_s": 1},
    }
    r = simulate(sc)
    assert r["summary"]["requests"] == 0
    assert r["summary"]["latency_ms"]["p99"] == 0.0
    assert r["nodes"]["a"]["utilization"] == 0.0
    assert r["events"] == 0


def test_a_request_to_a_client_is_answered_with_an_error():
    sc = {
        "format": "topolab/1",
        "nodes": [{"id": "c1", "kind": "client"}, {"id": "c2", "kind": "client"}],
        "edges": [{"id": "e", "source": "c1", "target": "c2"}],
        "settings": {"duration_s": 10},
    }
    r = simulate(sc)
    assert r["summary"]["requests"] > 50
    assert r["summary"]["failed"] == r["summary"]["requests"]
