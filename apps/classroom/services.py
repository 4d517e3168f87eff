"""Classroom services: create a session, check the presenter, store state, answers, tallies.

All synchronous ORM code; the consumer calls these through ``database_sync_to_async``.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, F
from django.utils import timezone

from apps.classroom import models
from apps.classroom.models import CODE_ALPHABET, CODE_LENGTH, Answer, Session
from apps.classroom.tour import session_tour
from apps.scenarios.models import Scenario

_CODE_ATTEMPTS = 20


def _sha256(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def normalise_code(code: str) -> str | None:
    """Upper-cased code if it is well-formed, else None (so bad input never hits the DB)."""
    code = code.strip().upper()
    if len(code) != CODE_LENGTH or any(c not in CODE_ALPHABET for c in code):
        return None
    return code


def session_create(*, scenario: Scenario, tour: Any = None) -> tuple[Session, str]:
    """A new live session; returns it and the presenter token (256 bits, shown once).

    ``tour`` (validated against the scenario) overrides the scenario's own; None takes it.
    """
    steps = session_tour(scenario.data, tour)
    token = secrets.token_urlsafe(32)
    for _ in range(_CODE_ATTEMPTS):
        try:
            with transaction.atomic():
                session = Session.objects.create(
                    code=models.new_code(),  # looked up per call so tests can force collisions
                    scenario=scenario,
                    presenter_token_hash=_sha256(token),
                    tour=steps,
                    state={"scenario": scenario.id},
                )
            return session, token
        except IntegrityError:  # a live session holds this code: draw another
            continue
    raise RuntimeError("could not draw a free session code")


def live_session(code: str) -> Session | None:
    """The live session with this code."""
    norm = normalise_code(code)
    if norm is None:
        return None
    return (
        Session.objects.filter(code=norm, ended_at__isnull=True).select_related("scenario").first()
    )


def is_presenter(session: Session, token: Any) -> bool:
    """Constant-time check of a presenter token."""
    if not isinstance(token, str) or not token or len(token) > 256:
        return False
    return hmac.compare_digest(_sha256(token), session.presenter_token_hash)


def state_merge(session_id: int, update: dict[str, Any]) -> dict[str, Any]:
    """Merge ``update`` into the stored state (row-locked) and return the new state."""
    with transaction.atomic():
        session = Session.objects.select_for_update().get(pk=session_id)
        state = {**session.state, **update}
        Session.objects.filter(pk=session_id).update(state=state)
    return state


def audience_add(session_id: int, delta: int) -> int:
    """Adjust and return the number of connected students."""
    Session.objects.filter(pk=session_id).update(audience=F("audience") + delta)
    return max(0, Session.objects.filter(pk=session_id).values_list("audience", flat=True)[0])


def step_set(session_id: int, step: int) -> None:
    """Record the current tour step."""
    Session.objects.filter(pk=session_id).update(step=step)


def answer_record(session_id: int, step: int, voter: str, choice: int) -> tuple[bool, int]:
    """(stored?, answers for the step so far); a second answer by a voter is not stored."""
    try:
        with transaction.atomic():
            Answer.objects.create(session_id=session_id, step=step, voter=voter, choice=choice)
        stored = True
    except IntegrityError:
        stored = False
    return stored, Answer.objects.filter(session_id=session_id, step=step).count()


def tally(session_id: int, step: int, choices: int) -> list[int]:
    """Answers per choice for the step, and remember that it was revealed."""
    counts = [0] * choices
    rows = (
        Answer.objects.filter(session_id=session_id, step=step)
        .values("choice")
        .annotate(n=Count("id"))
    )
    for row in rows:
        if row["choice"] < choices:
            counts[row["choice"]] = row["n"]
    with transaction.atomic():
        session = Session.objects.select_for_update().get(pk=session_id)
        revealed = {**session.revealed, str(step): counts}
        Session.objects.filter(pk=session_id).update(revealed=revealed)
    return counts


def session_snapshot(session_id: int) -> Session | None:
    """A fresh read of the session (state, step, tour, revealed)."""
    return Session.objects.filter(pk=session_id).first()


def session_end(session: Session) -> Session:
    """Close a live session: it stops accepting sockets and its code may be drawn again."""
    Session.objects.filter(pk=session.pk, ended_at__isnull=True).update(ended_at=timezone.now())
    session.refresh_from_db(fields=["ended_at"])
    return session
