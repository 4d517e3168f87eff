"""HTTP routes for Mermaid: import (text -> scenario + flagged nodes) and export (scenario -> text).

Thin: read the body with the same size limit as scenarios, call ``apps.scenarios.mermaid``,
answer JSON; bad input is a 400 ``{"error", "details"}`` naming the line.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja import Router, Schema

from apps.engine import ScenarioError, parse_scenario
from apps.scenarios.http import ApiError, read_json_body, too_large
from apps.scenarios.mermaid import MermaidError, mermaid_to_scenario, scenario_to_mermaid

router = Router(tags=["mermaid"])


class FlaggedOut(Schema):
    id: str
    label: str
    reason: str


class ImportOut(Schema):
    scenario: dict[str, Any]
    flagged: list[FlaggedOut]


class ExportOut(Schema):
    mermaid: str


class ErrorOut(Schema):
    error: str
    details: list[Any]


_TEXT_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "text/plain": {"schema": {"type": "string", "description": "Mermaid flowchart"}}
        },
    }
}


@router.post(
    "/import/mermaid",
    response={200: ImportOut, 400: ErrorOut, 413: ErrorOut},
    openapi_extra=_TEXT_BODY,
)
def import_mermaid(request: HttpRequest) -> dict[str, Any]:
    """A Mermaid flowchart (text body) as a scenario, with the nodes it had to guess."""
    body = request.body
    if len(body) > settings.MAX_SCENARIO_BYTES:
        raise too_large(settings.MAX_SCENARIO_BYTES)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise ApiError(400, "the body is not UTF-8 text") from None
    try:
        scenario, flagged = mermaid_to_scenario(text)
    except MermaidError as exc:
        raise ApiError(400, f"invalid Mermaid: {exc}") from None
    return {"scenario": scenario, "flagged": flagged}


@router.post("/export/mermaid", response={200: ExportOut, 400: ErrorOut, 413: ErrorOut})
def export_mermaid(request: HttpRequest) -> dict[str, str]:
    """A scenario (JSON body) as a Mermaid flowchart that imports back to the same kinds."""
    data = read_json_body(request)
    try:
        parse_scenario(data)
    except ScenarioError as exc:
        raise ApiError(400, exc.message, exc.details) from None
    return {"mermaid": scenario_to_mermaid(data)}
