"""Sweeps: request validation, the t-table, in-process points and aggregation."""

from __future__ import annotations

import math
import statistics
import uuid

import pytest

from apps.reports.stats import describe, t_critical_975
from tests.reports.conftest import scenario_with


@pytest.fixture
def saved(db):
    from apps.scenarios.services import scenario_create

    data = scenario_with()
    data["faults"] = []
    scenario, _ = scenario_create(data=data, session_key=None)
    return scenario


def test_t_critical_values_match_tables():
    assert t_critical_975(1) == pytest.approx(12.706, abs=1e-3)
    assert t_critical_975(2) == pytest.approx(4.303, abs=1e-3)
    assert t_critical_975(9) == pytest.approx(2.262, abs=1e-3)
    assert t_critical_975(40) == pytest.approx(2.0211, abs=2e-4)
    assert t_critical_975(120) == pytest.approx(1.9799, abs=2e-4)
    assert t_critical_975(10**6) == pytest.approx(1.95996, abs=1e-4)
    with pytest.raises(ValueError, match="df"):
        t_critical_975(0)


def test_describe_gives_mean_std_and_t_interval():
    values = [10.0, 12.0, 14.0]
    d = describe(values)
    assert d["n"] == 3
    assert d["mean"] == 12.0
    assert d["std"] == pytest.approx(statistics.stdev(values))
    half = 4.3027 * 2.0 / math.sqrt(3)
    assert d["ci95_low"] == pytest.approx(12 - half)
    assert d["ci95_high"] == pytest.approx(12 + half)
    assert describe([5.0])["std"] is None
    assert describe([])["mean"] is None


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ({"values": [1]}, "param"),
        ({"param": "api-1.workers", "values": [], "seeds": [1]}, "values"),
        ({"param": "api-1.workers", "values": [1, 2]}, "exactly one of"),
        ({"param": "api-1.workers", "values": [1], "seeds": [1], "replicas": 2}, "exactly one"),
        ({"param": "api-1.workers", "values": [1], "seeds": [1, 1]}, "repeat"),
        ({"param": "api-1.workers", "values": [1], "seeds": ["a"]}, "seeds"),
        ({"param": "api-1.workers", "values": [1], "replicas": 0}, "replicas"),
        ({"param": "nope.workers", "values": [1], "seeds": [1]}, "no node 'nope'"),
        ({"param": "edges.zz.latency_ms", "values": [1], "seeds": [1]}, "no edge 'zz'"),
        ({"param": "workers", "values": [1], "seeds": [1]}, "expected"),
        ({"param": "api-1.workers", "values": [1], "seeds": [1], "metric": "x.y"}, "metric"),
        ({"param": "api-1.workers", "values": [1], "seeds": [1], "bogus": 1}, "'bogus'"),
        ({"param": "api-1.workers", "values": list(range(1, 21)), "replicas": 11},
         "too many points: 20 values × 11 seeds = 220 > 200"),
    ],
)  # fmt: skip
def test_bad_sweep_requests_are_400_with_a_clear_error(api, saved, body, needle):
    response = api.post_json(f"/api/scenarios/{saved.pk}/sweeps", body)
    assert response.status_code == 400, response.content
    assert needle in response.json()["error"]


def test_bad_values_are_named_before_anything_runs(api, saved):
    from apps.reports.models import Sweep

    body = {"param": "api-1.workers", "values": [1, 0, -3, "x"], "seeds": [1, 2]}
    response = api.post_json(f"/api/scenarios/{saved.pk}/sweeps", body)
    assert response.status_code == 400
    error = response.json()
    assert error["error"].startswith("param api-1.workers = 0:")
    assert [d["value"] for d in error["details"]] == [0, -3, "x"]
    assert all("workers" in d["msg"] for d in error["details"])
    assert not Sweep.objects.exists()


def test_settings_and_edge_params_are_sweepable(api, saved, django_capture_on_commit_callbacks):
    for param, values in (("settings.duration_s", [1, 2]), ("edges.e1.latency_ms", [1, 50])):
        body = {"param": param, "values": values, "replicas": 2}
        # Sending is captured, not executed: this test checks validation and the 202 only.
        with django_capture_on_commit_callbacks(execute=False) as sent:
            response = api.post_json(f"/api/scenarios/{saved.pk}/sweeps", body)
        assert response.status_code == 202, response.content
        assert len(sent) == 1
        assert response.json()["points"] == 4


def test_points_run_in_process_and_aggregate(api, saved, django_capture_on_commit_callbacks):
    from apps.reports.models import Sweep
    from apps.reports.sweeps import point_run

    body = {"param": "api-1.workers", "values": [1, 3], "seeds": [1, 2, 3],
            "metric": "summary.latency_ms.p99"}  # fmt: skip
    with django_capture_on_commit_callbacks(execute=False):
        response = api.post_json(f"/api/scenarios/{saved.pk}/sweeps", body)
    sweep_id = response.json()["sweep_id"]
    running = api.get(f"/api/sweeps/{sweep_id}").json()
    assert running["status"] == "running"
    assert running["done"] == 0
    sweep = Sweep.objects.get(pk=sweep_id)
    for i in range(2):
        for seed in (1, 2, 3):
            assert point_run(sweep_id=sweep_id, value_index=i, seed=seed) is not None
    assert point_run(sweep_id=sweep_id, value_index=0, seed=1) is None  # re-delivery: no-op
    view = api.get(f"/api/sweeps/{sweep.pk}").json()
    assert view["status"] == "done"
    assert view["done"] == view["total"] == 6
    one, three = view["values"]
    assert one["n"] == three["n"] == 3
    assert three["mean"] < one["mean"]  # more workers, shorter tail
    assert one["ci95_low"] < one["mean"] < one["ci95_high"]


def test_unknown_sweep_is_404(api, db):
    assert api.get(f"/api/sweeps/{uuid.uuid4()}").status_code == 404
    assert api.get("/api/sweeps/xyz").status_code == 404
