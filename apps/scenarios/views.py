"""Pages: the studio (new or saved scenario) and the health check.

The studio is the front end's single page; this view only hands it boot data through
``json_script`` (which escapes ``<``, ``>`` and ``&``, so labels cannot break out of the tag).
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_safe

from apps.scenarios.http import current_session_key, edit_token_of
from apps.scenarios.models import Scenario
from apps.scenarios.services import can_edit


def studio_boot(
    scenario: Scenario, *, can_edit: bool, data: dict[str, Any] | None = None
) -> dict[str, Any]:
    """What the front end boots with (the ``topolab-boot`` JSON) to show a saved scenario;
    ``data`` overrides what is shown (a replay shows what ran, not what it has become)."""
    return {
        "scenario_id": scenario.id,
        "slug": scenario.slug,
        "scenario": scenario.data if data is None else data,
        "can_edit": can_edit,
        "revision": scenario.revision,
    }


@require_safe
@ensure_csrf_cookie
def studio(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    """The editor/player page; on ``/s/<slug>`` it boots with that scenario."""
    boot: dict[str, Any] = {
        "scenario_id": None,
        "slug": None,
        "scenario": None,
        "can_edit": None,
        "revision": None,
    }
    title = "Topolab"
    if slug is not None:
        scenario = Scenario.objects.filter(slug=slug).first()
        if scenario is None:
            raise Http404("no such scenario")
        editable = can_edit(
            scenario=scenario,
            edit_token=edit_token_of(request),
            session_key=current_session_key(request),
            user=request.user,
        )
        boot = studio_boot(scenario, can_edit=editable)
        title = f"{scenario.name or 'Untitled'} · Topolab"
    return render(request, "studio.html", {"boot": boot, "title": title})


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness plus a database round trip, for load balancers and ``make run``'s wait loop."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
