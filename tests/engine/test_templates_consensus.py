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
