"""The consensus gallery templates validate, run with their own seed and show their point."""

from __future__ import annotations

import json
from pathlib import Path

from apps.engine import parse_scenario, simulate

TEMPLATES = Path(__file__).resolve().parents[2] / "apps" / "scenarios" / "templates_data"


def load(name: str) -> dict:
    data = json.loads((TEMPLATES / f"{name}.json").read_text())
    meta = data.pop("meta")
    assert meta["title"]
    assert meta["description"]
    return data


def run(name: str) -> dict:
    return simulate(parse_scenario(load(name)))


def test_raft_leader_crash_reelects_within_a_second_and_the_old_leader_catches_up():
    r = run("raft-leader-crash")
    p = r["protocols"]["raft"]
    assert p["safety_violations"] == []
    assert p["max_leaders_per_term"] == 1
    assert p["first_election_ms"] < 500
    assert p["leader_crashes"] == 1
    assert len(p["reelection_ms"]) == 1
    assert p["reelection_ms"][0] < 1000
    servers = {k: v for k, v in r["nodes"].items() if v["kind"] == "raft_server"}
    assert all(v["up"] for v in servers.values())  # restart @leader brought it back
    assert len({v["log_length"] for v in servers.values()}) == 1  # and it caught up
    assert r["summary"]["completed"] >= 0.97 * r["summary"]["requests"]


def test_raft_partition_minority_leader_stalls_majority_elects_heal_steps_down():
    r = run("raft-partition")
    p = r["protocols"]["raft"]
    assert p["safety_violations"] == []
    first, *later = p["leaders"]
    assert first["node"] in ("s4", "s5")  # the template's point: the leader is cut off
    assert later
    assert all(ld["node"] in ("s1", "s2", "s3") for ld in later)
    assert all(5 < ld["at_s"] < 6 for ld in later)  # the majority re-elects at once
    nodes = r["nodes"]
    # the minority side commits nothing for 7 s at 10 commands/s; the majority side keeps going
    assert nodes["client-a"]["failed"] > 50
    assert nodes["client-b"]["failed"] < 10
    roles = [v["role"] for v in nodes.values() if v["kind"] == "raft_server"]
    assert roles.count("leader") == 1
    assert nodes[first["node"]]["role"] == "follower"  # stepped down after the heal
    assert len({v["log_length"] for v in nodes.values() if v["kind"] == "raft_server"}) == 1


def test_paxos_duel_takes_many_rounds_backoff_takes_about_three():
    data = load("paxos-duel")
    r = simulate(parse_scenario(data))["protocols"]["paxos"]
    assert r["safety_violations"] == []
    assert r["learned"] == 5
    assert r["rounds_to_choose"] > 6  # 3 proposers duel (3 rounds start at t = 0)
    assert r["rounds_to_learn"] > r["rounds_to_choose"]  # chosen long before anyone knows
    for node in data["nodes"]:
        if node["params"]["propose"]:
            node["params"]["backoff_ms"] = [0, 50]
    calm = simulate(parse_scenario(data))["protocols"]["paxos"]
    assert calm["rounds_to_choose"] <= 4
    assert calm["rounds_to_learn"] <= 4


def test_multipaxos_costs_3_n_minus_1_messages_per_command_and_survives_a_leader_crash():
    res = run("multipaxos")
    r = res["protocols"]["multipaxos"]
    assert r["safety_violations"] == []
    assert r["phase1_rounds"] <= 4  # phase 1 only at elections
    assert 11 <= r["phase2_messages_per_command"] <= 12.5  # 3 (5 - 1) = 12
    assert len(r["leaders"]) >= 2
    assert r["leaders"][-1]["at_s"] < 6  # re-elected soon after the 5 s crash
    assert res["summary"]["completed"] >= 0.97 * res["summary"]["requests"]
