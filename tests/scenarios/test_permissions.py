"""The permission matrix: owner / edit token / viewer / anonymous x view, edit, run, fork, rotate.

- owner: the browser session that created the scenario (cookies + CSRF token);
- edit token: a script without cookies sending ``X-Edit-Token``;
- viewer: another browser session that knows the share link;
- anonymous: a script without cookies or token.

Every cell is exercised over HTTP and checked against what the database holds afterwards.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from apps.runs.models import Run
from apps.scenarios.models import Scenario

pytestmark = pytest.mark.django_db

ACTORS = ("owner", "edit_token", "viewer", "anonymous")
ALLOWED: dict[str, set[str]] = {
    "view": set(ACTORS),
    "run": set(ACTORS),
    "fork": set(ACTORS),
    "edit": {"owner", "edit_token"},
    "rotate": {"owner", "edit_token"},
    "revoke": {"owner", "edit_token"},
    "rotate_link": {"owner", "edit_token"},
}


class Actor:
    """A client plus the headers it sends on every request."""

    def __init__(self, client: Client, headers: dict[str, str]) -> None:
        self.client = client
        self.headers = headers

    def call(self, method: str, path: str, body: Any = None) -> Any:
        kwargs: dict[str, Any] = dict(self.headers)
        if body is not None:
            kwargs.update(data=json.dumps(body), content_type="application/json")
        return getattr(self.client, method)(path, **kwargs)


def _browser() -> tuple[Client, dict[str, str]]:
    client = Client(enforce_csrf_checks=True)
    client.get("/")  # sets the CSRF cookie, as the studio page does
    return client, {"HTTP_X_CSRFTOKEN": client.cookies["csrftoken"].value}


@pytest.fixture
def world(scenario_data) -> dict[str, Any]:
    owner_client, owner_headers = _browser()
    created = Actor(owner_client, owner_headers).call("post", "/api/scenarios", scenario_data)
    assert created.status_code == 201, created.content
    body = created.json()
    viewer_client, viewer_headers = _browser()
    token = {"HTTP_X_EDIT_TOKEN": body["edit_token"]}
    actors = {
        "owner": Actor(owner_client, owner_headers),
        "edit_token": Actor(Client(enforce_csrf_checks=True), token),
        "viewer": Actor(viewer_client, viewer_headers),
        "anonymous": Actor(Client(enforce_csrf_checks=True), {}),
    }  # fmt: skip
    return {"id": body["id"], "slug": body["slug"], "data": scenario_data, "actors": actors}


def _do(action: str, actor: Actor, world: dict[str, Any]) -> Any:
    sid = world["id"]
    edited = {**world["data"], "name": "edited"}
    return {
        "view": lambda: actor.call("get", f"/api/scenarios/{sid}"),
        "edit": lambda: actor.call("put", f"/api/scenarios/{sid}", edited),
        "run": lambda: actor.call("post", f"/api/scenarios/{sid}/runs"),
        "fork": lambda: actor.call("post", f"/api/scenarios/{sid}/fork"),
        "rotate": lambda: actor.call("post", f"/api/scenarios/{sid}/edit-token"),
        "revoke": lambda: actor.call("delete", f"/api/scenarios/{sid}/edit-token"),
        "rotate_link": lambda: actor.call("post", f"/api/scenarios/{sid}/share-link"),
    }[action]()


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("action", sorted(ALLOWED))
def test_permission_matrix(world, action, actor):
    before = Scenario.objects.get(pk=world["id"])
    resp = _do(action, world["actors"][actor], world)
    after = Scenario.objects.get(pk=world["id"])
    if actor in ALLOWED[action]:
        assert resp.status_code < 300, (action, actor, resp.status_code, resp.content)
        return
    assert resp.status_code == 403, (action, actor, resp.status_code, resp.content)
    assert set(resp.json()) == {"error", "details"}
    # A refused request changes nothing.
    assert (after.revision, after.name, after.slug, after.edit_token_hash) == (
        before.revision,
        before.name,
        before.slug,
        before.edit_token_hash,
    )
    assert Run.objects.count() == 0
    assert Scenario.objects.count() == 1


def test_a_page_with_a_read_only_link_says_it_cannot_edit(world):
    page = world["actors"]["viewer"].call("get", f"/s/{world['slug']}")
    assert page.status_code == 200
    assert b'"can_edit": false' in page.content
    page = world["actors"]["owner"].call("get", f"/s/{world['slug']}")
    assert b'"can_edit": true' in page.content


def test_rotating_the_edit_token_retires_the_old_one(world):
    sid, old = world["id"], world["actors"]["edit_token"]
    resp = old.call("post", f"/api/scenarios/{sid}/edit-token")
    assert resp.status_code == 201
    new_token = resp.json()["edit_token"]
    assert len(new_token) >= 43  # 32 random bytes, url-safe base64: 256 bits
    edited = {**world["data"], "name": "by the old token"}
    assert old.call("put", f"/api/scenarios/{sid}", edited).status_code == 403
    fresh = Actor(Client(), {"HTTP_X_EDIT_TOKEN": new_token})
    assert fresh.call("put", f"/api/scenarios/{sid}", edited).status_code == 200
    # The token is stored hashed: the database never holds it in clear.
    row = Scenario.objects.filter(pk=sid).values().get()
    assert new_token not in json.dumps(row, default=str)


def test_revoking_the_edit_token_leaves_the_owner_session(world):
    sid = world["id"]
    token_actor, owner = world["actors"]["edit_token"], world["actors"]["owner"]
    assert token_actor.call("delete", f"/api/scenarios/{sid}/edit-token").status_code == 204
    edited = {**world["data"], "name": "after revoke"}
    assert token_actor.call("put", f"/api/scenarios/{sid}", edited).status_code == 403
    assert owner.call("put", f"/api/scenarios/{sid}", edited).status_code == 200


def test_rotating_the_share_link_makes_the_old_one_404(world):
    owner = world["actors"]["owner"]
    resp = owner.call("post", f"/api/scenarios/{world['id']}/share-link")
    assert resp.status_code == 201
    new = resp.json()
    assert new["slug"] != world["slug"]
    assert new["share_url"] == f"/s/{new['slug']}"
    assert owner.call("get", f"/s/{world['slug']}").status_code == 404
    assert owner.call("get", new["share_url"]).status_code == 200


def test_the_edit_token_in_the_query_string_grants_nothing(world):
    token = world["actors"]["edit_token"].headers["HTTP_X_EDIT_TOKEN"]
    sid = world["id"]
    anon = world["actors"]["anonymous"]
    edited = {**world["data"], "name": "via query"}
    resp = anon.call("put", f"/api/scenarios/{sid}?edit_token={token}", edited)
    assert resp.status_code == 403
    assert anon.call("get", f"/api/scenarios/{sid}?edit_token={token}").json()["can_edit"] is False
