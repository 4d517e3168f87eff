"""HTTP API of classroom sessions (docs/sharing-and-reports.md)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status

from apps.classroom import fanout
from apps.classroom.protocol import END_CLOSE_CODE
from apps.classroom.services import is_presenter, live_session, session_create, session_end
from apps.runs.broadcaster import dumps
from apps.scenarios.api import ErrorOut, get_scenario_or_404
from apps.scenarios.http import ApiError, read_json_body

router = Router(tags=["classroom"])


class SessionCreatedOut(Schema):
    """The presenter token is shown this once."""

    code: str
    join_url: str
    ws_url: str
    presenter_token: str


class SessionEndedOut(Schema):
    code: str
    ended_at: str


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


@router.post(
    "/sessions/{code}/end",
    response={200: SessionEndedOut, 403: ErrorOut, 404: ErrorOut},
)
def end_session(request: HttpRequest, code: str) -> dict[str, Any]:
    """End a live session (header ``X-Presenter-Token``): every socket hears ``ended`` and closes;
    students keep what is on their screen."""
    session = live_session(code)
    if session is None:
        raise ApiError(404, f"no live session {code!r}")
    token = request.headers.get("X-Presenter-Token")
    if not token:
        raise ApiError(403, "X-Presenter-Token: the presenter token of this session is required")
    if not is_presenter(session, token):
        raise ApiError(403, "X-Presenter-Token: not the presenter token of this session")
    session = session_end(session)
    fanout.broadcast_from_sync(
        fanout.session_group(session.code),
        dumps({"type": "ended", "code": session.code}),
        close_code=END_CLOSE_CODE,
    )
    return {"code": session.code, "ended_at": session.ended_at.isoformat()}
