"""The runs HTTP API: start (202/400/404/503), read, cancel, frames."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from apps.runs.models import Run
from apps.runs.services import run_execute

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def test_start_answers_202_with_a_ws_path(api, saved_scenario):
    resp = api.post(f"/api/scenarios/{saved_scenario.id}/runs")
    assert resp.status_code == 202, resp.content
    body = resp.json()
    assert body["ws_url"] == f"/ws/runs/{body['run_id']}"
    assert body["status"] == "queued"
    run = Run.objects.get(pk=body["run_id"])
    assert run.seed == 7
    assert run.duration_s == 2
    assert run.scenario_snapshot == saved_scenario.data


def test_start_accepts_seed_and_duration_overrides(api, saved_scenario):
    resp = api.post_json(f"/api/scenarios/{saved_scenario.id}/runs", {"seed": 9, "duration_s": 1})
    run = Run.objects.get(pk=resp.json()["run_id"])
    assert (run.seed, run.duration_s) == (9, 1.0)


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        ({"seed": "nine"}, "seed"),
        ({"duration_s": 999999}, "duration_s"),
        ({"seed": -1}, "seed"),
        ({"speed": 2}, "speed"),
    ],
)
def test_start_rejects_bad_options_naming_them(api, saved_scenario, body, loc):
    resp = api.post_json(f"/api/scenarios/{saved_scenario.id}/runs", body)
    assert resp.status_code == 400
    assert loc in resp.json()["error"]
    assert Run.objects.count() == 0


def test_start_on_unknown_scenario_is_404(api):
    assert api.post("/api/scenarios/nope/runs").status_code == 404


def test_get_run_and_frames_after_it_ran(api, saved_scenario):
    run_id = api.post(f"/api/scenarios/{saved_scenario.id}/runs").json()["run_id"]
    run_execute(run_id=run_id, publish=lambda batch: None)
    body = api.get(f"/api/runs/{run_id}").json()
    assert body["status"] == "done"
    assert body["scenario_id"] == saved_scenario.id
    assert body["result"]["format"] == "topolab.result/1"
    last = body["last_seq"]
    frames = api.get(f"/api/runs/{run_id}/frames?after={last - 3}").json()
    assert [m["seq"] for m in frames["messages"]] == [last - 2, last - 1, last]
    assert frames["last_seq"] == last
    assert frames["messages"][-1]["type"] == "done"
    page = api.get(f"/api/runs/{run_id}/frames?after=0&limit=2").json()
    assert [m["seq"] for m in page["messages"]] == [1, 2]


def test_cancel_endpoint(api, saved_scenario):
    run_id = api.post(f"/api/scenarios/{saved_scenario.id}/runs").json()["run_id"]
    resp = api.post(f"/api/runs/{run_id}/cancel")
    assert resp.status_code == 202
    assert resp.json() == {"status": "cancelled"}
    assert api.post(f"/api/runs/{run_id}/cancel").json() == {"status": "cancelled"}


def test_forking_a_run_copies_what_ran_not_what_the_scenario_became(api, queued_run):
    from apps.scenarios.models import Scenario
    from apps.scenarios.services import scenario_update

    ran = queued_run.scenario_snapshot
    later = {**ran, "name": "changed after the run", "nodes": ran["nodes"][:1], "edges": []}
    scenario_update(scenario=queued_run.scenario, data=later)

    resp = api.post(f"/api/runs/{queued_run.pk}/fork")
    assert resp.status_code == 201, resp.content
    body = resp.json()
    copy = Scenario.objects.get(pk=body["id"])
    assert copy.data == ran
    assert copy.forked_from_id == queued_run.scenario_id
    assert len(body["edit_token"]) >= 43  # 32 random bytes, shown this once
    assert api.post("/api/runs/00000000-0000-0000-0000-000000000000/fork").status_code == 404


@pytest.mark.parametrize("run_id", ["not-a-uuid", "00000000-0000-0000-0000-000000000000"])
def test_unknown_run_is_404(api, run_id):
    for resp in (
        api.get(f"/api/runs/{run_id}"),
        api.post(f"/api/runs/{run_id}/cancel"),
        api.get(f"/api/runs/{run_id}/frames"),
    ):
        assert resp.status_code == 404
        assert resp.json()["error"]


_BROKER_DOWN = textwrap.dedent(
    """
    import json, django
    django.setup()
    from django.test import Client
    from apps.runs.models import Run
    from apps.scenarios.services import scenario_create
    data = json.loads(open("apps/scenarios/templates_data/client-server.json").read())
    data.pop("meta")
    scenario, _ = scenario_create(data=data, session_key=None)
    resp = Client(HTTP_HOST="localhost").post(f"/api/scenarios/{scenario.id}/runs")
    runs = list(Run.objects.values_list("status", flat=True))
    print(json.dumps({"status": resp.status_code, "retry": resp.get("Retry-After"),
                      "body": resp.json(), "runs": runs}))
    """
)


def test_broker_down_is_503_with_retry_after_and_no_queued_run(tmp_path):
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        CELERY_BROKER_URL="redis://127.0.0.1:1/0",  # nothing listens on port 1
        ALLOWED_HOSTS="localhost",
        DEBUG="true",
    )
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "-v", "0"], cwd=ROOT, env=env, check=True, timeout=120)
    out = subprocess.run(
        [sys.executable, "-c", _BROKER_DOWN],
        cwd=ROOT, env=env, check=True, timeout=120, capture_output=True, text=True,
    )  # fmt: skip
    import json

    report = json.loads(out.stdout.strip().splitlines()[-1])
    assert report["status"] == 503, report
    assert report["retry"]
    assert int(report["retry"]) > 0
    assert set(report["body"]) == {"error", "details"}
    assert report["runs"] == ["failed"]
