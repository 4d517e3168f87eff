"""The classroom socket over the real Redis channel layer, through config.asgi."""

from __future__ import annotations

import asyncio

import pytest
from asgiref.sync import sync_to_async

from apps.classroom.models import Answer, Session
from tests.classroom.conftest import TOUR, connect, recv, recv_audience, recv_type, send

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("_thread_connections_close_after_use"),
]


@sync_to_async
def _session(scenario, tour=None) -> tuple[str, str]:
    from apps.classroom.services import session_create

    session, token = session_create(scenario=scenario, tour=tour)
    return session.code, token


async def _presenter(code: str, token: str):
    comm = await connect(code)
    assert (await recv(comm))["role"] == "student"
    await send(comm, {"type": "hello", "presenter_token": token})
    welcome = await recv_type(comm, "welcome")
    assert welcome["role"] == "presenter"
    return comm, welcome


async def test_presenter_state_reaches_students_and_late_joiners(scenario):
    code, token = await _session(scenario)
    presenter, welcome = await _presenter(code, token)
    assert welcome["audience"] == 0
    early = await connect(code)
    hello = await recv(early)
    assert hello["type"] == "welcome"
    assert hello["role"] == "student"
    assert hello["state"] == {"scenario": scenario.pk}
    await recv_audience(presenter, 1)

    update = {"type": "state", "run": "r-1", "viewport": {"x": 10, "y": -5, "zoom": 1.5},
              "selection": ["api-1"], "speed": 2, "playhead": 3.25, "follow": True,
              "sent_at": 1700000000000.5}  # fmt: skip
    await send(presenter, update)
    got = await recv_type(early, "state")
    assert got["update"]["viewport"] == {"x": 10.0, "y": -5.0, "zoom": 1.5}
    assert got["state"]["run"] == "r-1"
    assert got["state"]["scenario"] == scenario.pk
    assert got["sent_at"] == 1700000000000.5
    await send(presenter, {"type": "state", "playhead": 4.0})
    assert (await recv_type(early, "state"))["state"]["playhead"] == 4.0

    late = await connect(code)
    caught_up = await recv(late)
    assert caught_up["type"] == "welcome"
    assert caught_up["state"]["playhead"] == 4.0
    assert caught_up["state"]["selection"] == ["api-1"]
    await recv_audience(presenter, 2)
    await late.disconnect()
    await recv_audience(presenter, 1)
    assert await presenter.receive_nothing(timeout=0.2)  # the presenter gets no echo
    for comm in (presenter, early):
        await comm.disconnect()


async def test_students_cannot_drive_and_stay_connected(scenario):
    code, _token = await _session(scenario, TOUR)
    student = await connect(code)
    await recv(student)
    for message in ({"type": "state", "playhead": 1}, {"type": "speed", "value": 4},
                    {"type": "fault", "fault": {"action": "crash", "node": "db"}},
                    {"type": "step", "step": 0}, {"type": "reveal", "step": 1}):  # fmt: skip
        await send(student, message)
        error = await recv(student)
        assert error["type"] == "error"
        assert f"only the presenter may send '{message['type']}'" in error["error"]
    await send(student, {"type": "hello", "presenter_token": "wrong"})
    assert "wrong presenter token" in (await recv(student))["error"]
    await send(student, {"type": "ping"})
    assert (await recv(student))["type"] == "pong"  # still connected
    stored = await sync_to_async(lambda: Session.objects.get(code=code).state)()
    assert stored == {"scenario": scenario.pk}
    await student.disconnect()


async def test_bad_messages_get_clear_errors(scenario):
    code, token = await _session(scenario)
    presenter, _ = await _presenter(code, token)
    cases = [
        ("not json", "invalid JSON"),
        ("[1, 2]", "must be a JSON object"),
        ('{"type": "dance"}', "unknown message type 'dance'"),
        ("x" * 9000, "larger than 8192 bytes"),
        ('{"type": "state", "speed": NaN}', "invalid JSON"),
        ({"type": "state"}, "give at least one of"),
        ({"type": "state", "speed": -1}, "speed: must be within"),
        ({"type": "state", "speed": True}, "speed: must be a number"),
        ({"type": "state", "viewport": {"zoom": 0}}, "viewport.zoom"),
        ({"type": "state", "viewport": {"depth": 1}}, "viewport"),
        ({"type": "state", "selection": "api-1"}, "selection"),
        ({"type": "state", "follow": "yes"}, "follow"),
        ({"type": "state", "secret": 1}, "unknown field 'secret'"),
        ({"type": "fault", "fault": "crash"}, "fault: must be an object"),
        ({"type": "step", "step": 0}, "no tour"),
        ({"type": "hello", "presenter_token": token}, "already the presenter"),
    ]
    for message, needle in cases:
        await send(presenter, message)
        reply = await recv_type(presenter, "error")
        assert needle in reply["error"], (message, reply)
    await send(presenter, {"type": "ping"})
    assert (await recv(presenter))["type"] == "pong"
    await presenter.disconnect()


async def test_unknown_code_is_refused(db):
    comm = await connect("QQQQQQ")
    assert "no live session" in (await recv(comm))["error"]
    assert (await comm.receive_output(timeout=2))["code"] == 4404


async def test_too_many_wrong_tokens_close_the_socket(scenario):
    code, _ = await _session(scenario)
    comm = await connect(code)
    await recv(comm)
    for _ in range(4):
        await send(comm, {"type": "hello", "presenter_token": "nope"})
        assert "wrong" in (await recv(comm))["error"]
    await send(comm, {"type": "hello", "presenter_token": "nope"})
    assert "too many" in (await recv(comm))["error"]
    assert (await comm.receive_output(timeout=2))["code"] == 4403


async def test_tour_predict_then_reveal(scenario):
    code, token = await _session(scenario, TOUR)
    presenter, welcome = await _presenter(code, token)
    assert welcome["tour"][1]["question"]["answer"] == 1  # the presenter sees the answer
    students = [await connect(code) for _ in range(3)]
    for s in students:
        first = await recv(s)
        assert first["steps"] == 3
        assert first["step"] == -1
    await send(presenter, {"type": "step", "step": 1})
    for s in students:
        step = await recv_type(s, "step")
        assert step["step"] == 1
        assert step["content"]["highlight"] == ["db"]
        assert step["content"]["action"] == {"fault": {"action": "crash", "node": "db"}}
        assert "answer" not in step["content"]["question"]  # no spoiler before the reveal
    assert (await recv_type(presenter, "step"))["step"] == 1

    for s, choice in zip(students, (1, 1, 2), strict=True):
        await send(s, {"type": "answer", "step": 1, "choice": choice})
        assert (await recv_type(s, "answered"))["choice"] == choice
    counts = [(await recv_type(presenter, "answers"))["count"] for _ in students]
    assert counts == [1, 2, 3]
    await send(students[0], {"type": "answer", "step": 1, "choice": 0})
    assert "already answered" in (await recv_type(students[0], "error"))["error"]
    await send(students[1], {"type": "answer", "step": 0, "choice": 0})
    assert "not the current step" in (await recv_type(students[1], "error"))["error"]
    await send(students[2], {"type": "answer", "step": 1, "choice": 7})
    assert "choice" in (await recv_type(students[2], "error"))["error"]

    await send(presenter, {"type": "reveal", "step": 1})
    for comm in (*students, presenter):
        reveal = await recv_type(comm, "reveal")
        assert reveal["tally"] == [0, 2, 1]
        assert reveal["total"] == 3
        assert reveal["answer"] == 1
    assert await sync_to_async(Answer.objects.count)() == 3
    late = await connect(code)
    caught_up = await recv(late)
    assert caught_up["step"] == 1
    assert caught_up["revealed"] == {"1": [0, 2, 1]}
    assert caught_up["state"]["tour_step"] == 1
    await send(late, {"type": "answer", "step": 1, "choice": 0})
    assert "already revealed" in (await recv_type(late, "error"))["error"]
    await send(presenter, {"type": "reveal", "step": 0})
    assert "has no question" in (await recv_type(presenter, "error"))["error"]
    await asyncio.gather(*(c.disconnect() for c in (*students, late, presenter)))


async def test_presenter_fault_and_speed_are_broadcast(scenario):
    code, token = await _session(scenario)
    presenter, _ = await _presenter(code, token)
    student = await connect(code)
    await recv(student)
    await send(presenter, {"type": "speed", "value": 4})
    assert (await recv_type(student, "speed"))["value"] == 4.0
    await send(presenter, {"type": "fault", "fault": {"action": "crash", "node": "db"}})
    assert (await recv_type(student, "fault"))["fault"]["node"] == "db"
    stored = await sync_to_async(lambda: Session.objects.get(code=code).state)()
    assert stored["speed"] == 4.0
    await asyncio.gather(student.disconnect(), presenter.disconnect())
