"""Live control over the run websocket: validated faults reach the engine, pacing holds the run.

The websocket consumer validates ``control``/``pace`` messages and writes them to Redis
(apps.runs.live); the worker's RunControl applies the commands at the next frame boundary and,
while a viewer paces, keeps the simulation at most a lead ahead of the viewer's playhead.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator

from apps.runs import live
from apps.runs.broadcaster import Broadcaster
from apps.runs.models import Run
from apps.runs.services import RunControl, run_execute

ORIGIN = (b"origin", b"http://localhost")


@pytest.fixture(autouse=True)
def _clean_live(request) -> Any:
    yield
    for run in Run.objects.all() if "queued_run" in request.fixturenames else []:
        live.clear(run.pk)


async def _connect(run_id: Any, *, subprotocols: list[str] | None = None) -> WebsocketCommunicator:
    from config.asgi import application

    comm = WebsocketCommunicator(
        application, f"/ws/runs/{run_id}", headers=[ORIGIN], subprotocols=subprotocols
    )
    connected, _ = await comm.connect(timeout=5)
    assert connected
    assert json.loads(await comm.receive_from(timeout=5))["type"] == "status"
    return comm


async def _connect_editor(run_id: Any) -> WebsocketCommunicator:
    """A socket that proved the edit right with the scenario's edit token."""
    comm = await _connect(run_id)
    token = await sync_to_async(_token_for)(run_id)
    assert await _send(comm, {"type": "auth", "edit_token": token}) == {
        "type": "auth", "run_id": str(run_id), "can_edit": True,
    }  # fmt: skip
    return comm


def _token_for(run_id: Any) -> str:
    """Give the run's scenario a known edit token (the fixture does not keep the one it got)."""
    import hashlib

    from apps.scenarios.models import Scenario

    token = "test-edit-token-" + str(run_id)[:8]
    digest = hashlib.sha256(token.encode()).hexdigest()
    Scenario.objects.filter(runs__pk=run_id).update(edit_token_hash=digest)
    return token


async def _send(comm: WebsocketCommunicator, message: dict[str, Any]) -> dict[str, Any] | None:
    await comm.send_to(text_data=json.dumps(message))
    if await comm.receive_nothing(timeout=0.3):
        return None
    return json.loads(await comm.receive_from(timeout=5))


@pytest.mark.django_db(transaction=True)
def test_a_live_crash_reaches_the_engine_and_requests_fail(queued_run):
    baseline = Run.objects.get(pk=queued_run.pk)

    async def crash() -> None:
        comm = await _connect_editor(queued_run.pk)
        assert await _send(comm, {"type": "control", "action": "crash", "node": "api-1"}) is None
        await comm.disconnect()

    from asgiref.sync import async_to_sync

    async_to_sync(crash)()
    assert live.pop_controls(queued_run.pk) == [{"action": "crash", "node": "api-1"}]
    live.push_control(queued_run.pk, {"action": "crash", "node": "api-1"})
    run = run_execute(run_id=queued_run.pk, publish=lambda batch: None)
    assert run is not None
    assert run.status == Run.Status.DONE
    summary = run.result["summary"]
    assert summary["failed"] > 0.8 * summary["requests"], summary
    # The same scenario without the command serves everything.
    from apps.engine import simulate

    clean = simulate(baseline.scenario_snapshot, seed=run.seed, duration_s=run.duration_s)
    assert clean["summary"]["failed"] == 0
    assert live.pop_controls(queued_run.pk) == []  # consumed


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("message", "needle"),
    [
        ({"action": "explode", "node": "api-1"}, "unknown action 'explode'"),
        ({"action": "cancel"}, "unknown action 'cancel'"),
        ({"action": "crash", "node": "nope"}, "no node 'nope'"),
        ({"action": "crash"}, "crash: node"),
        ({"action": "crash", "node": "api-1", "extra": 1}, "extra"),
        ({"action": "crash", "node": "api-1", "at_s": 3}, "no at_s"),
        ({"action": "slow", "node": "api-1", "factor": -2}, "factor"),
        ({"action": "cut", "edge": "e9"}, "no edge 'e9'"),
        ({"action": "partition", "groups": [["users", "ghost"]]}, "no node 'ghost'"),
        ({"action": "partition", "groups": [["users"], []]}, "group 2 is empty"),
        ({"action": "partition", "groups": [["users"], ["api-1", "users"]]}, "'users' is in two"),
        ({"action": "partition", "groups": [["users", "users"]]}, "'users' is in two groups"),
        ({"action": "partition"}, "partition: groups"),
    ],
)
def test_invalid_controls_are_refused_and_nothing_is_queued(queued_run, message, needle):
    from asgiref.sync import async_to_sync

    async def send() -> dict[str, Any] | None:
        comm = await _connect_editor(queued_run.pk)
        answer = await _send(comm, {"type": "control", **message})
        await comm.disconnect()
        return answer

    answer = async_to_sync(send)()
    assert answer is not None
    assert answer["type"] == "error"
    assert needle in answer["error"]
    assert live.pop_controls(queued_run.pk) == []


@pytest.mark.django_db(transaction=True)
def test_partition_and_heal_are_queued_for_the_worker(queued_run):
    from asgiref.sync import async_to_sync

    async def send() -> list[dict[str, Any] | None]:
        comm = await _connect_editor(queued_run.pk)
        answers = [
            await _send(
                comm, {"type": "control", "action": "partition", "groups": [["api-1"], ["users"]]}
            ),
            await _send(comm, {"type": "control", "action": "heal"}),
        ]
        await comm.disconnect()
        return answers

    assert async_to_sync(send)() == [None, None]
    assert live.pop_controls(queued_run.pk) == [
        {"action": "partition", "groups": [["api-1"], ["users"]]},
        {"action": "heal"},
    ]


@pytest.mark.django_db(transaction=True)
def test_pace_messages_are_stored_and_bad_ones_refused(queued_run):
    from asgiref.sync import async_to_sync

    async def send() -> list[dict[str, Any] | None]:
        comm = await _connect(queued_run.pk)
        answers = [
            await _send(comm, {"type": "pace", "t": 3.5, "speed": 2}),
            await _send(comm, {"type": "pace", "t": "soon", "speed": 1}),
        ]
        await comm.disconnect()
        return answers

    ok, bad = async_to_sync(send)()
    assert ok is None
    assert bad is not None
    assert "pace needs numbers" in bad["error"]
    pace = live.get_pace(queued_run.pk)
    assert pace is not None
    assert (pace["t"], pace["speed"]) == (3.5, 2.0)


class _FakeTime:
    def __init__(self) -> None:
        self.now = 1000.0
        self.slept = 0.0
        self.viewer: tuple[Any, float, float, float] | None = None  # run, wall0, t0, speed

    def sleep(self, s: float) -> None:
        before = self.now
        self.now += s
        self.slept += s
        if self.viewer and int(self.now) != int(before):  # a viewer reports every second
            run_id, wall0, t0, speed = self.viewer
            live.set_pace(run_id, t0 + speed * (self.now - wall0), speed)


def _control(run_id: Any, fake: _FakeTime) -> RunControl:
    b = Broadcaster(run_id=run_id, publish=lambda batch: None, start_seq=0, clock=lambda: fake.now)
    return RunControl(
        run_id=run_id,
        broadcaster=b,
        clock=lambda: fake.now,
        sleep=fake.sleep,
        wall=lambda: fake.now,
    )


@pytest.mark.django_db(transaction=True)
def test_pacing_holds_the_run_near_a_viewer_and_not_without_one(queued_run, monkeypatch):
    Run.objects.filter(pk=queued_run.pk).update(status=Run.Status.RUNNING)
    fake = _FakeTime()
    monkeypatch.setattr(live.time, "time", lambda: fake.now)

    control = _control(queued_run.pk, fake)
    assert control(10.0) == []
    assert fake.slept == 0.0  # nobody pacing: full speed

    live.set_pace(queued_run.pk, 0.0, 1.0)  # a viewer at t=0 playing at 1x, reporting
    fake.viewer = (queued_run.pk, fake.now, 0.0, 1.0)
    control = _control(queued_run.pk, fake)
    for k in range(1, 21):
        control(k / 10)
    assert fake.slept == 0.0  # within the 2 s lead
    for k in range(21, 101):
        control(k / 10)
    # held until the estimated playhead (t + speed * age) is within the 2 s lead of t=10
    assert 7.8 <= fake.slept <= 8.3, fake.slept

    fake.slept = 0.0
    fake.viewer = None
    live.set_pace(queued_run.pk, 20.0, 0.0)  # paused at 20 s: 22 s is the furthest it may go
    for k in range(101, 301):
        control(k / 10)
    # ... but a viewer that stops reporting stops pacing (the key's age passes PACE_TTL_S)
    assert live.PACE_TTL_S <= fake.slept <= live.PACE_TTL_S + 0.5


@pytest.mark.django_db(transaction=True)
def test_a_run_held_for_its_viewer_notices_a_cancel_in_a_tenth_of_a_second(queued_run, monkeypatch):
    Run.objects.filter(pk=queued_run.pk).update(status=Run.Status.RUNNING)
    fake = _FakeTime()
    monkeypatch.setattr(live.time, "time", lambda: fake.now)
    live.set_pace(queued_run.pk, 0.0, 0.0)  # a viewer paused at t=0: the run waits at 2 s
    control = _control(queued_run.pk, fake)
    for k in range(1, 21):
        assert control(k / 10) == []
    fake.slept = 0.0

    def cancel_after(s: float, sleep=fake.sleep) -> None:
        sleep(s)
        if fake.slept >= 1.0:  # the user presses "Run again" after a second of waiting
            Run.objects.filter(pk=queued_run.pk).update(cancel_requested=True)

    control._sleep = cancel_after
    assert control(2.1) == [{"action": "cancel"}]
    # computing, the flag is read every 0.5 s; held for a viewer it is read every 0.05 s
    assert 1.0 <= fake.slept <= 1.1, fake.slept
