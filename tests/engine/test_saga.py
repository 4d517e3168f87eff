"""Sagas: outcomes against probability, and the atomicity checker on traces (fixed seeds)."""

import random

import pytest

from apps.engine import MESSAGE_KINDS, parse_scenario, simulate
from apps.engine.patterns.saga import SagaRecord, report, violation
from tests.engine.helpers import rel_err, stable

STEPS = ("order", "pay", "ship")


def orchestrated(p: float = 0.0, loss: float = 0.0, faults=(), duration: float = 60) -> dict:
    nodes = [
        {"id": "u", "kind": "client", "params": {"rate_rps": 20}},
        {
            "id": "o",
            "kind": "saga_orchestrator",
            "params": {"step_failure": p, "step_timeout_ms": 200},
        },
    ]
    edges = [{"id": "e0", "source": "u", "target": "o", "params": {"latency_ms": 1}}]
    for i, n in enumerate(STEPS):
        nodes.append({"id": n, "kind": "service", "params": {"workers": 4, "service_time_ms": 5}})
        e = {
            "id": f"e{i + 1}",
            "source": "o",
            "target": n,
            "params": {"latency_ms": 2, "loss": loss},
        }
        edges.append(e)
    return {
        "format": "topolab/1",
        "nodes": nodes,
        "edges": edges,
        "faults": list(faults),
        "settings": {"duration_s": duration, "warmup_s": 1, "seed": 3},
    }


def choreographed(f: float = 0.0, faults=(), duration: float = 60) -> dict:
    nodes = [{"id": "u", "kind": "client", "params": {"rate_rps": 20}}]
    edges = []
    prev = "u"
    for i, n in enumerate(STEPS):
        nodes.append({"id": n, "kind": "saga_participant", "params": {"failure": f}})
        edges.append({"id": f"e{i}", "source": prev, "target": n, "params": {"latency_ms": 2}})
        prev = n
    return {
        "format": "topolab/1",
        "nodes": nodes,
        "edges": edges,
        "faults": list(faults),
        "settings": {"duration_s": duration, "warmup_s": 1, "seed": 3},
    }


def saga(sc: dict) -> dict:
    return simulate(parse_scenario(sc))["protocols"]["saga"]


def expected(p: float) -> tuple[float, float]:
    """P(complete) = (1-p)^3; compensations per saga = sum_k P(fail at step k) * (k-1)."""
    return (1 - p) ** 3, sum((1 - p) ** k * p * k for k in range(3))


def test_orchestrated_outcomes_match_probability_and_no_saga_is_half_applied():
    p = 0.1
    s = saga(orchestrated(p, duration=120))
    done, comps = expected(p)
    assert s["style"] == "orchestrated"
    assert s["violations"] == []
    assert s["stuck"] == s["running"] == 0
    assert s["completed"] + s["compensated"] == s["sagas"] > 2000
    assert rel_err(s["completed"] / s["sagas"], done) < 0.03, s
    assert rel_err(s["compensations"] / s["sagas"], comps) < 0.1, s


def test_choreographed_outcomes_match_probability_and_no_saga_is_half_applied():
    p = 0.1
    s = saga(choreographed(p, duration=120))
    done, comps = expected(p)
    assert s["style"] == "choreographed"
    assert s["violations"] == []
    assert s["completed"] + s["compensated"] == s["sagas"] > 2000
    assert rel_err(s["completed"] / s["sagas"], done) < 0.03, s
    assert rel_err(s["compensations"] / s["sagas"], comps) < 0.1, s


def test_a_crashed_participant_compensates_every_saga_in_reverse_order():
    down = [{"at_s": 0, "action": "crash", "node": "ship"}]
    for sc in (orchestrated(faults=down, duration=20), choreographed(faults=down, duration=20)):
        s = saga(sc)
        assert s["completed"] == 0
        assert s["compensated"] + s["running"] == s["sagas"] > 300
        assert s["running"] <= 2  # under way at the end
        assert s["compensations"] == 2 * s["compensated"]  # pay, then order
        assert s["violations"] == []


def test_faults_and_losses_never_leave_a_finished_saga_half_applied():
    faults = [
        {"at_s": 20, "action": "crash", "node": "pay"},
        {"at_s": 25, "action": "restart", "node": "pay"},
        {"at_s": 30, "action": "crash", "node": "o"},
        {"at_s": 31, "action": "restart", "node": "o"},
    ]
    s = saga(orchestrated(0.1, loss=0.05, faults=faults))
    assert s["violations"] == []
    assert s["compensated"] > s["completed"] / 2  # the losses and the outage cost sagas
    assert s["stuck"] >= 1  # pay down 5 s exhausts the compensation retries of a few
    assert s["completed"] + s["compensated"] + s["stuck"] + s["running"] == s["sagas"]


def test_the_checker_flags_half_applied_and_misordered_sagas():
    assert violation(SagaRecord(1, "completed", [True, True])) is None
    assert violation(SagaRecord(2, "completed", [True, False])) is not None
    assert violation(SagaRecord(3, "compensated", [False, True], comps=[0])) is not None
    assert violation(SagaRecord(4, "compensated", [False, False], comps=[0, 1])) is not None
    assert violation(SagaRecord(5, "compensated", [False, False], comps=[1, 0])) is None
    r = report([SagaRecord(6, "stuck", [True, False], t0=1.0)], 0.0, "orchestrated")
    assert r["half_applied"] == 1
    assert r["violations"] == []


def test_recording_does_not_change_the_result_and_compensations_are_animated():
    sc = choreographed(0.3, duration=5)
    frames: list[dict] = []
    a = simulate(parse_scenario(sc))
    b = simulate(parse_scenario(sc), emit=frames.append)
    assert stable(a) == stable(b)
    kinds = {k for f in frames if f["type"] == "frame" for k in f["events"]["kind"]}
    wanted = {MESSAGE_KINDS.index(k) for k in ("event", "ack", "compensation")}
    assert wanted <= kinds


def test_frames_count_saga_outcomes_so_far():
    frames: list[dict] = []
    simulate(parse_scenario(orchestrated(0.2, duration=5)), emit=frames.append)
    views = [f["protocols"]["saga"] for f in frames if f["type"] == "frame"]
    done = [v["completed"] + v["compensated"] for v in views]
    assert done == sorted(done)
    assert done[-1] > 50
    assert views[-1]["running"] >= 0


def test_an_orchestrator_restart_during_compensation_retries_compensates_each_step_once():
    # payment's compensations fail while it is down; the orchestrator crashes and restarts in
    # the middle of the retries: the resent compensation supersedes the pending retry
    faults = [
        {"at_s": 5, "action": "crash", "node": "pay"},
        {"at_s": 5.05, "action": "crash", "node": "o"},
        {"at_s": 5.12, "action": "restart", "node": "o"},
        {"at_s": 5.3, "action": "restart", "node": "pay"},
    ]
    s = saga(orchestrated(0.5, loss=0.05, faults=faults, duration=12))
    assert s["violations"] == []
    assert s["completed"] + s["compensated"] + s["stuck"] + s["running"] == s["sagas"]


@pytest.mark.parametrize("seed", [11, 12, 13, 14, 15])
def test_fault_storms_never_leave_a_finished_saga_half_applied(seed):
    rng = random.Random(seed)
    faults = []
    for _ in range(6):
        node = rng.choice(["o", *STEPS])
        t = rng.uniform(2, 25)
        faults.append({"at_s": round(t, 3), "action": "crash", "node": node})
        faults.append(
            {"at_s": round(t + rng.uniform(0.01, 2), 3), "action": "restart", "node": node}
        )
    faults.sort(key=lambda f: f["at_s"])
    orch = orchestrated(0.2, loss=0.03, faults=faults, duration=30)
    orch["settings"]["seed"] = seed
    chor_faults = [f for f in faults if f["node"] != "o"]
    chor = choreographed(0.2, faults=chor_faults, duration=30)
    chor["settings"]["seed"] = seed
    for sc in (orch, chor):
        s = saga(sc)
        assert s["violations"] == [], s["violations"]
        assert s["completed"] + s["compensated"] + s["stuck"] + s["running"] == s["sagas"]
