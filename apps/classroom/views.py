"""Join pages: ``/join`` (a code form) and ``/join/<code>`` (the studio in follow mode).

``/join/<code>`` renders the studio shell with boot data extended by ``session`` (code,
ws_url, follow, steps): the front end boots read-only and follows the presenter
(frontend/src/classroom/, docs/classroom.md); until it mounts, the server-rendered placeholder
shows the scenario name and the session code.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_safe

from apps.classroom.services import live_session, normalise_code


@require_safe
def join_form(request: HttpRequest) -> HttpResponse:
    """The code form; ``?code=`` redirects to the session page."""
    code = request.GET.get("code", "")
    error = ""
    if code:
        norm = normalise_code(code)
        if norm is not None and live_session(norm) is not None:
            return redirect("classroom-join", code=norm)
        error = "No live session has this code. Check it with your presenter."
    return render(
        request, "classroom/join.html", {"code": code, "error": error}, status=404 if error else 200
    )


@require_safe
@ensure_csrf_cookie
def join_session(request: HttpRequest, code: str) -> HttpResponse:
    """The studio following the session's presenter."""
    session = live_session(code)
    if session is None:
        raise Http404("no live session with this code")
    scenario = session.scenario
    name = scenario.name or "Untitled"
    boot = {
        "scenario_id": scenario.id,
        "slug": scenario.slug,
        "scenario": scenario.data,
        "can_edit": False,
        "session": {
            "code": session.code,
            "ws_url": f"/ws/sessions/{session.code}",
            "follow": True,
            "steps": len(session.tour),
        },
    }
    context = {
        "boot": boot,
        "title": f"{name} · session {session.code} · Topolab",
        "name": name,
        "code": session.code,
    }
    return render(request, "classroom/follow.html", context)
