"""Pages: moment links (``/r/<run_id>``), the embed player (``/embed/<slug>``), ``/me`` and
sign-in/out.

The studio and the embed player are the same front end (``static/app/studio.js``); these views
only choose its boot data. ``/embed/<slug>`` is the one page other sites may frame: it is exempt
from ``X-Frame-Options: DENY`` and gets ``frame-ancestors *`` in the site's
Content-Security-Policy (``config.security.frameable``), which otherwise stays as strict.
"""

from __future__ import annotations

import uuid

from django.contrib.auth import views as auth_views
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_safe

from apps.runs.models import Run
from apps.scenarios.models import Scenario
from apps.scenarios.views import studio_boot
from apps.sharing.moment import parse_moment
from config.security import frameable

MY_LIST_LIMIT = 100


def _run_end(run: Run) -> float:
    result = run.result or {}
    end = result.get("sim_time_s") if isinstance(result, dict) else None
    return float(end) if isinstance(end, int | float) else float(run.duration_s)


def _run_or_404(run_id: str) -> Run:
    try:
        pk = uuid.UUID(run_id)
    except ValueError:
        raise Http404("no such run") from None
    run = Run.objects.select_related("scenario").filter(pk=pk).first()
    if run is None:
        raise Http404("no such run")
    return run


@require_safe
@ensure_csrf_cookie
def moment(request: HttpRequest, run_id: str) -> HttpResponse:
    """The studio replaying a stored run from its log, paused at ``?t=`` simulated seconds."""
    run = _run_or_404(run_id)
    end = _run_end(run)
    at = parse_moment(request.GET.get("t"), end)
    scenario = run.scenario
    # What ran, not what the scenario has become since: the log's node indexes refer to it.
    boot = studio_boot(scenario, can_edit=False, data=run.scenario_snapshot)
    boot["replay"] = {
        "run_id": str(run.pk),
        "t": at.t,
        "end": end,
        "status": run.status,
        "message": at.message,
    }
    title = f"{run.scenario_snapshot.get('name') or 'Untitled'} at {at.t:g} s · Topolab"
    return render(request, "studio.html", {"boot": boot, "title": title})


@require_safe
@frameable
def embed(request: HttpRequest, slug: str) -> HttpResponse:
    """A compact player (canvas, Run/Pause, scrubber) that course pages may put in an iframe."""
    scenario = Scenario.objects.filter(slug=slug).first()
    if scenario is None:
        raise Http404("no such scenario")
    boot = {**studio_boot(scenario, can_edit=False), "embed": True}
    name = scenario.name or "Untitled"
    return render(request, "sharing/embed.html", {"boot": boot, "title": f"{name} · Topolab"})


@require_safe
def me(request: HttpRequest) -> HttpResponse:
    """The signed-in user's scenarios and the runs of them; anonymous users are asked to sign in."""
    if not request.user.is_authenticated:
        return render(request, "sharing/me.html", {"anonymous": True})
    scenarios = list(Scenario.objects.filter(owner=request.user)[:MY_LIST_LIMIT])
    runs = list(
        Run.objects.filter(scenario__owner=request.user).select_related("scenario")[:MY_LIST_LIMIT]
    )
    rows = [
        {
            "run": run,
            "name": run.scenario_snapshot.get("name") or run.scenario.name or "Untitled",
            "end": _run_end(run),
        }
        for run in runs
    ]
    return render(request, "sharing/me.html", {"scenarios": scenarios, "runs": rows})


class LoginView(auth_views.LoginView):
    """Django's sign-in form in our template; back to ``/me`` unless ``?next=`` says otherwise."""

    template_name = "registration/login.html"
    next_page = "/me"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """Sign-out (POST only, as Django requires), then back to the studio."""

    next_page = "/"
