"""HTTP API for runs (docs/architecture.md section 3): start, read, cancel, read the log."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import orjson
from django.db import transaction
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from pydantic import BaseModel, ConfigDict
from pydantic import ValidationError as PydanticValidationError

from apps.runs import live
from apps.runs.broadcaster import layer_publish
from apps.runs.models import Run
from apps.runs.services import BrokerUnavailable, frames_after, run_cancel, run_start
from apps.scenarios.api import ErrorOut, ScenarioCreatedOut, created_out, get_scenario_or_404
from apps.scenarios.http import ApiError, browser_session_key, read_json_body
from apps.scenarios.services import scenario_fork

router = Router(tags=["runs"])

_ERRORS = {400: ErrorOut, 404: ErrorOut, 413: ErrorOut, 503: ErrorOut}
_RETRY_AFTER_S = "5"


class RunStartIn(BaseModel):
    """Optional overrides of the scenario's settings."""

    model_config = ConfigDict(extra="forbid", strict=True)
    seed: int | None = None
    duration_s: float | None = None
    # A viewer will pace the run (apps.runs.live): start paced at 1x from t=0 so the worker does
    # not race ahead before the viewer's first pace message arrives.
    paced: bool = False


class RunStartedOut(Schema):
    run_id: uuid.UUID
    ws_url: str
    status: str


class RunOut(Schema):
    id: uuid.UUID
    scenario_id: str
    status: str
    reason: str
    seed: int
    duration_s: float
    result: dict[str, Any] | None
    last_seq: int
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


class StatusOut(Schema):
    status: str


class FramesIn(Schema):
    after: int = Field(0, ge=0)
    limit: int = Field(500, ge=1, le=5000)


class FramesOut(Schema):
    messages: list[dict[str, Any]]
    last_seq: int


def _get_run_or_404(run_id: str) -> Run:
    try:
        run = Run.objects.filter(pk=uuid.UUID(run_id)).first()
    except ValueError:
        run = None
    if run is None:
        raise ApiError(404, f"run {run_id} not found")
    return run


def _ws_url(run: Run) -> str:
    # A path, like share_url: the browser resolves it against its own origin (ws: or wss:).
    return f"/ws/runs/{run.pk}"


def _start_options(request: HttpRequest) -> RunStartIn:
    if request.content_type == "multipart/form-data" and not request.POST and not request.FILES:
        return RunStartIn()  # an empty HTML form post: no options
    body = read_json_body(request, allow_empty=True)
    try:
        return RunStartIn.model_validate(body or {})
    except PydanticValidationError as exc:
        details = [
            {"loc": ".".join(str(p) for p in e["loc"]), "node": None, "msg": e["msg"]}
            for e in exc.errors(include_url=False)
        ]
        loc = details[0]["loc"] or "body"
        raise ApiError(400, f"{loc}: {details[0]['msg']}", details) from None


_START_BODY = {
    "requestBody": {
        "required": False,
        "content": {"application/json": {"schema": RunStartIn.model_json_schema()}},
    }
}


@router.post(
    "/scenarios/{scenario_id}/runs",
    response={202: RunStartedOut, **_ERRORS},
    openapi_extra=_START_BODY,
)
def start_run(request: HttpRequest, scenario_id: str) -> Status:
    """Queue a run of the scenario as it is now; stream it from ``ws_url``."""
    scenario = get_scenario_or_404(scenario_id)
    options = _start_options(request)
    try:
        with transaction.atomic():  # the task is sent on commit, after the pace key is set
            run = run_start(scenario=scenario, seed=options.seed, duration_s=options.duration_s)
            if options.paced:
                live.start_paced(run.pk)
    except BrokerUnavailable:
        raise ApiError(
            503,
            "the task queue is unavailable; try again shortly",
            headers={"Retry-After": _RETRY_AFTER_S},
        ) from None
    return Status(202, {"run_id": run.pk, "ws_url": _ws_url(run), "status": run.status})


@router.get("/runs/{run_id}", response={200: RunOut, **_ERRORS})
def get_run(request: HttpRequest, run_id: str) -> Run:
    """A run's status and, once done, its result."""
    return _get_run_or_404(run_id)


@router.post("/runs/{run_id}/cancel", response={202: StatusOut, **_ERRORS})
def cancel_run(request: HttpRequest, run_id: str) -> Status:
    """Ask a run to stop; a queued run stops at once, a running one within a second."""
    run = run_cancel(run=_get_run_or_404(run_id), publish=layer_publish)
    return Status(202, {"status": run.status})


@router.post("/runs/{run_id}/fork", response={201: ScenarioCreatedOut, **_ERRORS})
def fork_run(request: HttpRequest, run_id: str) -> Status:
    """Copy the scenario as this run ran it (its snapshot, not what it has become since) into a
    new scenario owned by the caller; anyone with the run's link may."""
    run = _get_run_or_404(run_id)
    scenario, token = scenario_fork(
        source=run.scenario,
        session_key=browser_session_key(request),
        user=request.user,
        data=run.scenario_snapshot,
    )
    return Status(201, created_out(scenario, token))


@router.get("/runs/{run_id}/frames", response={200: FramesOut, **_ERRORS})
def get_frames(request: HttpRequest, run_id: str, query: Query[FramesIn]) -> dict[str, Any]:
    """The run's logged messages with seq > ``after`` (replay, or catch-up without a socket)."""
    run = _get_run_or_404(run_id)
    rows = frames_after(run_id=run.pk, after=query.after, limit=query.limit)
    return {"messages": [orjson.loads(text) for _, text in rows], "last_seq": run.last_seq}
