"""The whole path through real parts: HTTP API -> Celery worker -> engine -> frame log -> websocket.

Talks to the stack that `live_stack` started (Daphne, a prefork Celery worker, Redis) over
loopback HTTP and websockets, exactly as a browser or a script would.
"""

from __future__ import annotations

import json
import time

import httpx
import psutil
import pytest
from websockets.sync.client import connect

pytestmark = pytest.mark.integration

RUN_TIMEOUT_S = 60


def scenario(rate: float = 80, duration: float = 10, name: str = "slice") -> dict:
    return {
        "format": "topolab/1",
        "name": name,
        "nodes": [
            {"id": "users", "kind": "client", "label": "<b>Browsers</b>", "x": 80, "y": 200,
             "params": {"rate_rps": rate, "arrival": "poisson"}},
            {"id": "api-1", "kind": "service", "x": 380, "y": 200,
             "params": {"workers": 1, "service_time_ms": 10}},
        ],
        "edges": [{"id": "e1", "source": "users", "target": "api-1", "params": {"latency_ms": 2}}],
        "settings": {"duration_s": duration, "warmup_s": 1, "seed": 7},
    }  # fmt: skip


def ws_base(stack) -> str:
    return stack.base_url.replace("http://", "ws://")


def create_and_run(client: httpx.Client, body: dict, **run) -> tuple[str, dict]:
    created = client.post("/api/scenarios", json=body)
    assert created.status_code == 201, created.text
    sid = created.json()["id"]
    started = client.post(f"/api/scenarios/{sid}/runs", json=run)
    assert started.status_code == 202, started.text
    return sid, started.json()


def collect(url: str, until_terminal: bool = True, timeout_s: float = RUN_TIMEOUT_S) -> list[dict]:
    """Every message the socket sends until the run's terminal message (or a quiet second)."""
    out: list[dict] = []
    deadline = time.monotonic() + timeout_s
    with connect(url, open_timeout=10, max_size=2**24) as ws:
        while time.monotonic() < deadline:
            try:
                msg = json.loads(ws.recv(timeout=1 if not until_terminal else 5))
            except TimeoutError:
                if not until_terminal:
                    return out
                continue
            out.append(msg)
            if until_terminal and msg["type"] in ("done", "error") and "seq" in msg:
                return out
    raise AssertionError(f"no terminal message within {timeout_s} s; got {len(out)} messages")


def logged(messages: list[dict]) -> list[dict]:
    return [m for m in messages if "seq" in m]


@pytest.fixture
def client(live_stack):
    with httpx.Client(base_url=live_stack.base_url, timeout=30) as c:
        yield c


def test_run_streams_frames_metrics_and_result(live_stack, client):
    _, run = create_and_run(client, scenario())
    assert run["ws_url"].startswith("/ws/runs/")
    messages = collect(ws_base(live_stack) + run["ws_url"])

    assert messages[0]["type"] == "status"
    log = logged(messages)
    assert [m["seq"] for m in log] == list(range(1, len(log) + 1))
    assert {m["run_id"] for m in log} == {run["run_id"]}
    frames = [m for m in log if m["type"] == "frame"]
    metrics = [m for m in log if m["type"] == "metrics"]
    assert len(frames) >= 30  # 10 s at 4 frames per simulated second
    assert sum(len(f["events"]["ts"]) for f in frames) > 1000  # ~800 requests, 2 messages each
    assert any(m["throughput_rps"] > 0 for m in metrics)
    assert log[-1]["type"] == "done"
    summary = log[-1]["result"]["summary"]
    assert summary["completed"] > 500
    assert 50 < summary["throughput_rps"] < 110

    status = client.get(f"/api/runs/{run['run_id']}").json()
    assert status["status"] == "done"
    assert status["result"]["summary"] == summary


def test_late_joiner_gets_the_whole_log_then_only_what_it_missed(live_stack, client):
    _, run = create_and_run(client, scenario(duration=5))
    url = ws_base(live_stack) + run["ws_url"]
    first = logged(collect(url))
    assert first[-1]["type"] == "done"

    again = logged(collect(url, until_terminal=False, timeout_s=10))
    assert [m["seq"] for m in again] == [m["seq"] for m in first]

    tail = logged(collect(f"{url}?after={len(first) - 3}", until_terminal=False, timeout_s=10))
    assert [m["seq"] for m in tail] == [len(first) - 2, len(first) - 1, len(first)]


def test_viewer_joining_mid_run_sees_no_gap(live_stack, client):
    # Heavy enough to take a few seconds of worker time, so the viewer joins while it runs.
    _, run = create_and_run(client, scenario(rate=2000, duration=120), seed=3)
    time.sleep(0.5)
    messages = collect(ws_base(live_stack) + run["ws_url"], timeout_s=120)
    log = logged(messages)
    assert [m["seq"] for m in log] == list(range(1, len(log) + 1))
    assert log[-1]["type"] == "done"


def test_bad_socket_messages_get_an_error_and_the_socket_stays_open(live_stack, client):
    _, run = create_and_run(client, scenario(duration=2))
    with connect(ws_base(live_stack) + run["ws_url"], open_timeout=10) as ws:
        ws.send("this is not json")
        ws.send(json.dumps({"type": "no-such-type"}))
        ws.send(json.dumps({"type": "ping"}))
        seen = []
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not any(m["type"] == "pong" for m in seen):
            seen.append(json.loads(ws.recv(timeout=5)))
    errors = [m for m in seen if m["type"] == "error" and "seq" not in m]
    assert len(errors) >= 2
    assert any(m["type"] == "pong" for m in seen)


def test_cancel_ends_a_long_run_as_cancelled(live_stack, client):
    _, run = create_and_run(client, scenario(rate=3000, duration=3600))
    time.sleep(1.0)
    resp = client.post(f"/api/runs/{run['run_id']}/cancel")
    assert resp.status_code == 202, resp.text
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        status = client.get(f"/api/runs/{run['run_id']}").json()["status"]
        if status in ("done", "failed", "cancelled"):
            break
        time.sleep(0.2)
    assert status == "cancelled"


def test_invalid_scenario_is_rejected_with_the_field_named(client):
    bad = scenario()
    bad["nodes"][1]["params"]["workers"] = -2
    resp = client.post("/api/scenarios", json=bad)
    assert resp.status_code == 400
    body = resp.json()
    assert "api-1" in body["error"]
    assert "workers" in body["error"]
    assert body["details"]


def test_pool_child_killed_mid_run_never_leaves_the_run_running(live_stack, client):
    _, run = create_and_run(client, scenario(rate=3000, duration=1800))
    worker = next(c for c in live_stack.children if c.name == "worker")
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if client.get(f"/api/runs/{run['run_id']}").json()["status"] == "running":
            break
        time.sleep(0.1)
    busy = [p for p in psutil.Process(worker.proc.pid).children() if p.cpu_percent(0.3) > 20]
    assert busy, "no pool child is simulating"
    busy[0].kill()

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        body = client.get(f"/api/runs/{run['run_id']}").json()
        if body["status"] in ("done", "failed", "cancelled"):
            break
        time.sleep(0.5)
    assert body["status"] == "failed"
    assert body["reason"]
