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
    assert len(traces) == 50  # bounded
    assert len({t["trace_id"] for t in traces}) == 50
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
