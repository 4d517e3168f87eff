"""Gallery templates that carry a guided tour: every step points at things that exist."""

from __future__ import annotations

import json

import pytest

from apps.engine import parse_scenario
from tests.engine.helpers import ROOT

TEMPLATES = sorted((ROOT / "apps" / "scenarios" / "templates_data").glob("*.json"))
TOURED = [
    "caching-strategies",
    "circuit-breaker",
    "lb-strategies",
    "raft-leader-crash",
    "three-tier-cache",
]


def load(path) -> dict:
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc.pop("meta")
    return doc


def test_at_least_four_templates_carry_a_tour():
    names = [p.stem for p in TEMPLATES if "tour" in load(p)]
    assert set(TOURED) <= set(names), names


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.stem)
def test_every_tour_step_highlights_existing_nodes_and_acts_within_the_run(path):
    doc = load(path)
    scenario = parse_scenario(doc)  # validates the tour against the document
    ids = {n["id"] for n in doc["nodes"]}
    edges = {e["id"] for e in doc["edges"]}
    for i, step in enumerate(doc.get("tour", [])):
        missing = set(step.get("highlight", [])) - ids
        assert not missing, f"{path.stem}: tour[{i}] highlights {missing}"
        action = step.get("action", {})
        if "run_to" in action:
            assert 0 < action["run_to"] <= scenario.settings.duration_s
        fault = action.get("fault", {})
        assert fault.get("node", "@leader") in ids | {"@leader"}
        assert fault.get("edge", next(iter(edges), None)) in edges | {None}
        question = step.get("question")
        if question:
            assert 0 <= question["answer"] < len(question["choices"]), "tours teach: say the answer"


@pytest.mark.parametrize("name", TOURED)
def test_toured_templates_predict_before_they_reveal(name):
    tour = load(ROOT / "apps" / "scenarios" / "templates_data" / f"{name}.json")["tour"]
    assert len(tour) >= 4
    assert sum("question" in s for s in tour) >= 2
    assert any("action" in s for s in tour)
