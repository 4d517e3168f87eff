"""Fixtures for the scenarios tests: small valid scenarios and JSON request helpers."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client


def _small_scenario(**settings: Any) -> dict[str, Any]:
    return {
        "format": "topolab/1",
        "name": "small",
        "nodes": [
            {"id": "users", "kind": "client", "label": "</script><b>Users</b>", "x": 10, "y": 10,
             "params": {"rate_rps": 50, "arrival": "poisson"}},
            {"id": "api-1", "kind": "service", "x": 200, "y": 10,
             "params": {"workers": 1, "service_time_ms": 10}},
        ],
        "edges": [{"id": "e1", "source": "users", "target": "api-1", "params": {"latency_ms": 1}}],
        "settings": {"duration_s": 2, "warmup_s": 0, "seed": 7, **settings},
    }  # fmt: skip


@pytest.fixture
def make_scenario() -> Callable[..., dict[str, Any]]:
    """A factory of two-node client-server scenarios (settings overridable), cheap to run."""
    return _small_scenario


@pytest.fixture
def scenario_data() -> dict[str, Any]:
    return _small_scenario()


class JsonClient(Client):
    """A test client with post_json/put_json helpers."""

    def post_json(self, path: str, body: Any, **extra: Any) -> Any:
        return self.post(path, data=json.dumps(body), content_type="application/json", **extra)

    def put_json(self, path: str, body: Any, **extra: Any) -> Any:
        return self.put(path, data=json.dumps(body), content_type="application/json", **extra)


@pytest.fixture
def api() -> JsonClient:
    """A cookie-less script: no session, no CSRF token needed."""
    return JsonClient()


@pytest.fixture
def browser() -> JsonClient:
    """A browser that enforces CSRF like a real one would be checked."""
    return JsonClient(enforce_csrf_checks=True)


@pytest.fixture
def saved_scenario(db, scenario_data):
    """A saved scenario (2 simulated seconds)."""
    from apps.scenarios.services import scenario_create

    scenario, _ = scenario_create(data=scenario_data, session_key=None)
    return scenario


@pytest.fixture
def queued_run(saved_scenario):
    """A queued run; inside the test transaction no task is sent (on_commit never fires)."""
    from apps.runs.services import run_start

    return run_start(scenario=saved_scenario)
