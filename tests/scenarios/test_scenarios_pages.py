"""Studio pages, the schema and templates endpoints, the health check."""

from __future__ import annotations

import json
import re

import pytest

from apps.engine import parse_scenario
from apps.scenarios import gallery

pytestmark = pytest.mark.django_db


def _boot(html: str) -> dict:
    match = re.search(r'<script id="topolab-boot" type="application/json">(.*?)</script>', html)
    assert match, html
    return json.loads(match.group(1))


def test_studio_renders_with_null_boot_data_and_sets_the_csrf_cookie(api):
    resp = api.get("/")
    assert resp.status_code == 200
    html = resp.content.decode()
    assert "/static/app/studio.js" in html
    assert 'type="module"' in html
    assert "/static/app/studio.css" in html
    assert _boot(html) == {
        "scenario_id": None, "slug": None, "scenario": None, "can_edit": None, "revision": None,
    }  # fmt: skip
    assert "csrftoken" in resp.cookies
    assert resp["X-Frame-Options"] == "DENY"


def test_shared_scenario_page_boots_with_it_and_escapes_labels(api, scenario_data):
    created = api.post_json("/api/scenarios", scenario_data).json()
    resp = api.get(created["share_url"])
    html = resp.content.decode()
    assert "</script><b>Users</b>" not in html  # the label cannot break out of the tag
    boot = _boot(html)
    assert boot["scenario_id"] == created["id"]
    assert boot["slug"] == created["slug"]
    assert boot["scenario"] == scenario_data
    assert boot["can_edit"] is False
    assert boot["revision"] == 1  # the first save's If-Match


def test_unknown_slug_is_404(api):
    assert api.get("/s/does-not-exist").status_code == 404


def test_schema_endpoint_serves_the_engine_schema(api):
    resp = api.get("/api/schema/scenario.json")
    assert resp.status_code == 200
    schema = resp.json()
    assert schema.get("$schema", "").startswith("https://json-schema.org/")
    assert "nodes" in json.dumps(schema)


def test_templates_list_and_each_template_validates(api):
    listing = api.get("/api/templates").json()
    names = {t["name"] for t in listing}
    assert {"client-server", "three-services-chain"} <= names
    for entry in listing:
        assert set(entry) == {"name", "title", "description"}
        assert entry["title"]
        scenario = api.get(f"/api/templates/{entry['name']}").json()
        assert "meta" not in scenario
        parse_scenario(scenario)


def test_every_template_file_validates():
    for template in gallery.template_list():
        parse_scenario(template.scenario)


def test_unknown_template_is_404(api):
    resp = api.get("/api/templates/nope")
    assert resp.status_code == 404
    assert resp.json()["error"]


def test_healthz(api):
    resp = api.get("/healthz")
    assert resp.status_code == 200
    assert resp.json() == {"status": "ok"}


# A studio node card is about 160 x 48 px; templates open at their saved layout.
CARD_W, CARD_H = 170, 52


def test_every_template_has_a_layout_without_overlapping_nodes():
    for template in gallery.template_list():
        nodes = template.scenario["nodes"]
        assert all(n.get("x") is not None and n.get("y") is not None for n in nodes), template.name
        overlaps = [
            (a["id"], b["id"])
            for i, a in enumerate(nodes)
            for b in nodes[i + 1 :]
            if abs(a["x"] - b["x"]) < CARD_W and abs(a["y"] - b["y"]) < CARD_H
        ]
        assert not overlaps, f"{template.name}: nodes overlap: {overlaps[:3]}"
