"""Who may do what on a run websocket: the edit right for live faults.

Live faults (``control``) need the scenario's edit right, the same one ``PUT
/api/scenarios/{id}`` checks (apps.scenarios.services.can_edit): the creating browser's session
(the session cookie rides on the websocket handshake), the owning user, or the edit token. The
token comes in an ``auth`` message or a ``topolab.edit.<token>`` subprotocol, never the query
string (URLs end up in access logs). Viewing, ``pace``, ``ping`` and ``resync`` are open.
"""

from __future__ import annotations

import uuid
from typing import Any

from channels.db import database_sync_to_async

from apps.runs.models import Run

SUBPROTOCOL = "topolab"
EDIT_SUBPROTOCOL_PREFIX = "topolab.edit."


@database_sync_to_async
def may_edit(run_id: str, edit_token: str | None, scope: dict[str, Any]) -> bool:
    """The scenario's edit right, as for ``PUT /api/scenarios/{id}`` (apps.scenarios)."""
    from apps.scenarios.services import can_edit

    run = Run.objects.select_related("scenario").filter(pk=uuid.UUID(run_id)).first()
    if run is None:
        return False
    session = scope.get("session")
    user = scope.get("user")
    return can_edit(
        scenario=run.scenario,
        edit_token=edit_token,
        session_key=getattr(session, "session_key", None),
        user=user if getattr(user, "is_authenticated", False) else None,
    )


def subprotocols(offered: list[str]) -> tuple[str | None, str | None]:
    """(subprotocol to accept, edit token carried by ``topolab.edit.<token>``).

    A browser fails the handshake unless the server picks one of the offered subprotocols, so
    one is always echoed: ``topolab`` when offered (keeps the token out of the response).
    """
    token = next(
        (
            p[len(EDIT_SUBPROTOCOL_PREFIX) :]
            for p in offered
            if p.startswith(EDIT_SUBPROTOCOL_PREFIX)
        ),
        None,
    )
    if not offered:
        return None, token
    return (SUBPROTOCOL if SUBPROTOCOL in offered else offered[0]), token
