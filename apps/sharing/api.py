"""``GET /api/runs?scenario=<id>``: the runs of a scenario, newest first (for compare pickers)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from apps.runs.models import Run
from apps.scenarios.api import ErrorOut, get_scenario_or_404

router = Router(tags=["runs"])


class RunListIn(Schema):
    scenario: str = Field(..., min_length=1, max_length=16)
    limit: int = Field(50, ge=1, le=200)


def _row(run: Run) -> dict[str, Any]:
    summary = (run.result or {}).get("summary") if isinstance(run.result, dict) else None
    return {
        "id": str(run.pk),
        "status": run.status,
        "seed": run.seed,
        "duration_s": run.duration_s,
        "scenario_revision": run.scenario_revision,
        "created_at": run.created_at.isoformat(),
        "summary": summary,
    }


@router.get("/runs", response={200: dict[str, Any], 404: ErrorOut})
def list_runs(request: HttpRequest, query: Query[RunListIn]) -> dict[str, Any]:
    """Anyone who can read the scenario can list its runs (run ids are not secrets either)."""
    scenario = get_scenario_or_404(query.scenario)
    runs = Run.objects.filter(scenario=scenario).order_by("-created_at")[: query.limit]
    return {"scenario_id": scenario.id, "runs": [_row(run) for run in runs]}
