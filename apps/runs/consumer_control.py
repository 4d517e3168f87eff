"""The run socket's write side: ``auth``, live faults (``control``) and the viewer's ``pace``.

A mixin of apps.runs.consumers.RunConsumer, kept apart because it is the only part of the
socket that changes a run: faults need the scenario's edit right (apps.runs.viewer_auth), are
validated against the run's snapshot, and reach the worker through Redis (apps.runs.live).
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async
from redis import RedisError

from apps.runs import live
from apps.runs.broadcaster import dumps
from apps.runs.models import Run
from apps.runs.viewer_auth import may_edit


@database_sync_to_async
def _load_snapshot(run_id: str) -> tuple[str, dict[str, Any]] | None:
    row = Run.objects.filter(pk=uuid.UUID(run_id)).values("status", "scenario_snapshot").first()
    return None if row is None else (row["status"], row["scenario_snapshot"])


class LiveControlMixin:
    """Needs ``run_id``, ``scope``, ``send`` and ``_send_error`` from the consumer."""

    run_id: str
    scope: dict[str, Any]
    _edit_token: str | None
    _edit_right: bool

    if TYPE_CHECKING:  # provided by the consumer; declared here for the type checker only

        async def send(self, text_data: str | None = None, **kwargs: Any) -> None: ...

        async def _send_error(self, error: str) -> None: ...

    async def _auth(self, message: dict[str, Any]) -> None:
        """``{"type": "auth", "edit_token": "..."}``: unlocks ``control`` on this socket."""
        token = message.get("edit_token")
        if not isinstance(token, str) or not 0 < len(token) <= 200:
            await self._send_error("auth needs an 'edit_token' string")
            return
        self._edit_token, self._edit_right = token, False
        if not await self._can_control():
            await self._send_error("auth: this edit token does not match the run's scenario")
            return
        await self.send(text_data=dumps({"type": "auth", "run_id": self.run_id, "can_edit": True}))

    async def _can_control(self) -> bool:
        if not self._edit_right:
            self._edit_right = await may_edit(self.run_id, self._edit_token, self.scope)
        return self._edit_right

    async def _control(self, message: dict[str, Any]) -> None:
        """A live fault: needs the edit right, then validated against the fault schema and this
        run's nodes, then queued for the worker."""
        if not await self._can_control():
            await self._send_error(
                "control: live faults need the scenario's edit right: open it from the browser "
                'that created it, or send {"type": "auth", "edit_token": ...} first'
            )
            return
        loaded = await _load_snapshot(self.run_id)
        if loaded is None or loaded[0] not in ("queued", "running"):
            await self._send_error("control: the run is not running")
            return
        try:
            command = live.validate_control(message, loaded[1])
            await sync_to_async(live.push_control)(self.run_id, command)
        except live.ControlError as exc:
            await self._send_error(f"control: {exc}")
        except RedisError:
            await self._send_error("control: live commands are unavailable right now")

    async def _pace(self, message: dict[str, Any]) -> None:
        """The viewer's playhead and speed: the worker keeps the run a few seconds ahead."""
        try:
            t, speed = live.validate_pace(message)
            await sync_to_async(live.set_pace)(self.run_id, t, speed)
        except live.ControlError as exc:
            await self._send_error(str(exc))
        except RedisError:
            pass  # pacing is best effort: the run then goes full speed
