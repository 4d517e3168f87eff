"""Classroom fixtures: a saved scenario, a JSON client, websocket helpers through config.asgi."""

from __future__ import annotations

import json
from typing import Any

import pytest
from channels.testing import WebsocketCommunicator
from django.test import Client

ORIGIN = (b"origin", b"http://localhost")

TOUR = [
    {"text": "Watch the queue in front of the API.", "highlight": ["api-1"]},
    {"text": "What happens to p99 if the DB crashes?", "highlight": ["db"],
     "action": {"fault": {"action": "crash", "node": "db"}},
     "question": {"prompt": "p99 will…", "choices": ["fall", "rise", "stay"], "answer": 1}},
    {"text": "Run to 5 s.", "action": {"run_to": 5}},
]  # fmt: skip


def classroom_scenario() -> dict[str, Any]:
    return {
        "format": "topolab/1",
        "name": "<i>Class</i> demo",
        "nodes": [
            {"id": "users", "kind": "client", "x": 0, "y": 0, "params": {"rate_rps": 10}},
            {"id": "api-1", "kind": "service", "x": 200, "y": 0,
             "params": {"workers": 1, "service_time_ms": 10}},
            {"id": "db", "kind": "service", "x": 400, "y": 0,
             "params": {"workers": 1, "service_time_ms": 5}},
        ],
        "edges": [{"id": "e1", "source": "users", "target": "api-1"},
                  {"id": "e2", "source": "api-1", "target": "db"}],
        "settings": {"duration_s": 5, "warmup_s": 0},
    }  # fmt: skip


class JsonClient(Client):
    def post_json(self, path: str, body: Any, **extra: Any) -> Any:
        return self.post(path, data=json.dumps(body), content_type="application/json", **extra)


@pytest.fixture
def api() -> JsonClient:
    return JsonClient()


@pytest.fixture
def scenario(db):
    from apps.scenarios.services import scenario_create

    saved, _ = scenario_create(data=classroom_scenario(), session_key=None)
    return saved


@pytest.fixture(autouse=True)
def _fresh_channel_layer() -> Any:
    """A layer per test: its locks and pools belong to the test's event loop."""
    from channels.layers import channel_layers

    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()


@pytest.fixture
def _thread_connections_close_after_use() -> Any:
    """Consumers reach the DB from worker threads (see tests/runs/test_consumer.py)."""
    from django.db import connections

    db = connections.settings["default"]
    old, db["CONN_MAX_AGE"] = db["CONN_MAX_AGE"], 0
    yield
    db["CONN_MAX_AGE"] = old


async def connect(code: str) -> WebsocketCommunicator:
    from config.asgi import application

    comm = WebsocketCommunicator(application, f"/ws/sessions/{code}", headers=[ORIGIN])
    connected, _ = await comm.connect(timeout=5)
    assert connected
    return comm


async def recv(comm: WebsocketCommunicator, timeout: float = 5) -> dict[str, Any]:
    return json.loads(await comm.receive_from(timeout=timeout))


async def recv_type(comm: WebsocketCommunicator, kind: str) -> dict[str, Any]:
    """The next message of ``kind``, skipping others (e.g. audience counts)."""
    for _ in range(20):
        message = await recv(comm)
        if message["type"] == kind:
            return message
    raise AssertionError(f"no {kind!r} message")


async def send(comm: WebsocketCommunicator, message: Any) -> None:
    await comm.send_to(text_data=json.dumps(message) if not isinstance(message, str) else message)


async def recv_audience(comm: WebsocketCommunicator, count: int) -> dict[str, Any]:
    """Audience messages until one says ``count`` (joins and leaves race each other)."""
    for _ in range(20):
        message = await recv_type(comm, "audience")
        if message["count"] == count:
            return message
    raise AssertionError(f"audience never reached {count}")
