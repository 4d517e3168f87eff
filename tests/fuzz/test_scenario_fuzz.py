"""Scenarios generated from the JSON Schema, valid and mutated, through the engine and the API.

- Valid ones parse, and a short simulation of each finishes with a result (no engine crash).
- Mutated ones are either still valid or refused with ScenarioError naming a location; over
  HTTP that is 201 or a 400 in the error shape, the server never errs, and a refused save
  leaves the database as it was.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from apps.engine import ScenarioError, parse_scenario, simulate
from apps.scenarios.http import ApiError, loads_strict
from apps.scenarios.models import Scenario
from tests.fuzz.schema_strategy import mutated, scenarios

FUZZ = settings(deadline=None, database=None, derandomize=True,
                suppress_health_check=list(HealthCheck))  # fmt: skip


def _short(data: dict[str, Any]) -> dict[str, Any]:
    """The same scenario cut to 0.3 simulated seconds, so rates at their limits stay cheap."""
    data = copy.deepcopy(data)
    data["settings"].update(duration_s=0.3, warmup_s=0)
    data["faults"] = [fault for fault in data["faults"] if fault["at_s"] < 0.3]
    return data


@settings(FUZZ, max_examples=150)
@given(data=scenarios())
def test_valid_scenarios_parse_and_simulate(data: dict[str, Any]) -> None:
    try:
        parsed = parse_scenario(_short(data))
    except ScenarioError as exc:
        # Cross-field rules the schema cannot state (a kind that needs an edge, a protocol
        # that needs a tracker...) may still refuse it, with a message.
        refused = exc
    else:
        refused = None
    if refused is not None:
        assert refused.message
        return
    try:
        result = simulate(parsed, seed=1)
    except ScenarioError as exc:
        # Checks that need the built world (a gateway route naming a request type, a registry
        # that must be an edge target) refuse at build time, naming the node: a run fails with
        # that reason. Anything else raised here is an engine crash.
        built_refusal = exc.message
    else:
        built_refusal = None
    if built_refusal is not None:
        assert built_refusal.startswith("node '"), built_refusal
        return
    assert result["format"] == "topolab.result/1"
    assert result["sim_time_s"] == pytest.approx(0.3)


@settings(FUZZ, max_examples=300)
@given(data=mutated())
def test_mutated_scenarios_are_refused_with_a_named_reason(data: dict[str, Any]) -> None:
    try:
        parse_scenario(data)
    except ScenarioError as exc:
        refused = exc
    else:
        return
    assert refused.message
    assert refused.details
    assert all("loc" in detail for detail in refused.details), refused.details


@pytest.mark.django_db
@settings(FUZZ, max_examples=200)
@given(data=mutated())
def test_mutated_scenarios_over_http_never_half_write(client, data: dict[str, Any]) -> None:
    before = list(Scenario.objects.values_list("id", "revision"))
    body = json.dumps(data, allow_nan=False)
    resp = client.post("/api/scenarios", data=body, content_type="application/json")
    try:
        parse_scenario(loads_strict(body.encode()))  # the same two checks the CLI makes
        valid = True
    except (ApiError, ScenarioError):
        valid = False
    if valid:
        assert resp.status_code == 201, resp.content
        return
    assert resp.status_code == 400, resp.content
    assert set(resp.json()) == {"error", "details"}
    assert list(Scenario.objects.values_list("id", "revision")) == before
