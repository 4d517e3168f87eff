"""A real sweep through the real worker (Celery group of frame-less simulations)."""

from __future__ import annotations

import time

import httpx
import pytest

pytestmark = pytest.mark.integration


def sweep_scenario() -> dict:
    return {
        "format": "topolab/1",
        "name": "sweep me",
        "nodes": [
            {"id": "users", "kind": "client", "x": 0, "y": 0,
             "params": {"rate_rps": 250, "arrival": "poisson"}},
            {"id": "api-1", "kind": "service", "x": 300, "y": 0,
             "params": {"workers": 2, "service_time_ms": 10}},
        ],
        "edges": [{"id": "e1", "source": "users", "target": "api-1", "params": {"latency_ms": 1}}],
        "settings": {"duration_s": 30, "warmup_s": 2, "seed": 1},
    }  # fmt: skip


def wait_sweep(client: httpx.Client, url: str, timeout_s: float = 120) -> dict:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        body = client.get(url).json()
        if body["status"] == "done":
            return body
        time.sleep(0.2)
    raise AssertionError(f"sweep not done in {timeout_s} s: {body}")


def test_sweep_of_workers_shows_p99_falling(live_stack):
    with httpx.Client(base_url=live_stack.base_url, timeout=30) as client:
        sid = client.post("/api/scenarios", json=sweep_scenario()).json()["id"]
        started = client.post(f"/api/scenarios/{sid}/sweeps", json={
            "param": "api-1.workers", "values": [1, 2, 3, 4], "seeds": [1, 2, 3],
            "metric": "summary.latency_ms.p99",
        })  # fmt: skip
        assert started.status_code == 202, started.text
        body = wait_sweep(client, f"/api/sweeps/{started.json()['sweep_id']}")
    assert body["failed"] == 0
    means = [v["mean"] for v in body["values"]]
    assert [v["n"] for v in body["values"]] == [3, 3, 3, 3]
    assert means[0] > means[1] > means[2] > means[3], means
    # 250 rps of 10 ms work: 1 and 2 workers are overloaded (rho 2.5, 1.25: the queue grows
    # for the whole run), 3 workers are stable at rho 0.83 and 4 at 0.625 barely queue.
    assert means[1] > 10 * means[2]
    assert means[3] < 0.8 * means[2]
    for v in body["values"]:
        assert v["ci95_low"] <= v["mean"] <= v["ci95_high"]
