"""Live faults over the run websocket need the scenario's edit right; viewing and pace do not.

The edit right is the one ``PUT /api/scenarios/{id}`` checks (apps.scenarios.services.can_edit):
the creating browser session, or the edit token, carried in an ``auth`` message or a
``topolab.edit.<token>`` subprotocol. Real Redis channel layer and Redis control queue.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore

from apps.runs import live
from apps.runs.services import run_start
from apps.scenarios.services import scenario_create

pytestmark = pytest.mark.django_db(transaction=True)
ORIGIN = (b"origin", b"http://localhost")
CRASH = {"type": "control", "action": "crash", "node": "api-1"}


@pytest.fixture
def owned_run(scenario_data) -> Any:
    """A queued run of a scenario created by a browser session; yields (run, token, session)."""
    session = SessionStore()
    session.create()
    scenario, token = scenario_create(data=scenario_data, session_key=session.session_key)
    run = run_start(scenario=scenario)
    yield run, token, session.session_key
    live.clear(run.pk)


async def _open(run_id: Any, **kw: Any) -> tuple[WebsocketCommunicator, Any]:
    from config.asgi import application

    comm = WebsocketCommunicator(
        application, f"/ws/runs/{run_id}", headers=kw.pop("headers", [ORIGIN]), **kw
    )
    connected, subprotocol = await comm.connect(timeout=5)
    assert connected
    assert json.loads(await comm.receive_from(timeout=5))["type"] == "status"
    return comm, subprotocol


async def _ask(comm: WebsocketCommunicator, message: dict[str, Any]) -> dict[str, Any] | None:
    await comm.send_to(text_data=json.dumps(message))
    if await comm.receive_nothing(timeout=0.3):
        return None
    return json.loads(await comm.receive_from(timeout=5))


def _session(**kw: Any) -> list[dict[str, Any] | None]:
    """Open a socket with ``kw``, send ``kw['messages']`` in order, return the answers."""
    messages = kw.pop("messages")

    async def go() -> list[dict[str, Any] | None]:
        comm, _ = await _open(**kw)
        answers = [await _ask(comm, m) for m in messages]
        await comm.disconnect()
        return answers

    return async_to_sync(go)()


def test_an_anonymous_viewer_may_watch_and_pace_but_not_inject_faults(owned_run):
    run, _, _ = owned_run
    pace, control = _session(run_id=run.pk, messages=[{"type": "pace", "t": 1, "speed": 1}, CRASH])
    assert pace is None
    assert control is not None
    assert control["type"] == "error"
    assert "edit right" in control["error"]
    assert live.pop_controls(run.pk) == []
    assert live.get_pace(run.pk) is not None


def test_a_wrong_token_is_refused_and_unlocks_nothing(owned_run):
    run, _, _ = owned_run
    auth, control = _session(
        run_id=run.pk, messages=[{"type": "auth", "edit_token": "not-the-token"}, CRASH]
    )
    assert auth is not None
    assert "does not match" in auth["error"]
    assert control is not None
    assert "edit right" in control["error"]
    assert live.pop_controls(run.pk) == []


def test_the_edit_token_in_an_auth_message_unlocks_control(owned_run):
    run, token, _ = owned_run
    auth, control = _session(run_id=run.pk, messages=[{"type": "auth", "edit_token": token}, CRASH])
    assert auth == {"type": "auth", "run_id": str(run.pk), "can_edit": True}
    assert control is None
    assert live.pop_controls(run.pk) == [{"action": "crash", "node": "api-1"}]


def test_the_edit_token_in_a_subprotocol_unlocks_control_and_is_not_echoed(owned_run):
    run, token, _ = owned_run

    async def go() -> tuple[Any, dict[str, Any] | None]:
        comm, subprotocol = await _open(run.pk, subprotocols=["topolab", f"topolab.edit.{token}"])
        answer = await _ask(comm, CRASH)
        await comm.disconnect()
        return subprotocol, answer

    subprotocol, answer = async_to_sync(go)()
    assert subprotocol == "topolab"
    assert answer is None
    assert live.pop_controls(run.pk) == [{"action": "crash", "node": "api-1"}]


def test_the_owner_session_cookie_unlocks_control(owned_run):
    run, _, session_key = owned_run
    cookie = (b"cookie", f"{settings.SESSION_COOKIE_NAME}={session_key}".encode())
    (answer,) = _session(run_id=run.pk, headers=[ORIGIN, cookie], messages=[CRASH])
    assert answer is None
    assert live.pop_controls(run.pk) == [{"action": "crash", "node": "api-1"}]


def test_the_token_in_the_query_string_is_ignored(owned_run):
    run, token, _ = owned_run
    (answer,) = _session(run_id=f"{run.pk}?edit_token={token}", messages=[CRASH])
    assert answer is not None
    assert "edit right" in answer["error"]
    assert live.pop_controls(run.pk) == []
