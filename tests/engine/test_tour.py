"""The scenario's optional guided tour: validation (good and each kind of bad), schema, and
that the simulation ignores it (a result with and without a tour is byte-identical)."""

from __future__ import annotations

import copy
import json

import orjson
import pytest

from apps.engine import ScenarioError, parse_scenario, scenario_json_schema, simulate
from apps.engine.tour import tour_dicts
from tests.engine.helpers import ROOT

BASE = {
    "format": "topolab/1",
    "name": "t",
    "nodes": [
        {"id": "users", "kind": "client", "params": {"rate_rps": 50}},
        {"id": "api", "kind": "service", "params": {"service_time_ms": 5}},
    ],
    "edges": [{"id": "e1", "source": "users", "target": "api"}],
    "settings": {"duration_s": 4, "warmup_s": 0.5, "seed": 7},
}
TOUR = [
    {"text": "Watch the API.", "highlight": ["api"]},
    {"text": "Run to 2 s.", "action": {"run_to": 2}},
    {"text": "Cut the link.", "action": {"fault": {"action": "cut", "edge": "e1"}}},
    {
        "text": "Slow the API.",
        "highlight": ["api", "users"],
        "action": {"fault": {"action": "slow", "node": "api", "factor": 3}},
        "question": {"prompt": "p99 will…", "choices": ["fall", "rise"], "answer": 1},
    },
    {"text": "Open question.", "question": {"prompt": "Why?", "choices": ["a", "b", "c"]}},
]


def with_tour(tour) -> dict:
    data = copy.deepcopy(BASE)
    data["tour"] = tour
    return data


def error_of(tour) -> str:
    with pytest.raises(ScenarioError) as info:
        parse_scenario(with_tour(tour))
    return str(info.value)


def test_a_good_tour_parses_and_dumps_without_unset_fields():
    sc = parse_scenario(with_tour(TOUR))
    assert len(sc.tour) == 5
    assert sc.tour[3].action.fault.factor == 3
    dumped = tour_dicts(sc)
    assert dumped[0] == {"text": "Watch the API.", "highlight": ["api"]}
    assert dumped[3]["action"] == {"fault": {"action": "slow", "node": "api", "factor": 3.0}}
    assert dumped[4]["question"] == {"prompt": "Why?", "choices": ["a", "b", "c"]}
    assert parse_scenario(BASE).tour == []


@pytest.mark.parametrize(
    ("step", "needle"),
    [
        ({"text": "x", "highlight": ["nope"]}, "tour[0].highlight: unknown node 'nope'"),
        ({"text": "x", "highlight": ["bad id!"]}, "tour[0].highlight[0]: must be 1-64 chars"),
        ({"text": ""}, "tour[0].text: must be at least 1 character"),
        ({"highlight": []}, "tour[0].text: is required"),
        ({"text": "x", "extra": 1}, "tour[0].extra: unknown key 'extra' (allowed: text, highlight"),
        ({"text": "x", "action": {}}, "tour[0].action: must be exactly one of run_to or fault"),
        (
            {"text": "x", "action": {"run_to": 1, "fault": {"action": "heal"}}},
            "tour[0].action: must be exactly one of run_to or fault",
        ),
        ({"text": "x", "action": {"run_to": 0}}, "tour[0].action.run_to: must be > 0"),
        ({"text": "x", "action": {"run_to": "5"}}, "tour[0].action.run_to: must be a number"),
        (
            {"text": "x", "action": {"fault": {"action": "explode", "node": "api"}}},
            "tour[0].action.fault: unknown action 'explode'",
        ),
        (
            {"text": "x", "action": {"fault": {"action": "crash", "node": "db"}}},
            "tour[0].action.fault.node: unknown node 'db'",
        ),
        (
            {"text": "x", "action": {"fault": {"action": "crash", "node": "api", "at_s": 1}}},
            "tour[0].action.fault.at_s: unknown key 'at_s'",
        ),
        (
            {"text": "x", "action": {"fault": {"action": "crash", "node": "@leader"}}},
            "tour[0].action.fault.node: '@leader' needs a consensus kind",
        ),
        (
            {"text": "x", "action": {"fault": {"action": "cut", "edge": "e9"}}},
            "tour[0].action.fault.edge: unknown edge 'e9'",
        ),
        (
            {"text": "x", "action": {"fault": {"action": "partition", "groups": [["zz"]]}}},
            "tour[0].action.fault.groups[0]: unknown node 'zz'",
        ),
        (
            {"text": "x", "question": {"prompt": "p", "choices": ["a"]}},
            "tour[0].question.choices: too short: at least 2",
        ),
        (
            {"text": "x", "question": {"prompt": "p", "choices": ["a", ""]}},
            "tour[0].question.choices[1]: must be at least 1",
        ),
        (
            {"text": "x", "question": {"prompt": "p", "choices": ["a", "b"], "answer": 2}},
            "tour[0].question.answer: must index one of the 2 choices (0-1)",
        ),
        (
            {"text": "x", "question": {"prompt": "p", "choices": ["a", "b"], "answer": -1}},
            "tour[0].question.answer: must be >= 0",
        ),
        (
            {"text": "x", "question": {"choices": ["a", "b"], "hint": "h"}},
            "tour[0].question",
        ),
    ],
)
def test_each_kind_of_bad_step_names_the_step_and_field(step, needle):
    assert needle in error_of([TOUR[0], step]).replace("tour[1]", "tour[0]")


def test_the_bad_step_is_named_by_its_index():
    assert error_of([TOUR[0], TOUR[1], {"text": "x", "highlight": ["x"]}]) == (
        "tour[2].highlight: unknown node 'x'"
    )


def test_run_to_past_the_end_is_allowed_so_a_shorter_run_keeps_its_tour():
    assert parse_scenario(with_tour([{"text": "x", "action": {"run_to": 9}}])).tour[0]


def test_the_tour_must_be_a_list_of_at_most_50_steps():
    assert error_of("steps") == "tour: must be a list"
    assert "tour: too long: at most 50" in error_of([{"text": "x"}] * 51)
    assert "tour[0]: must be an object" in error_of(["x"])


def test_at_leader_is_allowed_with_a_consensus_kind():
    raft = json.loads((ROOT / "apps/scenarios/templates_data/raft-leader-crash.json").read_text())
    raft.pop("meta")
    raft["tour"] = [
        {"text": "Crash the leader", "action": {"fault": {"action": "crash", "node": "@leader"}}}
    ]
    assert parse_scenario(raft).tour[0].action.fault.node == "@leader"


def test_the_json_schema_documents_the_tour():
    schema = scenario_json_schema()
    assert schema["properties"]["tour"]["items"] == {"$ref": "#/$defs/TourStep"}
    step = schema["$defs"]["TourStep"]
    assert set(step["properties"]) == {"text", "highlight", "action", "question"}
    assert step["additionalProperties"] is False
    live = schema["$defs"]["LiveCrashFault"]
    assert "at_s" not in live["properties"]
    assert schema["x-limits"]["max_tour_steps"] == 50


def test_the_simulation_ignores_the_tour_byte_for_byte():
    plain = simulate(parse_scenario(BASE))
    toured = simulate(parse_scenario(with_tour(TOUR)))
    plain.pop("wall_s")
    toured.pop("wall_s")
    assert plain["summary"]["completed"] > 100
    assert orjson.dumps(plain, option=orjson.OPT_SORT_KEYS) == orjson.dumps(
        toured, option=orjson.OPT_SORT_KEYS
    )
