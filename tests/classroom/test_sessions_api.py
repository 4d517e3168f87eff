"""POST /api/sessions, GET /api/sessions/{code}, the join pages."""

from __future__ import annotations

import hashlib
import json

import pytest

from apps.classroom.models import CODE_ALPHABET, Session, new_code
from tests.classroom.conftest import TOUR, classroom_scenario

pytestmark = pytest.mark.django_db


def test_create_session_returns_code_join_url_and_token(api, scenario):
    response = api.post_json("/api/sessions", {"scenario": scenario.pk})
    assert response.status_code == 201, response.content
    body = response.json()
    assert len(body["code"]) == 6
    assert set(body["code"]) <= set(CODE_ALPHABET)
    assert body["join_url"] == f"/join/{body['code']}"
    assert body["ws_url"] == f"/ws/sessions/{body['code']}"
    assert len(body["presenter_token"]) >= 22  # >= 128 bits of url-safe base64
    session = Session.objects.get(code=body["code"])
    assert (
        session.presenter_token_hash == hashlib.sha256(body["presenter_token"].encode()).hexdigest()
    )
    assert body["presenter_token"] not in json.dumps(
        {"h": session.presenter_token_hash, "s": session.state}
    )
    info = api.get(f"/api/sessions/{body['code'].lower()}").json()
    assert info["scenario_id"] == scenario.pk
    assert info["steps"] == 0
    assert "presenter_token" not in info


def test_codes_avoid_ambiguous_letters():
    codes = {new_code() for _ in range(2000)}
    assert len(codes) > 1990
    assert not set("".join(codes)) & set("01OIL")


def test_a_code_held_by_a_live_session_is_not_reissued(api, scenario, monkeypatch):
    first = api.post_json("/api/sessions", {"scenario": scenario.pk}).json()["code"]
    draws = iter([first, first, "ZZZZZ2"])
    monkeypatch.setattr("apps.classroom.models.new_code", lambda: next(draws))
    second = api.post_json("/api/sessions", {"scenario": scenario.pk})
    assert second.status_code == 201
    assert second.json()["code"] == "ZZZZZ2"


def test_create_with_a_tour_validates_it(api, scenario):
    ok = api.post_json("/api/sessions", {"scenario": scenario.pk, "tour": TOUR})
    assert ok.status_code == 201
    assert Session.objects.get(code=ok.json()["code"]).tour[1]["question"]["answer"] == 1
    bad_cases = [
        ([{"text": "x", "highlight": ["nope"]}], "tour[0].highlight: unknown node 'nope'"),
        ([{"text": ""}], "tour[0].text"),
        ([{"text": "x", "question": {"prompt": "p", "choices": ["a"]}}], "choices"),
        ([{"text": "x", "question": {"prompt": "p", "choices": ["a", "b"], "answer": 2}}],
         "answer: must index"),
        ([{"text": "x", "action": {"run_to": 5, "fault": {"action": "heal"}}}], "exactly one"),
        ([{"text": "x", "extra": 1}], "extra"),
        ("steps", "tour: must be a list"),
    ]  # fmt: skip
    for tour, needle in bad_cases:
        response = api.post_json("/api/sessions", {"scenario": scenario.pk, "tour": tour})
        assert response.status_code == 400, tour
        assert needle in response.json()["error"], response.json()


def test_a_session_without_a_tour_takes_the_scenarios_own(api):
    from apps.scenarios.services import scenario_create

    data = {**classroom_scenario(), "tour": TOUR}
    saved, _ = scenario_create(data=data, session_key=None)
    plain = api.post_json("/api/sessions", {"scenario": saved.pk})
    assert plain.status_code == 201, plain.content
    assert api.get(f"/api/sessions/{plain.json()['code']}").json()["steps"] == 3
    session = Session.objects.get(code=plain.json()["code"])
    assert session.tour[1]["action"] == {"fault": {"action": "crash", "node": "db"}}
    assert session.tour[1]["question"]["answer"] == 1
    own = [{"text": "Only this step.", "highlight": ["users"]}]
    override = api.post_json("/api/sessions", {"scenario": saved.pk, "tour": own})
    assert Session.objects.get(code=override.json()["code"]).tour == own
    none = api.post_json("/api/sessions", {"scenario": saved.pk, "tour": []})
    assert Session.objects.get(code=none.json()["code"]).tour == []


def test_a_scenario_with_a_bad_tour_is_refused_when_saved(api):
    data = {**classroom_scenario(), "tour": [{"text": "x", "highlight": ["ghost"]}]}
    response = api.post_json("/api/scenarios", data)
    assert response.status_code == 400
    assert response.json()["error"] == "tour[0].highlight: unknown node 'ghost'"
    assert response.json()["details"][0]["loc"] == "tour[0].highlight"


def test_create_errors(api, scenario):
    assert api.post_json("/api/sessions", {"scenario": "missing"}).status_code == 404
    assert api.post_json("/api/sessions", {}).status_code == 400
    assert api.post_json("/api/sessions", {"scenario": scenario.pk, "x": 1}).status_code == 400
    assert api.post_json("/api/sessions", [1]).status_code == 400
    assert api.get("/api/sessions/ABCDEF").status_code == 404


def test_join_pages(api, scenario):
    code = api.post_json("/api/sessions", {"scenario": scenario.pk}).json()["code"]
    form = api.get("/join")
    assert form.status_code == 200
    assert b'name="code"' in form.content
    assert api.get(f"/join?code={code.lower()}")["Location"] == f"/join/{code}"
    assert api.get("/join?code=QQQQQQ").status_code == 404
    page = api.get(f"/join/{code}")
    assert page.status_code == 200
    html = page.content.decode()
    assert "&lt;i&gt;Class&lt;/i&gt; demo" in html  # the scenario name, escaped
    assert "<i>Class</i>" not in html.split('id="topolab-boot"')[1].split("</script>")[0]
    boot = json.loads(
        html.split('id="topolab-boot" type="application/json">')[1].split("</script>")[0]
    )
    assert boot["session"] == {"code": code, "ws_url": f"/ws/sessions/{code}", "follow": True,
                               "steps": 0}  # fmt: skip
    assert boot["scenario_id"] == scenario.pk
    assert boot["can_edit"] is False
    assert api.get("/join/QQQQQQ").status_code == 404
