"""Security headers: one CSP on every page and API answer, framing denied everywhere by default."""

from __future__ import annotations

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from config.security import ContentSecurityPolicyMiddleware, frameable, policy

pytestmark = pytest.mark.django_db


def _directives(header: str) -> dict[str, str]:
    parts = (part.strip().split(" ", 1) for part in header.split(";") if part.strip())
    return {name: value for name, value in parts}


@pytest.mark.parametrize("path", ["/", "/join", "/api/templates", "/api/docs", "/healthz"])
def test_every_page_has_the_site_policy_and_denies_framing(client, path):
    resp = client.get(path)
    assert resp.status_code == 200, path
    csp = _directives(resp["Content-Security-Policy"])
    assert csp["script-src"] == "'self'"  # no inline script, no eval, no other origin
    assert csp["object-src"] == "'none'"
    assert csp["frame-ancestors"] == "'none'"
    assert resp["X-Frame-Options"] == "DENY"
    assert resp["X-Content-Type-Options"] == "nosniff"
    assert resp["Referrer-Policy"] == "same-origin"


def test_api_docs_use_local_swagger_files_not_a_cdn(client):
    body = client.get("/api/docs").content.decode()
    assert "cdn." not in body
    assert "/static/ninja/swagger-ui-bundle.js" in body


def test_frameable_views_drop_x_frame_options_and_allow_any_ancestor():
    @frameable
    def view(request):
        return HttpResponse("player")

    middleware = ContentSecurityPolicyMiddleware(view)
    resp = middleware(RequestFactory().get("/embed/x"))
    assert _directives(resp["Content-Security-Policy"])["frame-ancestors"] == "*"
    assert _directives(resp["Content-Security-Policy"])["script-src"] == "'self'"
    assert resp.xframe_options_exempt is True


def test_a_response_with_its_own_policy_keeps_it():
    def view(request):
        response = HttpResponse("report")
        response["Content-Security-Policy"] = "default-src 'none'"
        return response

    resp = ContentSecurityPolicyMiddleware(view)(RequestFactory().get("/r"))
    assert resp["Content-Security-Policy"] == "default-src 'none'"


def test_overrides_replace_whole_directives():
    assert "frame-ancestors *" in policy({"frame-ancestors": "*"})
    assert "frame-ancestors 'none'" not in policy({"frame-ancestors": "*"})
