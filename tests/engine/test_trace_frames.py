"""Frames link message events to sampled traces (`traced`) and carry finished traces (`traces`)."""

from __future__ import annotations

from apps.engine import MESSAGE_KINDS, parse_scenario, simulate
from tests.engine.test_tracing import mesh

REQUEST = MESSAGE_KINDS.index("request")
RESPONSE = MESSAGE_KINDS.index("response")


def run(sample: float, cap: int = 100_000) -> tuple[dict, list[dict]]:
    out: list[dict] = []
    sc = parse_scenario(mesh(sample))
    result = simulate(sc, emit=out.append, max_events_per_frame=cap)
    return result, [m for m in out if m["type"] == "frame"]


def test_traced_rows_name_the_span_of_their_hop():
    result, frames = run(0.05)
    ids = [n.id for n in parse_scenario(mesh(0.05)).nodes]
    spans = {t["trace_id"]: t["spans"] for t in result["traces"]}
    seen = 0
    for f in frames:
        tr = f.get("traced")
        if not tr:
            continue
        ev = f["events"]
        assert len(tr["row"]) == len(tr["trace"]) == len(tr["span"])
        for row, tid, sid in zip(tr["row"], tr["trace"], tr["span"], strict=True):
            span = spans[tid][sid]
            ms = ev["ts"][row] * 1000
            if ev["kind"][row] == REQUEST:  # the request that opened the span, sent to its node
                assert ids[ev["dst"][row]] == span["node"]
                assert abs(ms - span["start_ms"]) < 1e-3 * max(1.0, ms)
            elif ev["kind"][row] == RESPONSE:  # the answer that closed it, from its node
                assert ids[ev["src"][row]] == span["node"]
                assert abs(ms - span["end_ms"]) < 1e-3 * max(1.0, ms)
            seen += 1
    # every hop of every finished trace is a request and a response: all of them are linked
    hops = sum(len(s) - 1 for s in spans.values() if all(x["end_ms"] is not None for x in s))
    assert seen >= 2 * hops > 0


def test_finished_traces_arrive_once_in_frames_as_in_the_result():
    result, frames = run(0.05)
    sent = [t for f in frames for t in f.get("traces", [])]
    assert len({t["trace_id"] for t in sent}) == len(sent)  # once each
    final = {t["trace_id"]: t for t in result["traces"]}
    finished = [t for t in final.values() if t["spans"][0]["end_ms"] is not None]
    assert len(sent) == len(finished) > 0
    for t in sent:
        assert t["spans"][0] == final[t["trace_id"]]["spans"][0]


def test_untraced_runs_add_nothing_and_sampling_keeps_columns_aligned():
    _, frames = run(0.0)
    assert all("traced" not in f and "traces" not in f for f in frames)
    _, small = run(0.05, cap=20)  # sampled down: row indexes still point inside the columns
    for f in small:
        for row in f.get("traced", {}).get("row", []):
            assert row < len(f["events"]["ts"]) <= 20
