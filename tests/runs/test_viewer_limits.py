"""What one websocket may cost the server, through real Daphne, Redis and a Celery worker.

A private Daphne (tight limits: a 64 KiB per-viewer buffer cap, 2 s stall) shares the
`live_stack` database, Redis and worker. Clients are the `websockets` asyncio client; the
stalled one connects through a socket with a small receive buffer and never reads.
"""

from __future__ import annotations

import asyncio
import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import websockets

from scripts.stack import Child, Stack, free_port, start_daphne
from tests.shapes import client_service

pytestmark = pytest.mark.integration

CAP_BYTES = 64 * 1024
STALL_S = 2.0


def _scenario(rate: float, duration: float) -> dict[str, Any]:
    return client_service(rate=rate, duration=duration, workers=8, seed=5, name="limits")


@pytest.fixture(scope="module")
def tight(
    live_stack: Stack, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Path]]:
    """(base URL, log file) of a Daphne with tight per-viewer limits on the live stack."""
    log = tmp_path_factory.mktemp("tight") / "daphne.log"
    env = dict(
        live_stack.env,
        RUN_VIEWER_BUFFER_BYTES=str(CAP_BYTES),
        RUN_VIEWER_STALL_S=str(STALL_S),
        RUN_SOCKET_RATE="20",
        RUN_SOCKET_BURST="40",
        LOG_LEVEL="INFO",
    )
    port = free_port()
    child: Child = start_daphne(env, "127.0.0.1", port, log)
    try:
        yield f"127.0.0.1:{port}", log
    finally:
        child.stop()


def _start_run(live_stack: Stack, body: dict[str, Any], **options: Any) -> str:
    with httpx.Client(base_url=live_stack.base_url, timeout=30) as c:
        sid = c.post("/api/scenarios", json=body).json()["id"]
        started = c.post(f"/api/scenarios/{sid}/runs", json=options)
        assert started.status_code == 202, started.text
        return started.json()["run_id"]


async def _read_all(ws: Any, timeout_s: float = 60) -> list[dict[str, Any]]:
    """Messages until the run's terminal logged message or the socket closes."""
    out: list[dict[str, Any]] = []
    deadline = time.monotonic() + timeout_s
    try:
        while time.monotonic() < deadline:
            msg = json.loads(await asyncio.wait_for(ws.recv(), timeout=10))
            out.append(msg)
            if msg["type"] in ("done", "error") and "seq" in msg and "status" in msg:
                break
    except websockets.ConnectionClosed:
        pass
    return out


async def _read_slowly(ws: Any) -> list[dict[str, Any]]:
    """Like _read_all, but pauses (for less than the stall limit) every 20 messages."""
    out: list[dict[str, Any]] = []
    while True:
        msg = json.loads(await asyncio.wait_for(ws.recv(), timeout=10))
        out.append(msg)
        if msg["type"] in ("done", "error") and "seq" in msg and "status" in msg:
            return out
        if len(out) % 20 == 0:
            await asyncio.sleep(STALL_S / 2)


def _seqs(messages: list[dict[str, Any]]) -> list[int]:
    return [m["seq"] for m in messages if "seq" in m]


async def test_a_stalled_viewer_is_cut_off_and_a_slow_one_resumes_from_the_log(live_stack, tight):
    host, log = tight
    run_id = _start_run(live_stack, _scenario(rate=4000, duration=20))
    url = f"ws://{host}/ws/runs/{run_id}"

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # before connect: small window
    sock.connect(("127.0.0.1", int(host.split(":")[1])))
    stalled = await websockets.connect(url, sock=sock, max_queue=1, max_size=2**24)
    slow = await websockets.connect(url, max_queue=1, max_size=2**24)
    healthy = await websockets.connect(url, max_size=2**24)
    try:
        healthy_log, slow_log = await asyncio.gather(_read_all(healthy), _read_slowly(slow))
        await asyncio.sleep(STALL_S + 1.5)
        stalled_log = await _read_all(stalled, timeout_s=20)
    finally:
        for ws in (stalled, slow, healthy):
            await ws.close()

    n = _seqs(healthy_log)[-1]
    assert _seqs(healthy_log) == list(range(1, n + 1))
    assert healthy_log[-1]["type"] == "done"
    # The slow viewer lagged (its batches were held back) but never for the stall limit: it got
    # everything, from the log once it caught up, in order, once: nothing lost, nothing twice.
    assert _seqs(slow_log) == list(range(1, n + 1))
    # The stalled one got a prefix, then was cut off: a 4008 if it could still read the close
    # frame, else the TCP connection was aborted (1006) after the close handshake timed out.
    got = _seqs(stalled_log)
    assert got == list(range(1, len(got) + 1))
    assert len(got) < n
    assert stalled.close_code in (4008, 1006)
    text = log.read_text()
    assert f"run {run_id}: viewer lagging" in text
    assert f"run {run_id}: closing a socket with 4008" in text


async def test_a_flooding_socket_is_closed_1008_while_a_quiet_one_keeps_working(live_stack, tight):
    host, log = tight
    run_id = _start_run(live_stack, _scenario(rate=50, duration=2))
    url = f"ws://{host}/ws/runs/{run_id}"
    async with websockets.connect(url) as quiet, websockets.connect(url) as flooder:
        await _read_all(quiet)
        started = time.monotonic()
        sent = 0
        try:
            for _ in range(2000):
                await flooder.send('{"type": "ping"}')
                sent += 1
        except websockets.ConnectionClosed:
            pass
        seen = [json.loads(m) async for m in _drain(flooder)]
        assert flooder.close_code == 1008
        assert time.monotonic() - started < 10
        assert any("too many messages" in m.get("error", "") for m in seen)
        assert sum(m["type"] == "pong" for m in seen) <= 45  # the burst, then nothing
        await quiet.send('{"type": "ping"}')
        assert json.loads(await asyncio.wait_for(quiet.recv(), 5))["type"] == "pong"
    assert f"run {run_id}: closing a socket with 1008" in log.read_text()


async def _drain(ws: Any) -> Any:
    try:
        while True:
            yield await asyncio.wait_for(ws.recv(), timeout=10)
    except websockets.ConnectionClosed:
        return


async def _send_then_read(ws: Any, text: str) -> str:
    await ws.send(text)
    return await asyncio.wait_for(ws.recv(), 5)


async def test_an_oversized_message_gets_an_error_and_a_huge_one_a_1009(live_stack, tight):
    host, _ = tight
    run_id = _start_run(live_stack, _scenario(rate=50, duration=1))
    url = f"ws://{host}/ws/runs/{run_id}"
    async with websockets.connect(url) as ws:
        await _read_all(ws)
        await ws.send(json.dumps({"type": "ping", "pad": "x" * 5000}))
        answer = json.loads(await asyncio.wait_for(ws.recv(), 5))
        assert "larger than 4096 bytes" in answer["error"]
    async with websockets.connect(url) as ws:
        await _read_all(ws)
        # Over Daphne's 1 MiB message limit: the server may fail the connection while the
        # client is still writing, so the send itself can be the call that sees the close.
        with pytest.raises(websockets.ConnectionClosed):
            await _send_then_read(ws, "x" * (2 * 1024 * 1024))
        # autobahn fails the connection with 1009; the client may see the abort (1006) first.
        assert ws.close_code in (1009, 1006)
    async with websockets.connect(url) as ws:  # the server is none the worse
        assert (await _read_all(ws))[-1]["type"] == "done"
        await ws.send('{"type": "ping"}')
        assert json.loads(await asyncio.wait_for(ws.recv(), 5))["type"] == "pong"
