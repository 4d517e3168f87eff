"""Tracing: sampled requests record a well-formed, bounded, deterministic span tree."""

from __future__ import annotations

import json

from apps.engine import parse_scenario, simulate
from tests.engine.helpers import ROOT


def mesh(sample: float) -> dict:
    data = json.loads((ROOT / "apps/scenarios/templates_data/service-mesh.json").read_text())
    data.pop("meta")
    data["settings"]["duration_s"] = 20
    for n in data["nodes"]:
        if n["kind"] == "client":
            n["params"]["trace_sample"] = sample
    return data


def test_spans_form_a_tree_within_their_parents():
    r = simulate(parse_scenario(mesh(0.01)))
    traces = r["traces"]
    # spread over the run: at most 10 by t = 10 s, 20 by 20 s (the mesh samples ~3 a second)
    starts = [t["spans"][0]["start_ms"] for t in traces]
    assert sum(s < 10_000 for s in starts) == 10
    assert len(traces) == 20
    assert len({t["trace_id"] for t in traces}) == 20
    for t in traces:
        spans = {s["span_id"]: s for s in t["spans"]}
        assert spans[0]["parent"] is None
        for s in t["spans"][1:]:
            p = spans[s["parent"]]
            assert p["start_ms"] <= s["start_ms"]
            if s["end_ms"] is not None and p["end_ms"] is not None:
                assert s["end_ms"] <= p["end_ms"]
        nodes = [s["node"] for s in t["spans"]]
        if nodes[0] == "mesh-users" and spans[0]["ok"]:
            assert nodes == ["mesh-users", "mesh-front-proxy", "mesh-front",
                             "mesh-back-proxy", "mesh-back"]  # fmt: skip
            assert abs(spans[0]["end_ms"] - spans[0]["start_ms"] - 21.6) < 0.02  # 6 digits


def test_tracing_is_deterministic_and_off_by_default():
    a = simulate(parse_scenario(mesh(0.05)), emit=lambda _m: None)
    b = simulate(parse_scenario(mesh(0.05)))
    assert a["traces"] == b["traces"]
    assert "traces" not in simulate(parse_scenario(mesh(0.0)))


def test_a_long_run_keeps_at_most_200_traces_spread_over_it():
    data = json.loads((ROOT / "apps/scenarios/templates_data/client-server.json").read_text())
    data.pop("meta")
    data["settings"]["duration_s"] = 400
    for n in data["nodes"]:
        if n["kind"] == "client":
            n["params"]["trace_sample"] = 1.0
    traces = simulate(parse_scenario(data))["traces"]
    assert len(traces) == 200
    starts = sorted(t["spans"][0]["start_ms"] / 1000 for t in traces)
    # every request is sampled, so each 10 s window takes its 10 as soon as it opens ...
    for w in range(20):
        assert sum(w * 10 <= s < (w + 1) * 10 for s in starts) == 10
    assert starts[-1] < 200  # ... and the 200 are used up by t = 200 s
