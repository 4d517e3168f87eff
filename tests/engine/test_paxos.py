"""paxos_node and multipaxos_node: duelling with and without backoff, messages per command,
one value per slot over many seeds with competing proposers, crashes and message loss."""

from __future__ import annotations

import orjson
import pytest

from apps.engine import MESSAGE_KINDS, ScenarioError, parse_scenario, simulate
from apps.engine.kinds import paxos_node as pn
from tests.engine.paxos_helpers import crashes, multi, single


def paxos(sc: dict) -> dict:
    return simulate(parse_scenario(sc))["protocols"]["paxos"]


def multipaxos(sc: dict) -> dict:
    return simulate(parse_scenario(sc))["protocols"]["multipaxos"]


def test_one_proposer_chooses_in_two_round_trips():
    r = paxos(single(1, proposers=1, jitter_ms=0.0))
    assert r["rounds_to_choose"] == 1
    assert r["chosen"] == "p1"
    # chosen when a majority has accepted: prepare, promise, accept = 3 x 5 ms; learned 5 ms later
    assert r["chosen_at_s"] == 0.015
    assert r["learned"] == 5


def test_duelling_proposers_need_many_rounds_without_backoff():
    def mean_rounds(backoff):
        rounds = [paxos(single(s, backoff=backoff))["rounds_to_choose"] for s in range(60)]
        assert all(r is not None for r in rounds)  # jitter breaks the symmetry eventually
        return sum(rounds) / len(rounds)

    duel = mean_rounds((0.0, 0.0))
    calm = mean_rounds((0.0, 50.0))
    assert duel > 15  # 3 proposers pre-empt each other's ballots round after round
    assert calm < 6  # 3 rounds start at t = 0; a random pause lets one finish
    assert duel > 4 * calm


def test_single_decree_safety_with_competition_crashes_and_loss():
    ids = [f"p{i}" for i in range(1, 6)]
    for s in range(150):
        sc = single(s, loss=0.1, jitter_ms=3.0, faults=crashes(s, ids[:4], 6, 1.5, leader=False))
        r = paxos(sc)
        assert r["safety_violations"] == [], (s, r["safety_violations"])
        assert r["chosen"] is not None


def test_checker_catches_an_acceptor_that_ignores_its_promise(monkeypatch):
    def accept(self, msg):
        src, ballot, value = msg
        if self.up and self.acc_b != ballot:
            self.acc_b, self.acc_v = ballot, value
            self.pg.checker.accepted(0, ballot, value, self.k.now)
        self._reply(src, pn.K_ACCEPTED, "_on_accepted", (ballot, value))

    monkeypatch.setattr(pn.PaxosNode, "_on_accept", accept)
    bad = sum(len(paxos(single(s, loss=0.1))["safety_violations"]) for s in range(30))
    assert bad > 0


def test_multipaxos_steady_state_skips_phase_one():
    for n in (3, 5):
        r = multipaxos(multi(2, n=n, duration_s=20))
        assert r["phase1_rounds"] <= 3
        assert r["commands_chosen"] > 350
        # accept + accepted + learn to and from N - 1 peers; no prepare/promise per command
        assert r["phase2_messages_per_command"] == 3 * (n - 1)


def test_multipaxos_safety_with_crashes_partitions_and_loss():
    ids = [f"m{i}" for i in range(1, 6)]
    chosen = 0
    for s in range(60):
        f = crashes(s, ids, 8, 8.0)
        f += [
            {"at_s": 5.0, "action": "partition", "groups": [["m1", "m2"]]},
            {"at_s": 6.0, "action": "heal"},
        ]
        r = multipaxos(multi(s, loss=0.1 if s % 2 else 0.0, jitter_ms=3.0, faults=f))
        assert r["safety_violations"] == [], (s, r["safety_violations"])
        chosen += r["commands_chosen"]
    assert chosen > 60 * 80


def test_multipaxos_leader_crash_elects_another_and_serves_on():
    f = [
        {"at_s": 3.0, "action": "crash", "node": "@leader"},
        {"at_s": 6.0, "action": "restart", "node": "@leader"},
    ]
    res = simulate(parse_scenario(multi(4, faults=f)))
    r = res["protocols"]["multipaxos"]
    old = [ld for ld in r["leaders"] if ld["at_s"] < 3.0][-1]["node"]
    new = [ld for ld in r["leaders"] if 3.0 <= ld["at_s"] < 4.0]
    assert new
    assert all(ld["node"] != old for ld in new)
    assert res["nodes"][old]["learned"] > 0
    # the crashed node refuses its fifth of the commands for 3 s (~12); the rest succeed
    assert res["summary"]["completed"] > 0.8 * res["summary"]["requests"]


def test_paxos_views_and_determinism():
    sc = single(3, loss=0.05)
    frames: list[dict] = []
    a = simulate(parse_scenario(sc))
    b = simulate(parse_scenario(sc), emit=frames.append)
    a.pop("wall_s")
    b.pop("wall_s")
    assert orjson.dumps(a) == orjson.dumps(b)
    views = [m["protocols"]["paxos"] for m in frames if m["type"] == "frame"]
    assert all(len(v["ballot"]) == 5 for v in views)
    assert views[-1]["learned"].count(a["protocols"]["paxos"]["chosen"]) >= 3


def test_leader_faults_need_multipaxos_not_single_decree():
    crash = [{"at_s": 1.0, "action": "crash", "node": "@leader"}]
    parse_scenario(multi(1, faults=crash))
    with pytest.raises(ScenarioError, match="needs a consensus kind"):
        parse_scenario(single(1, faults=crash))
    sc = single(1)
    sc["nodes"][0]["params"]["backoff_ms"] = [50, 10]
    with pytest.raises(ScenarioError, match="p1"):
        parse_scenario(sc)


def test_multipaxos_frames_show_one_leader_and_learned_slots():
    frames: list[dict] = []
    simulate(parse_scenario(multi(5, duration_s=3)), emit=frames.append)
    views = [m["protocols"]["multipaxos"] for m in frames if m["type"] == "frame"]
    assert views[-1]["role"].count("leader") == 1
    assert min(views[-1]["learned"]) > 30
    kinds = {k for m in frames if m["type"] == "frame" for k in m["events"]["kind"]}
    names = {MESSAGE_KINDS[k] for k in kinds}
    assert {"prepare", "promise", "accept", "accepted", "learn", "heartbeat"} <= names
