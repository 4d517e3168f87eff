"""HTTP plumbing shared by the API routers: JSON errors, strict body decoding, browser CSRF.

Every API error is ``{"error": str, "details": list}`` with a 4xx/5xx status, raised as
``ApiError`` anywhere below a view and rendered by the handlers in ``config/api.py``.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.middleware.csrf import CsrfViewMiddleware

EDIT_TOKEN_HEADER = "X-Edit-Token"  # noqa: S105 (a header name, not a secret)


class ApiError(Exception):
    """An error answer: status, one-line message, details list and optional headers."""

    def __init__(
        self,
        status: int,
        error: str,
        details: list[Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(error)
        self.status = status
        self.error = error
        self.details = list(details or [])
        self.headers = dict(headers or {})


def _reject_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # Python's json silently keeps the last of duplicate keys; a scenario with two "nodes"
    # keys is a mistake the author should hear about.
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ApiError(400, f"invalid JSON: duplicate key {key!r}", [{"loc": key}])
        result[key] = value
    return result


def _reject_constant(name: str) -> Any:
    raise ApiError(400, f"invalid JSON: {name} is not a number in JSON")


def _contains_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_contains_nul(k) or _contains_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_contains_nul(v) for v in value)
    return False


def loads_strict(body: bytes) -> Any:
    """Decode JSON refusing what ``json`` tolerates: NaN, duplicate keys, NUL, deep nesting."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise ApiError(400, "invalid JSON: the body is not UTF-8") from None
    try:
        value = json.loads(
            text, object_pairs_hook=_reject_duplicates, parse_constant=_reject_constant
        )
    except json.JSONDecodeError as exc:
        raise ApiError(
            400, f"invalid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        ) from None
    except RecursionError:
        raise ApiError(400, "invalid JSON: nested too deeply") from None
    # PostgreSQL refuses \u0000 in text/jsonb where SQLite stores it: refuse it everywhere.
    if b"u0000" in body and _contains_nul(value):
        raise ApiError(400, "invalid JSON: strings must not contain NUL characters")
    return value


def too_large(limit: int) -> ApiError:
    """The 413 answer for a body over ``limit`` bytes."""
    return ApiError(413, f"request body is larger than {limit} bytes", [{"max_bytes": limit}])


def read_json_body(request: HttpRequest, *, allow_empty: bool = False) -> Any:
    """The request body as strict JSON, refusing bodies over ``MAX_SCENARIO_BYTES`` with 413."""
    limit = settings.MAX_SCENARIO_BYTES
    declared = request.META.get("CONTENT_LENGTH") or "0"
    try:
        if int(declared) > limit:
            raise too_large(limit)
    except ValueError:
        raise ApiError(400, "invalid Content-Length header") from None
    body = request.body  # RequestDataTooBig is mapped to 413 by the API handlers
    if len(body) > limit:
        raise too_large(limit)
    if not body.strip():
        if allow_empty:
            return None
        raise ApiError(400, "the request body is empty; send a JSON object")
    return loads_strict(body)


def is_browser(request: HttpRequest) -> bool:
    """A request carrying our session or CSRF cookie comes from a browser that loaded a page."""
    return (
        settings.SESSION_COOKIE_NAME in request.COOKIES
        or settings.CSRF_COOKIE_NAME in request.COOKIES
    )


class _CsrfCheck(CsrfViewMiddleware):
    """Django's own CSRF logic, answering a failure with our JSON error instead of a page."""

    def _reject(self, request: HttpRequest, reason: str) -> Any:
        raise ApiError(403, f"CSRF check failed: {reason}")


class BrowserCsrf:
    """A ninja auth hook: browsers (requests with our cookies) must pass Django's CSRF check.

    Ninja exempts its views from CsrfViewMiddleware. Cookie-less clients (scripts) cannot be
    forged into by another site, so they need no token; anything that carries the session or
    CSRF cookie must send ``X-CSRFToken`` on unsafe methods, exactly as Django checks it.
    """

    def __call__(self, request: HttpRequest) -> bool:
        if is_browser(request):
            check = _CsrfCheck(lambda _request: None)  # type: ignore[arg-type,return-value]
            request.csrf_processing_done = False  # type: ignore[attr-defined]
            check.process_request(request)
            check.process_view(request, lambda _request: None, (), {})
        return True


def browser_session_key(request: HttpRequest) -> str | None:
    """The browser's session key, creating the session for browsers; scripts get ``None``."""
    if not is_browser(request):
        return None
    session = request.session
    if session.session_key is None:
        # Marking the session modified makes SessionMiddleware send the cookie back.
        session["topolab"] = 1
        session.save()
    return session.session_key


def current_session_key(request: HttpRequest) -> str | None:
    """The existing session key, never creating one (reads must not create sessions)."""
    return request.session.session_key if hasattr(request, "session") else None


def edit_token_of(request: HttpRequest) -> str | None:
    """The edit token from the ``X-Edit-Token`` header (never the URL: URLs end up in logs)."""
    return request.headers.get(EDIT_TOKEN_HEADER) or None
