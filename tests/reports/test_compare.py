"""GET /api/compare: summaries and deltas of two finished runs."""

from __future__ import annotations

import uuid

import pytest

from tests.reports.conftest import finish_run, scenario_with

pytestmark = pytest.mark.django_db


def test_compare_two_runs_gives_absolute_and_relative_deltas(api):
    a = finish_run(scenario_with())
    faster = scenario_with()
    faster["nodes"][1]["params"]["workers"] = 4
    faster["nodes"].append({"id": "extra", "kind": "service", "x": 0, "y": 0,
                            "params": {"workers": 1, "service_time_ms": 1}})  # fmt: skip
    b = finish_run(faster)
    body = api.get(f"/api/compare?a={a.pk}&b={b.pk}").json()
    sa, sb = a.result["summary"], b.result["summary"]
    assert body["a"]["summary"] == sa
    assert body["b"]["summary"] == sb
    p99 = body["summary"]["latency_ms.p99"]
    assert p99["a"] == sa["latency_ms"]["p99"]
    assert p99["b"] == sb["latency_ms"]["p99"]
    assert p99["abs"] == pytest.approx(sb["latency_ms"]["p99"] - sa["latency_ms"]["p99"])
    assert p99["rel"] == pytest.approx(p99["abs"] / p99["a"])
    assert p99["abs"] < 0  # four workers instead of one: a much shorter tail
    assert set(body["nodes"]) == {"users", "api-1", "db"}
    util = body["nodes"]["api-1"]["utilization"]
    assert util["b"] < util["a"]
    assert body["only_in_b"] == ["extra"]
    assert body["only_in_a"] == []


def test_compare_with_zero_baseline_has_null_relative_delta(api):
    run = finish_run(scenario_with())
    body = api.get(f"/api/compare?a={run.pk}&b={run.pk}").json()
    assert all(d["abs"] == 0 for d in body["summary"].values())
    assert body["summary"]["latency_ms.p99"]["rel"] == 0


def test_compare_errors(api):
    run = finish_run(scenario_with())
    missing = uuid.uuid4()
    response = api.get(f"/api/compare?a={run.pk}&b={missing}")
    assert response.status_code == 404
    assert "run b" in response.json()["error"]
    assert api.get(f"/api/compare?a={run.pk}").status_code == 400
