import copy
import json
import math

import pytest

from apps.engine import LIMITS, Scenario, ScenarioError, parse_scenario, scenario_json_schema

BASE = {
    "format": "topolab/1",
    "name": "t",
    "nodes": [
        {
            "id": "users",
            "kind": "client",
            "label": "Browsers",
            "x": 1,
            "y": 2,
            "params": {"rate_rps": 320, "arrival": "poisson"},
        },
        {
            "id": "api-1",
            "kind": "service",
            "params": {"workers": 1, "service_time_ms": 10, "service_time_dist": "exponential"},
        },
    ],
    "edges": [{"id": "e1", "source": "users", "target": "api-1", "params": {"latency_ms": 0}}],
    "faults": [
        {"at_s": 30, "action": "crash", "node": "api-1"},
        {"at_s": 40, "action": "restart", "node": "api-1"},
        {"at_s": 41, "action": "slow", "node": "api-1", "factor": 2},
        {"at_s": 42, "action": "cut", "edge": "e1"},
        {"at_s": 43, "action": "restore", "edge": "e1"},
        {"at_s": 44, "action": "partition", "groups": [["users"], ["api-1"]]},
        {"at_s": 45, "action": "heal"},
    ],
    "settings": {"duration_s": 60, "warmup_s": 5, "seed": 42},
}


def bad(mutate) -> ScenarioError:
    data = copy.deepcopy(BASE)
    mutate(data)
    with pytest.raises(ScenarioError) as info:
        parse_scenario(data)
    return info.value


def test_valid_scenario_parses_with_defaults():
    sc = parse_scenario(BASE)
    assert isinstance(sc, Scenario)
    assert sc.nodes[1].params.workers == 1
    assert sc.nodes[1].params.queue_capacity is None
    assert sc.nodes[0].params.retries == 0
    assert sc.edges[0].params.loss == 0.0
    assert sc.settings.default_latency_ms == 1.0
    minimal = parse_scenario({"format": "topolab/1", "nodes": [{"id": "a", "kind": "service"}]})
    assert minimal.settings.seed == 1
    assert minimal.nodes[0].params.service_time_dist == "exponential"


def test_scenario_is_immutable():
    sc = parse_scenario(BASE)
    with pytest.raises(Exception):  # noqa: B017, PT011 (pydantic's frozen error)
        sc.nodes[1].params.workers = 3


def test_negative_workers_names_node_and_param():
    err = bad(lambda d: d["nodes"][1]["params"].update(workers=-1))
    assert str(err) == "node 'api-1': params.workers: must be >= 1"
    assert err.details == [
        {"loc": "nodes[1].params.workers", "node": "api-1", "msg": "must be >= 1"}
    ]


def test_unknown_param_is_named_with_allowed_list():
    err = bad(lambda d: d["nodes"][1]["params"].update(wrokers=2))
    assert str(err).startswith("node 'api-1': params.wrokers: unknown key 'wrokers'")
    assert "workers" in err.details[0]["msg"]


def test_unknown_kind_is_named():
    err = bad(lambda d: d["nodes"][1].update(kind="mainframe"))
    assert "node 'api-1'" in str(err)
    assert "unknown kind 'mainframe'" in str(err)


def test_unknown_strategy_value_is_named():
    err = bad(lambda d: d["nodes"][0]["params"].update(arrival="bursty"))
    assert str(err).startswith("node 'users': params.arrival: must be one of")
    assert "'bursty'" in str(err)
    err = bad(lambda d: d["nodes"][1]["params"].update(service_time_dist="pareto"))
    assert "params.service_time_dist" in str(err)


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_non_finite_numbers_are_rejected(value):
    err = bad(lambda d: d["nodes"][0]["params"].update(rate_rps=value))
    assert str(err) == "node 'users': params.rate_rps: must be a finite number"


def test_strings_and_bools_are_not_numbers():
    err = bad(lambda d: d["nodes"][0]["params"].update(rate_rps="5"))
    assert str(err) == "node 'users': params.rate_rps: must be a number"
    err = bad(lambda d: d["nodes"][1]["params"].update(workers=True))
    assert str(err) == "node 'api-1': params.workers: must be an integer"


def test_unknown_top_level_key_is_named():
    err = bad(lambda d: d.update(colour="red"))
    assert str(err).startswith("colour: unknown key 'colour'")


def test_duplicate_ids_are_rejected():
    err = bad(lambda d: d["nodes"].append({"id": "api-1", "kind": "service"}))
    assert str(err) == "node 'api-1': id: duplicate id (also nodes[1])"
    assert err.details[0]["loc"] == "nodes[2].id"


def test_dangling_edge_is_rejected():
    err = bad(lambda d: d["edges"].append({"id": "e2", "source": "api-1", "target": "db"}))
    assert str(err) == "edge 'e2': target: unknown node 'db'"


def test_self_loop_is_rejected():
    err = bad(lambda d: d["edges"].append({"id": "e2", "source": "api-1", "target": "api-1"}))
    assert "edge 'e2'" in str(err)


@pytest.mark.parametrize("bad_id", ["", "has space", "x" * 65, "é", "a/b"])
def test_ids_follow_the_pattern(bad_id):
    err = bad(lambda d: d["nodes"][1].update(id=bad_id))
    assert "id: must be 1-64 chars" in str(err)


def test_faults_reference_existing_nodes_and_edges():
    err = bad(lambda d: d["faults"].append({"at_s": 1, "action": "crash", "node": "ghost"}))
    assert str(err) == "faults[7]: node: unknown node 'ghost'"
    err = bad(lambda d: d["faults"].append({"at_s": 1, "action": "cut", "edge": "e9"}))
    assert str(err) == "faults[7]: edge: unknown edge 'e9'"
    err = bad(
        lambda d: d["faults"].append({"at_s": 1, "action": "partition", "groups": [["nope"]]})
    )
    assert "unknown node 'nope'" in str(err)


def test_fault_shape_is_checked_per_action():
    err = bad(lambda d: d["faults"].append({"at_s": 1, "action": "explode", "node": "api-1"}))
    assert "unknown action 'explode'" in str(err)
    err = bad(lambda d: d["faults"].append({"at_s": 1, "action": "cut"}))
    assert str(err) == "faults[7]: edge: is required"
    err = bad(lambda d: d["faults"].append({"at_s": 1, "action": "crash", "node": "api-1", "x": 1}))
    assert "unknown key 'x'" in str(err)


def test_leader_needs_a_consensus_kind():
    err = bad(lambda d: d["faults"].append({"at_s": 1, "action": "crash", "node": "@leader"}))
    assert str(err).startswith("faults[7]: node: '@leader' needs a consensus kind")


def test_limits_are_enforced_with_clear_errors():
    err = bad(lambda d: d["settings"].update(duration_s=LIMITS["max_duration_s"] + 1))
    assert str(err) == "settings.duration_s: must be <= 3600"
    too_many = [{"id": f"n{i}", "kind": "service"} for i in range(int(LIMITS["max_nodes"]) + 1)]
    err = bad(lambda d: d.update(nodes=too_many, edges=[], faults=[]))
    assert "nodes: too long: at most 2000" in str(err)
    err = bad(lambda d: d["nodes"][0]["params"].update(rate_rps=LIMITS["max_rate_rps"] * 2))
    assert "params.rate_rps: must be <= 100000" in str(err)
    err = bad(lambda d: d["edges"][0]["params"].update(loss=1.5))
    assert str(err) == "edge 'e1': params.loss: must be <= 1"


def test_warmup_must_be_shorter_than_duration():
    err = bad(lambda d: d["settings"].update(warmup_s=60))
    assert str(err) == "settings.warmup_s: must be < settings.duration_s (60)"


def test_non_object_is_rejected():
    with pytest.raises(ScenarioError, match="must be a JSON object"):
        parse_scenario([1, 2])


def test_every_problem_is_listed():
    def many(d):
        d["nodes"][1]["params"]["workers"] = 0
        d["nodes"][0]["params"]["rate_rps"] = -1
        d["settings"]["bogus"] = 1

    err = bad(many)
    locs = {x["loc"] for x in err.details}
    assert {"nodes[1].params.workers", "nodes[0].params.rate_rps", "settings.bogus"} <= locs


def test_json_schema_describes_each_kind_for_a_form():
    schema = scenario_json_schema()
    json.dumps(schema)  # serialisable
    assert schema["$schema"].endswith("2020-12/schema")
    defs = schema["$defs"]
    workers = defs["ServiceParams"]["properties"]["workers"]
    assert workers["type"] == "integer"
    assert workers["minimum"] == 1
    assert workers["default"] == 1
    assert workers["description"]
    st = defs["ServiceParams"]["properties"]["service_time_ms"]
    assert st["x-unit"] == "ms"
    assert st["exclusiveMinimum"] == 0
    rate = defs["ClientParams"]["properties"]["rate_rps"]
    assert rate["x-unit"] == "rps"
    assert rate["maximum"] == LIMITS["max_rate_rps"]
    assert defs["ClientParams"]["additionalProperties"] is False
    assert set(schema["x-kinds"]) >= {"client", "service"}
    node_union = schema["properties"]["nodes"]["items"]
    assert set(node_union["discriminator"]["mapping"]) == set(schema["x-kinds"])
    loss = defs["EdgeParams"]["properties"]["loss"]
    assert (loss["minimum"], loss["maximum"]) == (0, 1)
