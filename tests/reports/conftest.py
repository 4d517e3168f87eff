"""Fixtures: finished runs executed in-process (no worker), and a JSON test client."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from django.test import Client

XSS = "<img src=x onerror=alert(1)>"


def scenario_with(name: str = "Reports slice", **settings: Any) -> dict[str, Any]:
    return {
        "format": "topolab/1",
        "name": name,
        "nodes": [
            {"id": "users", "kind": "client", "label": XSS, "x": 60, "y": 200,
             "params": {"rate_rps": 60, "arrival": "poisson"}},
            {"id": "api-1", "kind": "service", "label": "</script><b>API</b>", "x": 360,
             "y": 120, "params": {"workers": 1, "service_time_ms": 10}},
            {"id": "db", "kind": "service", "label": "DB", "x": 620, "y": 260,
             "params": {"workers": 2, "service_time_ms": 5}},
        ],
        "edges": [
            {"id": "e1", "source": "users", "target": "api-1", "params": {"latency_ms": 2}},
            {"id": "e2", "source": "api-1", "target": "db", "params": {"latency_ms": 1}},
        ],
        "faults": [{"at_s": 2, "action": "crash", "node": "db"},
                   {"at_s": 3, "action": "restart", "node": "db"}],
        "settings": {"duration_s": 5, "warmup_s": 0, "seed": 7, **settings},
    }  # fmt: skip


class JsonClient(Client):
    def post_json(self, path: str, body: Any, **extra: Any) -> Any:
        return self.post(path, data=json.dumps(body), content_type="application/json", **extra)


@pytest.fixture
def api() -> JsonClient:
    return JsonClient()


def finish_run(scenario_data: dict[str, Any], seed: int | None = None):
    """Save, start and execute a run in this process; returns the finished Run."""
    from apps.runs.services import run_execute, run_start
    from apps.scenarios.services import scenario_create

    scenario, _ = scenario_create(data=copy.deepcopy(scenario_data), session_key=None)
    run = run_start(scenario=scenario, seed=seed)
    return run_execute(run_id=run.pk, publish=lambda batch: None)


@pytest.fixture
def done_run(db):
    return finish_run(scenario_with())
