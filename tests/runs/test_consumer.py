"""The run websocket over the real Redis channel layer (REDIS_URL), through config.asgi.

Messages are written to the log and sent to the group exactly as the worker does, so these
tests see the history/live hand-over, de-duplication and gap filling that browsers rely on.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.utils import timezone

from apps.runs.broadcaster import GROUP_MESSAGE_TYPE, RUNS_LAYER, Broadcaster, run_group
from apps.runs.models import Run
from apps.runs.services import run_execute

pytestmark = pytest.mark.django_db(transaction=True)
ORIGIN = (b"origin", b"http://localhost")


@pytest.fixture(autouse=True)
def _thread_connections_close_after_use() -> Any:
    """Consumers reach the DB from worker threads; with CONN_MAX_AGE those connections would
    outlive the test and keep PostgreSQL from dropping the test database."""
    from django.db import connections

    db = connections.settings["default"]
    old, db["CONN_MAX_AGE"] = db["CONN_MAX_AGE"], 0
    yield
    db["CONN_MAX_AGE"] = old


def _application() -> Any:
    from config.asgi import application  # imported late: settings are test settings by now

    return application


async def _connect(path: str, headers: list | None = None) -> WebsocketCommunicator:
    headers = [ORIGIN] if headers is None else headers
    comm = WebsocketCommunicator(_application(), path, headers=headers)
    connected, _ = await comm.connect(timeout=5)
    assert connected
    return comm


async def _recv(comm: WebsocketCommunicator) -> dict[str, Any]:
    return json.loads(await comm.receive_from(timeout=5))


@sync_to_async
def _running_run(make_scenario) -> Run:
    from apps.runs.services import run_start
    from apps.scenarios.services import scenario_create

    scenario, _ = scenario_create(data=make_scenario(), session_key=None)
    # transaction=True: on_commit fires and a real task is sent; no worker runs in these tests.
    run = run_start(scenario=scenario)
    Run.objects.filter(pk=run.pk).update(status=Run.Status.RUNNING, heartbeat_at=timezone.now())
    return run


@sync_to_async
def _store(run: Run, first: int, last: int) -> list[str]:
    """Log messages ``first..last`` (progress) without publishing them; returns their texts."""
    b = Broadcaster(run_id=run.pk, publish=lambda batch: None, start_seq=first - 1)
    texts = [b.stamp({"type": "progress", "sim_time_s": seq}) for seq in range(first, last + 1)]
    b.flush()
    return texts


async def _group_send(run: Run, first_seq: int, texts: list[str]) -> None:
    await get_channel_layer(RUNS_LAYER).group_send(
        run_group(run.pk), {"type": GROUP_MESSAGE_TYPE, "first_seq": first_seq, "texts": texts}
    )


async def test_late_joiner_gets_status_then_history_then_live_without_duplicates(make_scenario):
    run = await _running_run(make_scenario)
    texts = await _store(run, 1, 5)
    comm = await _connect(f"/ws/runs/{run.pk}")
    status = await _recv(comm)
    assert status == {"type": "status", "run_id": str(run.pk), "status": "running",
                      "last_seq": 5, "protocol": 1}  # fmt: skip
    assert [(await _recv(comm))["seq"] for _ in range(5)] == [1, 2, 3, 4, 5]

    # A live batch overlapping what history already sent: only 6 and 7 go out.
    texts += await _store(run, 6, 7)
    await _group_send(run, 4, texts[3:7])
    assert [(await _recv(comm))["seq"] for _ in range(2)] == [6, 7]

    # A live batch after a gap (8, 9 dropped by the layer): the consumer fills it from the log.
    texts += await _store(run, 8, 10)
    await _group_send(run, 10, texts[9:10])
    assert [(await _recv(comm))["seq"] for _ in range(3)] == [8, 9, 10]
    assert await comm.receive_nothing(timeout=0.3)
    await comm.disconnect()


async def test_after_parameter_skips_what_the_client_has(make_scenario):
    run = await _running_run(make_scenario)
    await _store(run, 1, 6)
    comm = await _connect(f"/ws/runs/{run.pk}?after=4")
    assert (await _recv(comm))["type"] == "status"
    assert [(await _recv(comm))["seq"] for _ in range(2)] == [5, 6]
    assert await comm.receive_nothing(timeout=0.2)
    await comm.disconnect()


async def test_a_whole_run_streams_live_to_a_connected_viewer(make_scenario):
    from apps.runs.broadcaster import layer_publish

    run = await _running_run(make_scenario)
    await sync_to_async(Run.objects.filter(pk=run.pk).update)(status=Run.Status.QUEUED)
    comm = await _connect(f"/ws/runs/{run.pk}")
    assert (await _recv(comm))["status"] == "queued"
    finished = await sync_to_async(run_execute)(run_id=run.pk, publish=layer_publish)
    seqs = []
    while True:
        message = await _recv(comm)
        seqs.append(message["seq"])
        if message["type"] == "done":
            break
    assert seqs == list(range(1, finished.last_seq + 1))
    await comm.disconnect()


async def test_ping_resync_and_bad_messages_keep_the_socket_open(make_scenario):
    run = await _running_run(make_scenario)
    await _store(run, 1, 3)
    comm = await _connect(f"/ws/runs/{run.pk}?after=3")
    assert (await _recv(comm))["type"] == "status"

    await comm.send_to(text_data="{not json")
    error = await _recv(comm)
    assert error["type"] == "error"
    assert "seq" not in error
    assert error["error"] == "invalid JSON"
    await comm.send_json_to({"type": "dance"})
    assert "unknown message type" in (await _recv(comm))["error"]
    await comm.send_json_to({"type": "resync", "after": "x"})
    assert (await _recv(comm))["type"] == "error"
    await comm.send_to(text_data=json.dumps({"type": "ping", "pad": "x" * 10_000}))
    assert "larger than" in (await _recv(comm))["error"]
    await comm.send_to(bytes_data=b"\x00\x01")
    assert "binary" in (await _recv(comm))["error"]

    await comm.send_json_to({"type": "ping"})
    assert await _recv(comm) == {"type": "pong"}
    await comm.send_json_to({"type": "resync", "after": 1})
    assert [(await _recv(comm))["seq"] for _ in range(2)] == [2, 3]
    await comm.disconnect()


async def test_unknown_run_gets_an_error_and_a_close():
    comm = await _connect(f"/ws/runs/{uuid.uuid4()}")
    assert (await _recv(comm))["error"] == "no such run"
    output = await comm.receive_output(timeout=5)
    assert output == {"type": "websocket.close", "code": 4404}


async def test_foreign_origin_is_refused_and_scripts_without_origin_are_let_in(make_scenario):
    run = await _running_run(make_scenario)
    foreign = WebsocketCommunicator(
        _application(), f"/ws/runs/{run.pk}", headers=[(b"origin", b"http://evil.example")]
    )
    connected, _ = await foreign.connect(timeout=5)
    assert not connected
    script = await _connect(f"/ws/runs/{run.pk}", headers=[])
    assert (await _recv(script))["type"] == "status"
    await script.disconnect()


async def test_a_viewer_counts_itself_in_while_connected(make_scenario):
    from apps.runs import live

    run = await _running_run(make_scenario)
    comm = await _connect(f"/ws/runs/{run.pk}")
    assert (await _recv(comm))["type"] == "status"
    assert await sync_to_async(live.viewer_count)(run.pk) == 1
    await comm.disconnect()
    assert await sync_to_async(live.viewer_count)(run.pk) == 0


async def test_batch_clients_get_history_and_live_batches_packed(make_scenario):
    run = await _running_run(make_scenario)
    texts = await _store(run, 1, 5)
    comm = await _connect(f"/ws/runs/{run.pk}?after=1&batch=1")
    assert (await _recv(comm))["type"] == "status"
    packed = await comm.receive_from(timeout=5)
    assert packed == '{"type":"batch","messages":[' + ",".join(texts[1:5]) + "]}"
    texts += await _store(run, 6, 8)
    await _group_send(run, 5, texts[4:8])  # overlaps seq 5, which was sent: 6..8 only
    batch = await _recv(comm)
    assert batch["type"] == "batch"
    assert [m["seq"] for m in batch["messages"]] == [6, 7, 8]
    texts += await _store(run, 9, 9)
    await _group_send(run, 9, texts[8:9])
    assert (await _recv(comm))["seq"] == 9  # a single message goes unwrapped
    assert await comm.receive_nothing(timeout=0.3)
    await comm.disconnect()
