"""CSRF on every state-changing endpoint: a browser session without the token is refused.

The list of endpoints comes from the OpenAPI schema itself, so a new POST/PUT/DELETE route is
covered the day it is added.
"""

from __future__ import annotations

import pytest
from django.test import Client

from config.api import api

pytestmark = pytest.mark.django_db

UNSAFE = ("post", "put", "patch", "delete")
OPERATIONS = sorted(
    (method, path)
    for path, item in api.get_openapi_schema()["paths"].items()
    for method in item
    if method in UNSAFE
)


def test_there_are_state_changing_endpoints_to_check():
    assert len(OPERATIONS) >= 8


@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_browser_session_without_csrf_token_is_refused(scenario_data, method, path):
    browser = Client(enforce_csrf_checks=True)
    browser.get("/")
    browser.session.save()  # a session cookie: the request looks like a logged-in browser's
    browser.cookies["sessionid"] = browser.session.session_key
    url = path.replace("{", "").replace("}", "")  # placeholders become literal ids
    resp = getattr(browser, method)(url, data="{}", content_type="application/json")
    assert resp.status_code == 403, (method, path, resp.content)
    assert "CSRF" in resp.json()["error"]
