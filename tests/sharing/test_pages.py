"""Moment links, the embed page (framing headers), /me with sign-in, and the runs listing."""

from __future__ import annotations

import json
import re
import uuid

import pytest
from django.contrib.auth import get_user_model

from apps.runs.models import Run
from apps.scenarios.models import Scenario
from apps.sharing.moment import parse_moment

pytestmark = pytest.mark.django_db


def _boot(html: str) -> dict:
    match = re.search(r'<script id="topolab-boot" type="application/json">(.*?)</script>', html)
    assert match, html
    return json.loads(match.group(1))


def _run(scenario: Scenario, **fields) -> Run:
    defaults = {
        "scenario_snapshot": scenario.data,
        "seed": 7,
        "duration_s": 20.0,
        "status": Run.Status.DONE,
        "result": {"sim_time_s": 20.0, "summary": {"requests": 10}},
    }
    return Run.objects.create(scenario=scenario, **{**defaults, **fields})


@pytest.fixture
def saved(api, scenario_data) -> Scenario:
    created = api.post_json("/api/scenarios", scenario_data).json()
    return Scenario.objects.get(pk=created["id"])


@pytest.mark.parametrize(
    ("raw", "t", "says"),
    [
        (None, 0.0, ""),
        ("12.5", 12.5, ""),
        ("0", 0.0, ""),
        ("20", 20.0, ""),
        ("nan", 0.0, "not a finite number"),
        ("inf", 0.0, "not a finite number"),
        ("abc", 0.0, "not a number"),
        ("-3", 0.0, "before the start"),
        ("99", 20.0, "beyond the end of this run (20 s)"),
    ],
)
def test_parse_moment_clamps_and_explains(raw, t, says):
    moment = parse_moment(raw, 20.0)
    assert moment.t == t
    assert (says in moment.message) if says else moment.message == ""


def test_moment_link_boots_a_read_only_replay_of_the_snapshot(api, saved):
    run = _run(saved, scenario_snapshot={**saved.data, "name": "as it ran"})
    resp = api.get(f"/r/{run.pk}?t=12.5")
    assert resp.status_code == 200
    assert resp["X-Frame-Options"] == "DENY"
    boot = _boot(resp.content.decode())
    assert boot["scenario"]["name"] == "as it ran"
    assert boot["can_edit"] is False
    assert boot["slug"] == saved.slug
    assert boot["replay"] == {
        "run_id": str(run.pk), "t": 12.5, "end": 20.0, "status": "done", "message": "",
    }  # fmt: skip


def test_moment_link_with_a_bad_t_clamps_with_a_message(api, saved):
    run = _run(saved)
    boot = _boot(api.get(f"/r/{run.pk}?t=500").content.decode())
    assert boot["replay"]["t"] == 20.0
    assert "beyond the end" in boot["replay"]["message"]
    boot = _boot(api.get(f"/r/{run.pk}?t=NaN").content.decode())
    assert boot["replay"]["t"] == 0.0
    assert "not a finite number" in boot["replay"]["message"]


def test_unknown_or_malformed_run_is_a_404_page(api):
    assert api.get(f"/r/{uuid.uuid4()}").status_code == 404
    assert api.get("/r/not-a-uuid").status_code == 404


def test_embed_may_be_framed_anywhere_and_nothing_else_may(api, saved):
    resp = api.get(f"/embed/{saved.slug}")
    assert resp.status_code == 200
    assert "X-Frame-Options" not in resp
    csp = resp["Content-Security-Policy"]
    assert "frame-ancestors *" in csp
    assert "script-src 'self'" in csp  # framing allowed, nothing else loosened
    boot = _boot(resp.content.decode())
    assert boot["embed"] is True
    assert boot["can_edit"] is False
    for path in ("/", saved.share_url, "/me", "/accounts/login/"):
        other = api.get(path)
        assert other.status_code == 200, path
        assert other["X-Frame-Options"] == "DENY", path
        assert "frame-ancestors 'none'" in other["Content-Security-Policy"], path
    assert api.get("/embed/nope").status_code == 404


def test_me_asks_anonymous_users_to_sign_in(api):
    html = api.get("/me").content.decode()
    assert 'data-testid="me-signin-prompt"' in html
    assert "/accounts/login/?next=/me" in html


def test_me_lists_the_users_scenarios_and_runs_after_sign_in(client, scenario_data):
    get_user_model().objects.create_user("ada", password="correct horse 42")
    other = Scenario.objects.create(name="not mine", data=scenario_data, edit_token_hash="x")
    _run(other)
    resp = client.post(
        "/accounts/login/", {"username": "ada", "password": "correct horse 42", "next": "/me"}
    )
    assert resp.status_code == 302
    assert resp["Location"] == "/me"
    created = client.post(
        "/api/scenarios",
        data=json.dumps({**scenario_data, "name": "Ada's <b>tier</b>"}),
        content_type="application/json",
    ).json()
    mine = Scenario.objects.get(pk=created["id"])
    assert mine.owner is not None
    run = _run(mine)
    html = client.get("/me").content.decode()
    assert f'data-testid="my-scenario-{mine.id}"' in html
    assert "Ada&#x27;s &lt;b&gt;tier&lt;/b&gt;" in html  # escaped
    assert f'href="/r/{run.pk}"' in html
    assert "not mine" not in html
    assert client.post("/accounts/logout/").status_code == 302
    assert 'data-testid="me-signin-prompt"' in client.get("/me").content.decode()


def test_wrong_password_re_shows_the_form_with_an_error(client):
    get_user_model().objects.create_user("ada", password="correct horse 42")
    resp = client.post("/accounts/login/", {"username": "ada", "password": "nope"})
    assert resp.status_code == 200
    assert 'data-testid="login-error"' in resp.content.decode()


def test_runs_listing_newest_first_and_validated(api, saved):
    first = _run(saved, seed=1)
    second = _run(saved, seed=2, status=Run.Status.RUNNING, result=None)
    body = api.get(f"/api/runs?scenario={saved.id}").json()
    assert [r["id"] for r in body["runs"]] == [str(second.pk), str(first.pk)]
    assert body["runs"][1]["summary"] == {"requests": 10}
    assert body["runs"][0]["summary"] is None
    missing = api.get("/api/runs?scenario=zzzz")
    assert missing.status_code == 404
    assert "zzzz" in missing.json()["error"]
    assert api.get("/api/runs").status_code in (400, 422)


def test_moment_message_cannot_inject_markup(api, saved):
    run = _run(saved)
    html = api.get(f"/r/{run.pk}", {"t": "</script><img src=x onerror=alert(1)>"}).content.decode()
    assert "<img src=x" not in html
    boot = _boot(html)
    assert boot["replay"]["t"] == 0.0
    assert "<img src=x onerror" in boot["replay"]["message"]  # kept as text, shown by React
