"""Mermaid import/export: shapes, names, unmapped and missing kinds, edges, limits, bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from apps.engine import parse_scenario
from apps.engine.kinds import KINDS
from apps.scenarios import mermaid
from apps.scenarios.mermaid import MermaidError, mermaid_to_scenario, scenario_to_mermaid

SHOP = """---
title: Shop
---
flowchart LR
  %% a comment
  U([Browser]) --> LB{{Load Balancer}} & GW
  LB -->|"http"| A1[Orders service] --> DB[(Orders)]
  A1 -.-> C[Redis cache]
  A1 -- publishes --> Q[[Kafka]]; Q --> W(Thing)
  X <-- W
  classDef hot fill:#f00
  style W fill:#0f0
"""


def _by_id(scenario):
    return {n["id"]: n for n in scenario["nodes"]}


def test_nodes_edges_labels_and_direction():
    scenario, _ = mermaid_to_scenario(SHOP)
    nodes = _by_id(scenario)
    assert list(nodes) == ["U", "LB", "GW", "A1", "DB", "C", "Q", "W", "X"]
    assert nodes["A1"]["label"] == "Orders service"
    assert nodes["GW"]["label"] == "GW"
    pairs = [(e["source"], e["target"]) for e in scenario["edges"]]
    assert pairs == [
        ("U", "LB"), ("U", "GW"), ("LB", "A1"), ("A1", "DB"), ("A1", "C"),
        ("A1", "Q"), ("Q", "W"), ("W", "X"),
    ]  # fmt: skip
    labels = {e["id"]: e.get("label") for e in scenario["edges"]}
    assert labels["e3"] == "http"
    assert labels["e6"] == "publishes"
    # layered layout, left to right
    assert nodes["U"]["x"] < nodes["LB"]["x"] < nodes["A1"]["x"] < nodes["DB"]["x"]
    parse_scenario(scenario)


def test_kinds_from_shapes_and_names_only_when_the_engine_has_them(monkeypatch):
    everything = dict.fromkeys(
        ["client", "service", "database", "cache", "load_balancer", "api_gateway", "broker"], object
    )
    monkeypatch.setattr("apps.scenarios.mermaid.parse_scenario", lambda s: None)
    monkeypatch.setattr("apps.engine.kinds.KINDS", everything)
    scenario, flagged = mermaid_to_scenario(SHOP)
    kinds = {n["id"]: n["kind"] for n in scenario["nodes"]}
    assert kinds == {
        "U": "client", "LB": "load_balancer", "GW": "api_gateway", "A1": "service",
        "DB": "database", "C": "cache", "Q": "broker", "W": "service", "X": "service",
    }  # fmt: skip
    assert sorted(f["id"] for f in flagged) == ["W", "X"]  # no word recognised


def test_missing_kinds_fall_back_to_flagged_services():
    scenario, flagged = mermaid_to_scenario(SHOP)
    reasons = {f["id"]: f["reason"] for f in flagged}
    for node in scenario["nodes"]:
        assert node["kind"] in KINDS
    if "database" not in KINDS:
        assert _by_id(scenario)["DB"]["kind"] == "service"
        assert "database" in reasons["DB"]
    assert "A1" not in reasons
    assert "U" not in reasons


def test_labels_are_kept_as_text_and_escaped_on_export():
    text = 'graph TD\n  a["<b>Users</b> #quot;vip#quot; #35;1"] --> b["API; v2"]\n'
    scenario, _ = mermaid_to_scenario(text)
    assert _by_id(scenario)["a"]["label"] == '<b>Users</b> "vip" #1'
    out = scenario_to_mermaid(scenario)
    assert '"vip"' not in out
    assert "#quot;vip#quot;" in out
    back, _ = mermaid_to_scenario(out)
    assert [n["label"] for n in back["nodes"]] == [n["label"] for n in scenario["nodes"]]
    assert [n["kind"] for n in back["nodes"]] == [n["kind"] for n in scenario["nodes"]]


def test_export_of_a_scenario_with_unsafe_ids_imports_back():
    scenario = {
        "format": "topolab/1",
        "name": "x",
        "nodes": [
            {"id": "api-1", "kind": "client", "params": {}},
            {"id": "api.2", "kind": "service", "params": {}},
        ],
        "edges": [{"id": "e", "source": "api-1", "target": "api.2", "params": {}}],
    }
    back, _ = mermaid_to_scenario(scenario_to_mermaid(scenario))
    assert [(n["id"], n["kind"]) for n in back["nodes"]] == [
        ("api_1", "client"),
        ("api_2", "service"),
    ]
    assert len(back["edges"]) == 1


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("", "empty input"),
        ("sequenceDiagram\n A->>B: hi", "line 1: expected 'graph' or 'flowchart'"),
        ("graph TD\n", "no nodes"),
        ("graph TD\n a[unclosed --> b", "line 2: a: unclosed"),
        ("graph TD\n a --> ", "line 2: expected a node id"),
        ("graph TD\n a ~~ b", "line 2: unexpected"),
        ("graph TD\n a[" + "x" * 300 + "]", "longer than"),
    ],
)
def test_bad_input_gives_one_clear_line(text, needle):
    with pytest.raises(MermaidError) as info:
        mermaid_to_scenario(text)
    assert needle in str(info.value)
    assert "\n" not in str(info.value)


def test_limits(monkeypatch):
    with pytest.raises(MermaidError, match="larger than"):
        mermaid_to_scenario("graph TD\n" + "a-->b\n" * 30000)
    monkeypatch.setattr(mermaid, "MAX_NODES", 3)
    with pytest.raises(MermaidError, match="more than 3 nodes"):
        mermaid_to_scenario("graph TD\n a --> b --> c --> d")


def test_command_prints_scenario_and_exits_2_on_bad_input(tmp_path: Path):
    good = tmp_path / "shop.mmd"
    good.write_text(SHOP)
    bad = tmp_path / "bad.mmd"
    bad.write_text("pie\n")
    cmd = [sys.executable, "manage.py", "import_mermaid"]
    ok = subprocess.run([*cmd, str(good)], capture_output=True, text=True, check=False)
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["format"] == "topolab/1"
    ko = subprocess.run([*cmd, str(bad)], capture_output=True, text=True, check=False)
    assert ko.returncode == 2
    assert "expected 'graph' or 'flowchart'" in ko.stderr
    assert ko.stderr.strip().count("\n") == 0


@pytest.mark.django_db
def test_api_import_and_export(api):
    resp = api.post("/api/import/mermaid", data=SHOP, content_type="text/plain")
    assert resp.status_code == 200, resp.content
    body = resp.json()
    assert body["scenario"]["nodes"][0]["id"] == "U"
    assert {"id", "label", "reason"} <= set(body["flagged"][0])
    bad = api.post("/api/import/mermaid", data="nope", content_type="text/plain")
    assert bad.status_code == 400
    assert "invalid Mermaid" in bad.json()["error"]
    out = api.post_json("/api/export/mermaid", body["scenario"])
    assert out.status_code == 200
    assert out.json()["mermaid"].startswith("flowchart LR")
    invalid = api.post_json("/api/export/mermaid", {"format": "topolab/1"})
    assert invalid.status_code == 400
