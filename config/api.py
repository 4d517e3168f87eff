"""The one NinjaAPI at ``/api/``: routers, the CSRF hook and JSON error handlers.

Every error answer, including ninja's own validation errors, has the shape
``{"error": str, "details": list}`` (docs/architecture.md section 3).
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from apps.classroom.api import router as classroom_router
from apps.engine import ScenarioError
from apps.reports.api import router as reports_router
from apps.runs.api import router as runs_router
from apps.scenarios.access_api import router as access_router
from apps.scenarios.api import router as scenarios_router
from apps.scenarios.http import ApiError, BrowserCsrf, too_large
from apps.scenarios.mermaid_api import router as mermaid_router
from apps.sharing.api import router as sharing_router

logger = logging.getLogger(__name__)

api = NinjaAPI(
    title="Topolab API",
    version="1",
    description="Save scenarios, start runs, read results. Errors: {error, details}.",
    auth=[BrowserCsrf()],
    urls_namespace="api",
)
api.add_router("/", scenarios_router)
api.add_router("/", access_router)
api.add_router("/", runs_router)
api.add_router("/", reports_router)
api.add_router("/", classroom_router)
api.add_router("/", mermaid_router)
api.add_router("/", sharing_router)


def _error(request: HttpRequest, status: int, error: str, details: list[Any]) -> HttpResponse:
    return api.create_response(request, {"error": error, "details": details}, status=status)


@api.exception_handler(ApiError)
def _api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
    response = _error(request, exc.status, exc.error, exc.details)
    for name, value in exc.headers.items():
        response[name] = value
    return response


@api.exception_handler(ScenarioError)
def _scenario_error(request: HttpRequest, exc: ScenarioError) -> HttpResponse:
    return _error(request, 400, exc.message, exc.details)


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    details = [
        {
            "loc": ".".join(str(part) for part in error.get("loc", ())),
            "msg": str(error.get("msg", "")),
            "type": str(error.get("type", "")),
        }
        for error in exc.errors
    ]
    first = details[0] if details else {"loc": "", "msg": "invalid request"}
    return _error(request, 400, f"{first['loc']}: {first['msg']}".lstrip(": "), details)


@api.exception_handler(RequestDataTooBig)
def _too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    from django.conf import settings

    error = too_large(settings.MAX_SCENARIO_BYTES)
    return _error(request, 413, error.error, error.details)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, "not found", [])


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 403, "forbidden", [])


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _error(request, exc.status_code, str(exc), [])


@api.exception_handler(Exception)
def _unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("unhandled error in %s %s", request.method, request.path)
    return _error(request, 500, "internal error", [])
