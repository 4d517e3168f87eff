"""Lost-update protection: the revision is the ETag; If-Match makes a save conditional."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def saved(api, scenario_data):
    created = api.post_json("/api/scenarios", scenario_data).json()
    return created, {"HTTP_X_EDIT_TOKEN": created["edit_token"]}


def test_get_and_put_carry_the_revision_as_etag(api, scenario_data, saved):
    created, auth = saved
    got = api.get(f"/api/scenarios/{created['id']}")
    assert got["ETag"] == '"1"'
    put = api.put_json(f"/api/scenarios/{created['id']}", scenario_data, **auth)
    assert put.status_code == 200
    assert put["ETag"] == '"2"'
    assert put.json()["revision"] == 2


def test_a_stale_save_is_refused_with_412_and_nothing_is_written(api, scenario_data, saved):
    created, auth = saved
    url = f"/api/scenarios/{created['id']}"
    first = dict(scenario_data, name="first editor")
    second = dict(scenario_data, name="second editor")
    # both editors loaded revision 1; the first saves, the second must not overwrite it
    assert api.put_json(url, first, HTTP_IF_MATCH='"1"', **auth).status_code == 200
    stale = api.put_json(url, second, HTTP_IF_MATCH='"1"', **auth)
    assert stale.status_code == 412
    body = stale.json()
    assert "revision 2" in body["error"]
    assert body["details"][0]["current"] == 2
    assert stale["ETag"] == '"2"'
    now = api.get(url).json()
    assert now["revision"] == 2
    assert now["scenario"]["name"] == "first editor"
    # reapplied on the current revision it goes through
    assert api.put_json(url, second, HTTP_IF_MATCH='W/"2"', **auth).status_code == 200


@pytest.mark.parametrize("header", ['"abc"', "3; drop table", '"-1"', '"99999999999999999999"'])
def test_a_malformed_if_match_is_400_and_nothing_is_written(api, scenario_data, saved, header):
    created, auth = saved
    url = f"/api/scenarios/{created['id']}"
    resp = api.put_json(url, dict(scenario_data, name="x"), HTTP_IF_MATCH=header, **auth)
    assert resp.status_code == 400
    assert "If-Match" in resp.json()["error"]
    assert api.get(url).json()["revision"] == 1


def test_without_if_match_a_save_is_unconditional(api, scenario_data, saved):
    created, auth = saved
    url = f"/api/scenarios/{created['id']}"
    for _ in range(2):
        assert api.put_json(url, scenario_data, **auth).status_code == 200
    assert api.put_json(url, scenario_data, HTTP_IF_MATCH="*", **auth).status_code == 200
    assert api.get(url).json()["revision"] == 4
