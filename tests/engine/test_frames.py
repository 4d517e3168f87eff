import itertools

import orjson
import pytest

from apps.engine import MESSAGE_KINDS, parse_scenario, simulate
from tests.engine.helpers import web

COLUMNS = ["ts", "dt", "src", "dst", "edge", "kind"]


def run(**kw) -> tuple[list[dict], dict]:
    messages: list[dict] = []
    result = simulate(parse_scenario(web()), emit=messages.append, **kw)
    return messages, result


def test_message_kinds_start_with_the_documented_ones():
    assert MESSAGE_KINDS[:10] == (
        "request",
        "response",
        "error",
        "timeout",
        "retry",
        "event",
        "ack",
        "vote",
        "heartbeat",
        "replication",
    )


def test_frame_metrics_progress_in_order_with_contiguous_windows():
    messages, result = run(frame_interval_s=0.5)
    assert [m["type"] for m in messages[:6]] == ["frame", "metrics", "progress"] * 2
    frames = [m for m in messages if m["type"] == "frame"]
    assert len(messages) == 3 * len(frames) == 3 * 40
    assert frames[0]["t0"] == 0.0
    assert frames[-1]["t1"] == 20.0
    for a, b in itertools.pairwise(frames):
        assert a["t1"] == b["t0"]
    for m in messages:
        assert "run_id" not in m
        assert "seq" not in m
        orjson.dumps(m)
    last = messages[-1]
    assert last == {
        "type": "progress",
        "sim_time_s": 20.0,
        "duration_s": 20.0,
        "events": result["events"],
    }


def test_frame_columns_shape():
    messages, _ = run()
    frames = [m for m in messages if m["type"] == "frame"]
    assert set(frames[3]) == {"type", "t0", "t1", "events", "total", "nodes"}
    for f in frames:
        ev = f["events"]
        assert list(ev) == COLUMNS
        n = len(ev["ts"])
        assert all(len(ev[c]) == n for c in COLUMNS)
        assert n == f["total"]  # under the cap here
        assert all(f["t0"] <= t < f["t1"] + 1e-9 for t in ev["ts"])
        assert all(0 <= k < len(MESSAGE_KINDS) for k in ev["kind"])
        assert all(0 <= s < 3 for s in ev["src"] + ev["dst"])
        assert all(-1 <= e < 2 for e in ev["edge"])
        assert all(d >= 0 for d in ev["dt"])
        assert set(f["nodes"]) == {"q", "busy", "up"}
        assert all(len(col) == 3 for col in f["nodes"].values())
    # a request on e1 goes users(0) -> api(1); its response api(1) -> users(0)
    ev = frames[5]["events"]
    kinds = {
        (s, d, e, MESSAGE_KINDS[k])
        for s, d, e, k in zip(ev["src"], ev["dst"], ev["edge"], ev["kind"], strict=True)
    }
    assert (0, 1, 0, "request") in kinds
    assert (1, 0, 0, "response") in kinds
    assert (1, 2, 1, "request") in kinds


def test_sampling_cap_is_respected_and_total_counts_everything():
    messages, _ = run(max_events_per_frame=50)
    frames = [m for m in messages if m["type"] == "frame"]
    assert max(f["total"] for f in frames) > 200  # ~4 messages per request, 200 rps, 0.25 s
    for f in frames:
        assert len(f["events"]["ts"]) == min(50, f["total"])
        assert f["events"]["ts"] == sorted(f["events"]["ts"])


def test_metrics_windows_add_up_to_the_cumulative_counts():
    messages, result = run()
    metrics = [m for m in messages if m["type"] == "metrics"]
    assert set(metrics[0]) == {
        "type",
        "t",
        "window_s",
        "throughput_rps",
        "latency_ms",
        "requests",
        "completed",
        "failed",
    }
    assert set(metrics[0]["latency_ms"]) == {"mean", "p50", "p95", "p99"}
    done = sum(round(m["throughput_rps"] * m["window_s"]) for m in metrics)
    assert done == metrics[-1]["completed"]
    assert metrics[-1]["requests"] >= result["summary"]["requests"]  # cumulative incl. warmup
    busy = [m for m in metrics if m["throughput_rps"] > 0]
    assert all(m["latency_ms"]["p50"] <= m["latency_ms"]["p99"] for m in busy)
    assert metrics[-1]["latency_ms"]["mean"] == pytest.approx(
        result["summary"]["latency_ms"]["mean"], rel=0.5
    )


def test_node_state_shows_a_crash():
    sc = web()
    sc["faults"] = [{"at_s": 5, "action": "crash", "node": "db"}]
    messages: list[dict] = []
    simulate(parse_scenario(sc), emit=messages.append, frame_interval_s=1.0)
    frames = [m for m in messages if m["type"] == "frame"]
    assert frames[3]["nodes"]["up"] == [1, 1, 1]
    assert frames[5]["nodes"]["up"] == [1, 1, 0]
    assert frames[6]["nodes"]["busy"][2] == 0
    errors = MESSAGE_KINDS.index("error")
    assert errors in frames[6]["events"]["kind"]


def test_timeouts_are_local_marks_at_the_node():
    sc = web()
    sc["faults"] = [{"at_s": 5, "action": "cut", "edge": "e1"}]
    messages: list[dict] = []
    simulate(parse_scenario(sc), emit=messages.append, frame_interval_s=1.0)
    timeout = MESSAGE_KINDS.index("timeout")
    marks = [
        (s, d, e, dt)
        for f in messages
        if f["type"] == "frame"
        for s, d, e, k, dt in zip(
            f["events"]["src"],
            f["events"]["dst"],
            f["events"]["edge"],
            f["events"]["kind"],
            f["events"]["dt"],
            strict=True,
        )
        if k == timeout
    ]
    assert len(marks) > 100
    assert set(marks) == {(0, 0, -1, 0.0)}
