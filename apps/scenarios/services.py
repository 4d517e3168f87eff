"""Scenario services: create, update, fork and the edit-right check.

Views call these with already-decoded JSON; validation happens here, once, through the engine,
so nothing unvalidated is ever stored. Secrets are stored as SHA-256 hashes and compared in
constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.db.models import F

from apps.engine import parse_scenario
from apps.scenarios.models import Scenario, new_share_slug

UserLike = AbstractBaseUser | AnonymousUser | None


def _sha256(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def _real_user(user: UserLike) -> AbstractBaseUser | None:
    return user if user is not None and user.is_authenticated else None  # type: ignore[return-value]


def scenario_validate(*, data: Any) -> dict[str, Any]:
    """Validate ``data`` with the engine; returns it unchanged (raises ``ScenarioError``)."""
    parse_scenario(data)
    return data


def _name_of(data: dict[str, Any]) -> str:
    name = data.get("name")
    return name[:200] if isinstance(name, str) else ""


def scenario_create(
    *,
    data: Any,
    session_key: str | None,
    user: UserLike = None,
    forked_from: Scenario | None = None,
) -> tuple[Scenario, str]:
    """Save a new scenario; returns it and its edit token, which is never retrievable again."""
    scenario_validate(data=data)
    edit_token = secrets.token_urlsafe(32)
    scenario = Scenario.objects.create(
        name=_name_of(data),
        data=data,
        edit_token_hash=_sha256(edit_token),
        owner_session_hash=_sha256(session_key) if session_key else "",
        owner=_real_user(user),
        forked_from=forked_from,
    )
    return scenario, edit_token


class RevisionConflict(Exception):
    """The scenario changed since the revision the caller edited (a lost update, prevented)."""

    def __init__(self, current: int) -> None:
        super().__init__(f"the scenario is at revision {current}")
        self.current = current


def scenario_update(
    *, scenario: Scenario, data: Any, expected_revision: int | None = None
) -> Scenario:
    """Replace the scenario's JSON and bump its revision (atomically, so no bump is lost).

    With ``expected_revision`` the write happens only if the stored revision is still that one
    (compare-and-set in the UPDATE itself, so two concurrent saves cannot both win); otherwise
    RevisionConflict, and nothing is written.
    """
    scenario_validate(data=data)
    rows = Scenario.objects.filter(pk=scenario.pk)
    if expected_revision is not None:
        rows = rows.filter(revision=expected_revision)
    with transaction.atomic():
        updated = rows.update(data=data, name=_name_of(data), revision=F("revision") + 1)
        scenario.refresh_from_db()
    if not updated:
        raise RevisionConflict(scenario.revision)
    return scenario


def scenario_fork(
    *, source: Scenario, session_key: str | None, user: UserLike = None, data: Any = None
) -> tuple[Scenario, str]:
    """A copy anyone who can read ``source`` may make; the copy belongs to the forker.

    ``data`` forks another version of it instead of its current one (what one of its runs ran).
    """
    data = source.data if data is None else data
    return scenario_create(data=data, session_key=session_key, user=user, forked_from=source)


def can_edit(
    *,
    scenario: Scenario,
    edit_token: str | None,
    session_key: str | None,
    user: UserLike = None,
) -> bool:
    """True for the edit-token holder, the creating browser session, or the owning user."""
    if (
        edit_token
        and scenario.edit_token_hash
        and hmac.compare_digest(_sha256(edit_token), scenario.edit_token_hash)
    ):
        return True
    if (
        session_key
        and scenario.owner_session_hash
        and hmac.compare_digest(_sha256(session_key), scenario.owner_session_hash)
    ):
        return True
    real = _real_user(user)
    return real is not None and scenario.owner_id is not None and scenario.owner_id == real.pk


def edit_token_rotate(*, scenario: Scenario) -> str:
    """A new edit token replaces the old one, which stops working at once; shown this once."""
    edit_token = secrets.token_urlsafe(32)
    Scenario.objects.filter(pk=scenario.pk).update(edit_token_hash=_sha256(edit_token))
    scenario.edit_token_hash = _sha256(edit_token)
    return edit_token


def edit_token_revoke(*, scenario: Scenario) -> None:
    """No edit token works any more; the owner's session or account still edits."""
    Scenario.objects.filter(pk=scenario.pk).update(edit_token_hash="")
    scenario.edit_token_hash = ""


def share_link_rotate(*, scenario: Scenario) -> Scenario:
    """A new share slug: the old ``/s/<slug>`` link stops opening the scenario."""
    scenario.slug = new_share_slug()
    Scenario.objects.filter(pk=scenario.pk).update(slug=scenario.slug)
    return scenario
