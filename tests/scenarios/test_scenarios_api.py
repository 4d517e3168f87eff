"""The scenarios HTTP API: create, read, update, fork, errors, CSRF (architecture §3)."""

from __future__ import annotations

import json

import pytest
from django.test import override_settings

from apps.scenarios.models import Scenario

pytestmark = pytest.mark.django_db


def test_create_returns_ids_share_url_and_a_one_time_token(api, scenario_data):
    resp = api.post_json("/api/scenarios", scenario_data)
    assert resp.status_code == 201, resp.content
    body = resp.json()
    assert set(body) == {"id", "slug", "share_url", "edit_token", "revision"}
    assert body["share_url"] == f"/s/{body['slug']}"
    assert body["revision"] == 1
    assert len(body["slug"]) >= 12
    assert len(body["edit_token"]) >= 40
    saved = Scenario.objects.get(pk=body["id"])
    assert body["edit_token"] not in saved.edit_token_hash  # stored hashed only
    assert saved.data == scenario_data


def test_get_returns_the_scenario_without_the_token(api, scenario_data):
    created = api.post_json("/api/scenarios", scenario_data).json()
    resp = api.get(f"/api/scenarios/{created['id']}")
    assert resp.status_code == 200
    body = resp.json()
    assert body["scenario"] == scenario_data
    assert body["can_edit"] is False
    assert "edit_token" not in body
    with_token = api.get(f"/api/scenarios/{created['id']}", HTTP_X_EDIT_TOKEN=created["edit_token"])
    assert with_token.json()["can_edit"] is True


def test_put_with_the_edit_token_bumps_the_revision(api, scenario_data):
    created = api.post_json("/api/scenarios", scenario_data).json()
    scenario_data["name"] = "renamed"
    resp = api.put_json(
        f"/api/scenarios/{created['id']}", scenario_data, HTTP_X_EDIT_TOKEN=created["edit_token"]
    )
    assert resp.status_code == 200, resp.content
    assert resp.json()["revision"] == 2
    assert resp.json()["scenario"]["name"] == "renamed"
    assert Scenario.objects.get(pk=created["id"]).name == "renamed"


@pytest.mark.parametrize("token", [None, "wrong-token"])
def test_put_without_the_right_is_403(api, scenario_data, token):
    created = api.post_json("/api/scenarios", scenario_data).json()
    extra = {"HTTP_X_EDIT_TOKEN": token} if token else {}
    resp = api.put_json(f"/api/scenarios/{created['id']}", scenario_data, **extra)
    assert resp.status_code == 403
    assert set(resp.json()) == {"error", "details"}
    assert Scenario.objects.get(pk=created["id"]).revision == 1


def test_the_creating_browser_session_may_edit_without_a_token(browser, scenario_data):
    browser.get("/")  # the studio page sets the CSRF cookie
    csrf = browser.cookies["csrftoken"].value
    created = browser.post_json("/api/scenarios", scenario_data, HTTP_X_CSRFTOKEN=csrf).json()
    assert "sessionid" in browser.cookies
    resp = browser.put_json(f"/api/scenarios/{created['id']}", scenario_data, HTTP_X_CSRFTOKEN=csrf)
    assert resp.status_code == 200, resp.content
    assert browser.get(f"/api/scenarios/{created['id']}").json()["can_edit"] is True


def test_invalid_scenario_is_400_naming_the_node_and_field(api, scenario_data):
    scenario_data["nodes"][1]["params"]["workers"] = 0
    resp = api.post_json("/api/scenarios", scenario_data)
    assert resp.status_code == 400
    body = resp.json()
    assert "api-1" in body["error"]
    assert "workers" in body["error"]
    assert body["details"][0]["loc"] == "nodes[1].params.workers"


def test_unknown_key_is_rejected_by_name(api, scenario_data):
    scenario_data["colour"] = "blue"
    resp = api.post_json("/api/scenarios", scenario_data)
    assert resp.status_code == 400
    assert "colour" in resp.json()["error"]


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        (b"{not json", "invalid JSON"),
        (b'{"format": "topolab/1", "format": "topolab/1"}', "duplicate key"),
        (b'{"x": NaN}', "NaN"),
        (b"[" * 100_000 + b"]" * 100_000, "invalid JSON"),
        (b'{"name": "a\\u0000b"}', "NUL"),
        (b"\xff\xfe", "UTF-8"),
        (b"", "empty"),
    ],
)
def test_malformed_json_is_400(api, body, fragment):
    resp = api.post("/api/scenarios", data=body, content_type="application/json")
    assert resp.status_code == 400
    assert fragment in resp.json()["error"]
    assert isinstance(resp.json()["details"], list)


@override_settings(MAX_SCENARIO_BYTES=4096, DATA_UPLOAD_MAX_MEMORY_SIZE=4096)
def test_body_over_the_limit_is_413(api, scenario_data):
    scenario_data["name"] = "x" * 5000
    resp = api.post_json("/api/scenarios", scenario_data)
    assert resp.status_code == 413
    assert resp.json()["details"] == [{"max_bytes": 4096}]
    assert Scenario.objects.count() == 0


def test_unknown_scenario_is_404(api, scenario_data):
    assert api.get("/api/scenarios/nope").status_code == 404
    resp = api.put_json("/api/scenarios/nope", scenario_data)
    assert resp.status_code == 404
    assert resp.json()["error"]


def test_fork_copies_into_a_new_scenario_with_its_own_token(api, scenario_data):
    created = api.post_json("/api/scenarios", scenario_data).json()
    resp = api.post(f"/api/scenarios/{created['id']}/fork")
    assert resp.status_code == 201
    fork = resp.json()
    assert fork["id"] != created["id"]
    assert fork["edit_token"] != created["edit_token"]
    assert Scenario.objects.get(pk=fork["id"]).forked_from_id == created["id"]


def test_browser_session_without_csrf_token_is_403(browser, scenario_data):
    browser.get("/")
    resp = browser.post_json("/api/scenarios", scenario_data)
    assert resp.status_code == 403
    assert "CSRF" in resp.json()["error"]
    assert Scenario.objects.count() == 0


def test_script_without_cookies_needs_no_csrf_token(scenario_data):
    from django.test import Client

    script = Client(enforce_csrf_checks=True)
    resp = script.post(
        "/api/scenarios", data=json.dumps(scenario_data), content_type="application/json"
    )
    assert resp.status_code == 201, resp.content
    assert "sessionid" not in script.cookies  # scripts get no session


def test_ninja_validation_errors_use_the_error_shape(api):
    resp = api.get("/api/runs/00000000-0000-0000-0000-000000000000/frames?after=-1")
    assert resp.status_code == 400
    body = resp.json()
    assert set(body) == {"error", "details"}
    assert "after" in body["error"]


def test_openapi_docs_are_served(api):
    assert api.get("/api/docs").status_code == 200
    schema = api.get("/api/openapi.json").json()
    assert "/api/scenarios" in schema["paths"]
    assert "/api/runs/{run_id}" in schema["paths"]
