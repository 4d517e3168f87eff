"""HTTP API for scenarios, the JSON Schema and the templates gallery (thin: parse, call, answer).

See docs/architecture.md section 3. Scenario bodies are read raw and decoded strictly (see
``http.loads_strict``) rather than through a pydantic body model, so the engine stays the only
validator of the scenario format and its errors name the offending field.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema, Status

from apps.engine import MESSAGE_KINDS, scenario_json_schema
from apps.scenarios import gallery
from apps.scenarios.http import (
    ApiError,
    browser_session_key,
    current_session_key,
    edit_token_of,
    read_json_body,
)
from apps.scenarios.models import Scenario
from apps.scenarios.services import (
    RevisionConflict,
    can_edit,
    scenario_create,
    scenario_fork,
    scenario_update,
)

router = Router(tags=["scenarios"])

_SCENARIO_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "description": "a topolab/1 scenario; see /api/schema/scenario.json",
                }
            }
        },
    }
}


class ErrorOut(Schema):
    """Every error answer."""

    error: str
    details: list[Any]


class ScenarioCreatedOut(Schema):
    """Answer to a create or fork: the edit token is shown this once."""

    id: str
    slug: str
    share_url: str
    edit_token: str
    revision: int


class ScenarioOut(Schema):
    """A saved scenario as readers see it."""

    id: str
    slug: str
    share_url: str
    revision: int
    can_edit: bool
    scenario: dict[str, Any]
    created_at: datetime
    updated_at: datetime


class TemplateOut(Schema):
    """One gallery listing entry."""

    name: str
    title: str
    description: str


_ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 413: ErrorOut}


def get_scenario_or_404(scenario_id: str) -> Scenario:
    """The scenario, or a 404 ApiError."""
    scenario = Scenario.objects.filter(pk=scenario_id).first()
    if scenario is None:
        raise ApiError(404, f"scenario {scenario_id!r} not found")
    return scenario


def editable_scenario_or_error(request: HttpRequest, scenario_id: str) -> Scenario:
    """The scenario if this request may edit it; 404 if none, 403 without the right."""
    scenario = get_scenario_or_404(scenario_id)
    allowed = can_edit(
        scenario=scenario,
        edit_token=edit_token_of(request),
        session_key=current_session_key(request),
        user=request.user,
    )
    if not allowed:
        raise ApiError(403, "no right to edit this scenario: send its X-Edit-Token header")
    return scenario


def created_out(scenario: Scenario, edit_token: str) -> dict[str, Any]:
    return {
        "id": scenario.id,
        "slug": scenario.slug,
        "share_url": scenario.share_url,
        "edit_token": edit_token,
        "revision": scenario.revision,
    }


def scenario_out(request: HttpRequest, scenario: Scenario) -> dict[str, Any]:
    """The GET/PUT answer, with ``can_edit`` for this request's token, session or user."""
    return {
        "id": scenario.id,
        "slug": scenario.slug,
        "share_url": scenario.share_url,
        "revision": scenario.revision,
        "can_edit": can_edit(
            scenario=scenario,
            edit_token=edit_token_of(request),
            session_key=current_session_key(request),
            user=getattr(request, "user", None),
        ),
        "scenario": scenario.data,
        "created_at": scenario.created_at,
        "updated_at": scenario.updated_at,
    }


@router.post(
    "/scenarios", response={201: ScenarioCreatedOut, **_ERRORS}, openapi_extra=_SCENARIO_BODY
)
def create_scenario(request: HttpRequest) -> Status:
    """Save a scenario; the answer carries the edit token, shown only this once."""
    data = read_json_body(request)
    scenario, token = scenario_create(
        data=data, session_key=browser_session_key(request), user=request.user
    )
    return Status(201, created_out(scenario, token))


@router.get("/scenarios/{scenario_id}", response={200: ScenarioOut, **_ERRORS})
def get_scenario(request: HttpRequest, response: HttpResponse, scenario_id: str) -> dict[str, Any]:
    """A saved scenario (anyone with the id may read it); its revision is the ETag."""
    scenario = get_scenario_or_404(scenario_id)
    response["ETag"] = etag(scenario.revision)
    return scenario_out(request, scenario)


def etag(revision: int) -> str:
    return f'"{revision}"'


def if_match_revision(request: HttpRequest) -> int | None:
    """The revision named by If-Match (``"3"`` or ``W/"3"``), None when absent or ``*``."""
    raw = request.headers.get("If-Match")
    if raw is None or raw.strip() == "*":
        return None
    value = raw.strip().removeprefix("W/").strip('"')
    if not value.isdigit() or len(value) > 18:
        raise ApiError(
            400,
            'If-Match must be a revision ETag such as "3"',
            [{"loc": "If-Match", "value": raw[:40]}],
        )
    return int(value)


@router.put(
    "/scenarios/{scenario_id}",
    response={200: ScenarioOut, **_ERRORS},
    openapi_extra=_SCENARIO_BODY,
)
def put_scenario(request: HttpRequest, response: HttpResponse, scenario_id: str) -> dict[str, Any]:
    """Replace a scenario: needs ``X-Edit-Token`` or the creating browser session.

    Lost updates: send ``If-Match: "<revision>"`` (the ETag of the GET) and the save happens
    only if nobody saved in between, else 412 with the current revision.
    """
    scenario = editable_scenario_or_error(request, scenario_id)
    expected = if_match_revision(request)
    data = read_json_body(request)
    try:
        saved = scenario_update(scenario=scenario, data=data, expected_revision=expected)
    except RevisionConflict as exc:
        raise ApiError(
            412,
            f"the scenario changed since revision {expected}: it is at revision {exc.current};"
            " reload it, reapply your edit, and save with If-Match set to the new revision",
            [{"loc": "If-Match", "expected": expected, "current": exc.current}],
            headers={"ETag": etag(exc.current)},
        ) from None
    response["ETag"] = etag(saved.revision)
    return scenario_out(request, saved)


@router.post("/scenarios/{scenario_id}/fork", response={201: ScenarioCreatedOut, **_ERRORS})
def fork_scenario(request: HttpRequest, scenario_id: str) -> Status:
    """Copy a scenario into a new one owned by the caller."""
    source = get_scenario_or_404(scenario_id)
    scenario, token = scenario_fork(
        source=source, session_key=browser_session_key(request), user=request.user
    )
    return Status(201, created_out(scenario, token))


@router.get("/schema/scenario.json", response=dict[str, Any], tags=["schema"])
def scenario_schema(request: HttpRequest) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the topolab/1 format, from the engine.

    ``x-message-kinds`` is the engine's MESSAGE_KINDS: frame ``events.kind`` indexes into it.
    """
    return {**scenario_json_schema(), "x-message-kinds": list(MESSAGE_KINDS)}


@router.get("/templates", response=list[TemplateOut], tags=["templates"])
def list_templates(request: HttpRequest) -> list[dict[str, str]]:
    """The pattern templates gallery."""
    return [template.summary() for template in gallery.template_list()]


@router.get("/templates/{name}", response={200: dict[str, Any], 404: ErrorOut}, tags=["templates"])
def get_template(request: HttpRequest, name: str) -> dict[str, Any]:
    """One template as a scenario JSON, ready to load into the studio."""
    template = gallery.template_get(name)
    if template is None:
        raise ApiError(404, f"template {name!r} not found")
    return template.scenario
