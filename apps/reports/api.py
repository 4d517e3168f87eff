"""HTTP API of reports, compare and sweeps (docs/sharing-and-reports.md)."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import Router, Status

from apps.reports.compare import compare_runs
from apps.reports.data import load_messages, load_report_data
from apps.reports.html_report import REPORT_CSP, render_html
from apps.reports.models import Sweep
from apps.reports.pdf_report import render_pdf
from apps.reports.replay import REPLAY_CSP, render_replay
from apps.reports.sweeps import sweep_start, sweep_view
from apps.reports.tabular import render_csv, render_json
from apps.runs.models import Run
from apps.scenarios.api import ErrorOut, get_scenario_or_404
from apps.scenarios.http import ApiError, read_json_body

router = Router(tags=["reports"])
FORMATS = ("html", "pdf", "csv", "json", "replay")
_ERRORS = {400: ErrorOut, 404: ErrorOut, 409: ErrorOut}


def _run_or_404(run_id: str, what: str = "run") -> Run:
    try:
        run = Run.objects.filter(pk=uuid.UUID(str(run_id))).first()
    except ValueError:
        run = None
    if run is None:
        raise ApiError(404, f"{what} {run_id} not found")
    return run


def _finished(run: Run) -> Run:
    if run.status != Run.Status.DONE or not run.result:
        raise ApiError(409, f"run {run.pk} is {run.status}, not finished: no report yet")
    return run


def _slug(run: Run) -> str:
    name = "".join(c if c.isalnum() else "-" for c in (run.scenario_snapshot.get("name") or ""))
    return (name.strip("-").lower()[:40] or "run") + f"-{str(run.pk)[:8]}"


def _file(body: str | bytes, ctype: str, filename: str, csp: str | None = None) -> HttpResponse:
    response = HttpResponse(body, content_type=ctype)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    if csp:
        response["Content-Security-Policy"] = csp
    return response


def _replay(run: Run) -> HttpResponse:
    html = render_replay(load_report_data(run), load_messages(run))
    return _file(html, "text/html; charset=utf-8", f"{_slug(run)}-replay.html", REPLAY_CSP)


@router.get("/runs/{run_id}/report", response={200: Any, **_ERRORS})
def report(request: HttpRequest, run_id: str, format: str = "html") -> HttpResponse:
    """The run's report: html, pdf, csv, json, or replay (the offline player)."""
    if format not in FORMATS:
        raise ApiError(
            400,
            f"unknown report format {format!r}; expected one of {', '.join(FORMATS)}",
            [{"loc": "format", "value": format}],
        )
    run = _finished(_run_or_404(run_id))
    if format == "replay":
        return _replay(run)
    data = load_report_data(run)
    name = _slug(run)
    if format == "html":
        return _file(render_html(data), "text/html; charset=utf-8", f"{name}.html", REPORT_CSP)
    if format == "pdf":
        return _file(render_pdf(data), "application/pdf", f"{name}.pdf")
    if format == "csv":
        return _file(render_csv(data), "text/csv; charset=utf-8", f"{name}.csv")
    return JsonResponse(render_json(data), json_dumps_params={"ensure_ascii": False})


@router.get("/runs/{run_id}/replay.html", response={200: Any, **_ERRORS})
def replay(request: HttpRequest, run_id: str) -> HttpResponse:
    """One self-contained HTML file that replays the run from disk, no server needed."""
    return _replay(_finished(_run_or_404(run_id)))


@router.get("/compare", response={200: dict[str, Any], **_ERRORS})
def compare(request: HttpRequest, a: str, b: str) -> dict[str, Any]:
    """Two finished runs side by side: summaries, per-metric and per-node deltas (b - a)."""
    return compare_runs(_finished(_run_or_404(a, "run a")), _finished(_run_or_404(b, "run b")))


@router.post(
    "/scenarios/{scenario_id}/sweeps", response={202: dict[str, Any], **_ERRORS, 503: ErrorOut}
)
def start_sweep(request: HttpRequest, scenario_id: str) -> Status:
    """Queue a parameter sweep: every (value, seed) simulated without frames on the workers."""
    scenario = get_scenario_or_404(scenario_id)
    body = read_json_body(request)
    try:
        sweep = sweep_start(scenario=scenario, body=body)
    except ApiError:
        raise
    except Exception as exc:  # the broker refused the group
        if "kombu" in type(exc).__module__ or isinstance(exc, OSError):
            raise ApiError(
                503,
                "the task queue is unavailable; try again shortly",
                headers={"Retry-After": "5"},
            ) from None
        raise
    total = len(sweep.values) * len(sweep.seeds)
    return Status(
        202, {"sweep_id": str(sweep.pk), "points": total, "url": f"/api/sweeps/{sweep.pk}"}
    )


@router.get("/sweeps/{sweep_id}", response={200: dict[str, Any], **_ERRORS})
def get_sweep(request: HttpRequest, sweep_id: str) -> dict[str, Any]:
    """Status and, per value, n / mean / std / 95% CI of the chosen metric."""
    try:
        sweep = Sweep.objects.filter(pk=uuid.UUID(sweep_id)).first()
    except ValueError:
        sweep = None
    if sweep is None:
        raise ApiError(404, f"sweep {sweep_id} not found")
    return sweep_view(sweep)
