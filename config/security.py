"""Content-Security-Policy for every response, and the one way to let a page be framed.

Django 5.2 has no CSP support of its own (it arrives in 6.0), so this middleware sets one
policy for the whole site. The studio needs nothing inline: its script is a module file, its boot
data a non-executable ``application/json`` block; styles may be inline because React Flow and
uPlot position elements with ``style`` attributes. Responses that carry their own policy (the
self-contained HTML report and the offline replay, which must hold their script inline) keep it.

Framing is denied twice, by ``X-Frame-Options: DENY`` (Django's clickjacking middleware) and by
``frame-ancestors 'none'``; only views wrapped in :func:`frameable` (the embed player) may be
framed, and then by any origin because course pages live anywhere.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.views.decorators.clickjacking import xframe_options_exempt

HEADER = "Content-Security-Policy"

POLICY: dict[str, str] = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self' 'unsafe-inline'",
    "img-src": "'self' data: blob:",
    "font-src": "'self'",
    # 'self' covers ws:/wss: to the same host in CSP Level 3 browsers.
    "connect-src": "'self'",
    "media-src": "'self' blob:",
    "worker-src": "'self' blob:",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
FRAMEABLE_ANCESTORS = "*"


def policy(overrides: dict[str, str] | None = None) -> str:
    """The header value: the site policy with ``overrides`` replacing whole directives."""
    merged = {**POLICY, **(overrides or {})}
    return "; ".join(f"{name} {value}" for name, value in merged.items())


class ContentSecurityPolicyMiddleware:
    """Adds the site policy to every response that does not already carry one."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if HEADER not in response:
            overrides = getattr(response, "csp_overrides", None)
            response[HEADER] = policy(overrides)
        return response


def frameable(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Let any site frame this view: no X-Frame-Options, ``frame-ancestors *``."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response.csp_overrides = {"frame-ancestors": FRAMEABLE_ANCESTORS}  # type: ignore[attr-defined]
        return response

    return xframe_options_exempt(wrapped)
