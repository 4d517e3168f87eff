"""POST /api/sessions/{code}/end: only the presenter token ends a session; every socket hears
``ended`` and closes; the code then leads nowhere. Also the follow-mode state fields."""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async

from apps.classroom.models import Session
from apps.classroom.protocol import END_CLOSE_CODE
from tests.classroom.conftest import connect, recv, recv_type, send

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("_thread_connections_close_after_use"),
]


def _create(api, scenario) -> dict:
    response = api.post_json("/api/sessions", {"scenario": scenario.pk})
    assert response.status_code == 201, response.content
    return response.json()


def _end(api, code: str, token: str | None):
    headers = {"HTTP_X_PRESENTER_TOKEN": token} if token is not None else {}
    return api.post_json(f"/api/sessions/{code}/end", {}, **headers)


async def test_only_the_presenter_token_ends_a_session(api, scenario):
    session = await sync_to_async(_create)(api, scenario)
    code, token = session["code"], session["presenter_token"]
    student = await connect(code)
    await recv(student)

    missing = await sync_to_async(_end)(api, code, None)
    assert missing.status_code == 403
    assert "X-Presenter-Token" in missing.json()["error"]
    wrong = await sync_to_async(_end)(api, code, "not-the-token")
    assert wrong.status_code == 403
    assert "not the presenter token" in wrong.json()["error"]
    other = await sync_to_async(_create)(api, scenario)  # another session's token
    assert (await sync_to_async(_end)(api, code, other["presenter_token"])).status_code == 403
    assert await sync_to_async(lambda: Session.objects.get(code=code).ended_at)() is None
    assert (await sync_to_async(_end)(api, "QQQQQQ", token)).status_code == 404
    assert (await sync_to_async(_end)(api, "bad code!", token)).status_code == 404

    ended = await sync_to_async(_end)(api, code.lower(), token)
    assert ended.status_code == 200, ended.content
    assert ended.json()["code"] == code
    message = await recv_type(student, "ended")
    assert message["code"] == code
    assert (await student.receive_output(timeout=5))["code"] == END_CLOSE_CODE

    assert (await sync_to_async(_end)(api, code, token)).status_code == 404  # already ended
    assert (await sync_to_async(api.get)(f"/api/sessions/{code}")).status_code == 404
    assert (await sync_to_async(api.get)(f"/join/{code}")).status_code == 404
    late = await connect(code)
    assert "no live session" in (await recv(late))["error"]
    assert (await late.receive_output(timeout=2))["code"] == 4404


async def test_follow_fields_are_validated_and_stored(api, scenario):
    session = await sync_to_async(_create)(api, scenario)
    code = session["code"]
    presenter = await connect(code)
    await recv(presenter)
    await send(presenter, {"type": "hello", "presenter_token": session["presenter_token"]})
    await recv_type(presenter, "welcome")
    for message, needle in [
        ({"type": "state", "playing": 1}, "playing: must be true or false"),
        ({"type": "state", "revision": -1}, "revision: must be an integer"),
        ({"type": "state", "revision": 1.5}, "revision: must be an integer"),
        ({"type": "state", "viewport": {"x": 0, "w": 0}}, "viewport.w: must be within"),
        ({"type": "state", "viewport": {"x": 0, "depth": 3}}, "optionally w, h"),
    ]:
        await send(presenter, message)
        assert needle in (await recv_type(presenter, "error"))["error"], message
    update = {"type": "state", "playing": False, "revision": 3,
              "viewport": {"x": 1, "y": 2, "zoom": 1, "w": 1280, "h": 720}}  # fmt: skip
    await send(presenter, update)
    student = await connect(code)
    welcome = await recv(student)
    assert welcome["state"]["playing"] is False
    assert welcome["state"]["revision"] == 3
    assert welcome["state"]["viewport"]["w"] == 1280.0
    await student.disconnect()
    await presenter.disconnect()
