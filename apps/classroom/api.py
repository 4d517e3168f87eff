"""HTTP API of classroom sessions (docs/sharing-and-reports.md)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status

from apps.classroom.services import live_session, session_create
from apps.scenarios.api import ErrorOut, get_scenario_or_404
from apps.scenarios.http import ApiError, read_json_body

router = Router(tags=["classroom"])


class SessionCreatedOut(Schema):
    """The presenter token is shown this once."""

    code: str
    join_url: str
    ws_url: str
    presenter_token: str


class SessionOut(Schema):
    code: str
    join_url: str
    ws_url: str
    scenario_id: str
    steps: int
    step: int
    audience: int


_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["scenario"],
                    "properties": {
                        "scenario": {"type": "string"},
                        "tour": {"type": "array", "items": {"type": "object"}},
                    },
                }
            }
        },
    }
}


@router.post(
    "/sessions",
    response={201: SessionCreatedOut, 400: ErrorOut, 404: ErrorOut},
    openapi_extra=_BODY,
)
def create_session(request: HttpRequest) -> Status:
    """Open a classroom session on a saved scenario (optionally with a guided tour)."""
    body = read_json_body(request)
    if not isinstance(body, dict):
        raise ApiError(400, "the body must be a JSON object")
    unknown = sorted(set(body) - {"scenario", "tour"})
    if unknown:
        raise ApiError(400, f"unknown field {unknown[0]!r}")
    scenario_id = body.get("scenario")
    if not isinstance(scenario_id, str) or not scenario_id:
        raise ApiError(400, "scenario: the id of a saved scenario is required")
    session, token = session_create(
        scenario=get_scenario_or_404(scenario_id), tour=body.get("tour")
    )
    return Status(
        201,
        {
            "code": session.code,
            "join_url": session.join_url,
            "ws_url": f"/ws/sessions/{session.code}",
            "presenter_token": token,
        },
    )


@router.get("/sessions/{code}", response={200: SessionOut, 404: ErrorOut})
def get_session(request: HttpRequest, code: str) -> dict[str, Any]:
    """A live session's public facts (no state: that comes over the socket)."""
    session = live_session(code)
    if session is None:
        raise ApiError(404, f"no live session {code!r}")
    return {
        "code": session.code,
        "join_url": session.join_url,
        "ws_url": f"/ws/sessions/{session.code}",
        "scenario_id": session.scenario_id,
        "steps": len(session.tour),
        "step": session.step,
        "audience": session.audience,
    }
