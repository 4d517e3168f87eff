"""A classroom through the real Daphne (live_stack): HTTP create, sockets, late joiner."""

from __future__ import annotations

import json

import httpx
import pytest
from websockets.sync.client import connect

from tests.classroom.conftest import TOUR, classroom_scenario

pytestmark = pytest.mark.integration


def _recv(ws, kind: str) -> dict:
    for _ in range(20):
        message = json.loads(ws.recv(timeout=10))
        if message["type"] == kind:
            return message
    raise AssertionError(f"no {kind!r}")


def test_classroom_over_daphne(live_stack):
    base = live_stack.base_url
    with httpx.Client(base_url=base, timeout=30) as client:
        sid = client.post("/api/scenarios", json=classroom_scenario()).json()["id"]
        created = client.post("/api/sessions", json={"scenario": sid, "tour": TOUR})
        assert created.status_code == 201, created.text
        session = created.json()
        page = client.get(session["join_url"])
        assert page.status_code == 200
        assert session["code"] in page.text
    ws_url = base.replace("http://", "ws://") + session["ws_url"]
    with connect(ws_url) as presenter, connect(ws_url) as student:
        assert _recv(student, "welcome")["role"] == "student"
        _recv(presenter, "welcome")
        presenter.send(json.dumps({"type": "hello", "presenter_token": session["presenter_token"]}))
        assert _recv(presenter, "welcome")["role"] == "presenter"
        presenter.send(json.dumps({"type": "state", "playhead": 2.5, "selection": ["db"]}))
        assert _recv(student, "state")["state"]["playhead"] == 2.5
        student.send(json.dumps({"type": "state", "playhead": 9}))
        assert "only the presenter" in _recv(student, "error")["error"]
        presenter.send(json.dumps({"type": "step", "step": 1}))
        assert _recv(student, "step")["content"]["question"]["choices"][1] == "rise"
        student.send(json.dumps({"type": "answer", "step": 1, "choice": 1}))
        _recv(student, "answered")
        assert _recv(presenter, "answers")["count"] == 1
        presenter.send(json.dumps({"type": "reveal", "step": 1}))
        assert _recv(student, "reveal")["tally"] == [0, 1, 0]
        with connect(ws_url) as late:
            caught_up = _recv(late, "welcome")
            assert caught_up["state"]["playhead"] == 2.5
            assert caught_up["revealed"] == {"1": [0, 1, 0]}
            assert _recv(presenter, "audience")["count"] >= 1
