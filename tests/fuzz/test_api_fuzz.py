"""Schemathesis against our own OpenAPI schema: >= 2 000 generated requests, 0 server errors.

Every operation of ``/api/openapi.json`` is exercised in process (WSGI) with bodies, path and
query parameters generated from the schema, both conforming and not. Half of the generated path
ids are swapped for ids that exist (a saved scenario, a finished run, a live session), so the
requests reach the code behind the 404. After every request that is refused (4xx), the database
must be exactly as before: nothing half-written.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.classroom.models import Session
from apps.reports.models import Sweep
from apps.runs.models import Run, RunFrame
from apps.scenarios.models import Scenario
from tests.reports.conftest import finish_run, scenario_with

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

CASES = 2_200
SCHEMA = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]


def fingerprint() -> str:
    """Everything a refused request might have touched, as one digest."""
    rows = [
        sorted(Scenario.objects.values_list("id", "slug", "revision", "name", "edit_token_hash")),
        sorted(map(str, Run.objects.values_list("id", "status", "attempts"))),
        RunFrame.objects.count(),
        Sweep.objects.count(),
        sorted(Session.objects.values_list("code", "ended_at")),
    ]
    return hashlib.sha256(repr(rows).encode()).hexdigest()


@pytest.fixture
def same_connection() -> Iterator[None]:
    """Keep the test's database connection across requests, as Django's test client does.

    The WSGI app fires request_started/finished, whose close_old_connections drops a connection
    whose autocommit is off, as it is inside the test's transaction: on PostgreSQL the next
    query then fails with "the connection is closed" (SQLite's in-memory database is never
    closed, so it hid this)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def real_ids(db, same_connection: None) -> dict[str, str]:
    run = finish_run(scenario_with())
    from apps.classroom.services import session_create

    session, _ = session_create(scenario=run.scenario)
    return {
        "scenario_id": run.scenario_id,
        "run_id": str(run.pk),
        "code": session.code,
        "name": "client-server",
    }


@settings(
    max_examples=CASES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
@given(data=st.data())
def _fuzz(data: st.DataObject, real_ids: dict[str, str], seen: list[tuple[str, int]]) -> None:
    operation = data.draw(st.sampled_from(OPERATIONS))
    case = data.draw(operation.as_strategy())
    if case.path_parameters and data.draw(st.booleans()):
        for name in case.path_parameters:
            if name in real_ids:
                case.path_parameters[name] = real_ids[name]
    before = fingerprint()
    response = case.call()
    seen.append((f"{case.method} {case.path}", response.status_code))
    assert response.status_code < 500, (case.method, case.formatted_path, response.text[:300])
    if 400 <= response.status_code < 500:
        assert fingerprint() == before, (case.method, case.formatted_path, response.status_code)
        if response.headers.get("content-type", [""])[0].startswith("application/json"):
            assert set(response.json()) >= {"error"}, response.text[:200]


def test_generated_requests_never_fail_the_server(real_ids: dict[str, Any]) -> None:
    seen: list[tuple[str, int]] = []
    _fuzz(real_ids=real_ids, seen=seen)
    assert len(seen) >= 2_000
    operations = {op for op, _ in seen}
    assert len(operations) == len(OPERATIONS), set(map(str, OPERATIONS)) - operations
    statuses = {status for _, status in seen}
    assert {200, 400, 404} <= statuses  # both accepted and refused requests were made
