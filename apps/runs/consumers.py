"""The run websocket: status, then the logged history, then live messages, without gaps.

Thin: it validates the run, joins the run's group *before* reading the log (so nothing falls
between the two), and forwards pre-serialized texts. Channels dispatches one message at a time,
so live batches arriving while history loads wait in the consumer's queue; every text is sent
only if its seq is above the last one sent, and a live batch that starts past a gap is preceded
by the missing seqs from the log (the channel layer may drop or expire messages).
"""

from __future__ import annotations

import json
import uuid
from typing import Any
from urllib.parse import parse_qs

from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from redis import RedisError

from apps.runs import live
from apps.runs.broadcaster import dumps, run_group
from apps.runs.models import Run
from apps.runs.protocol import MAX_CLIENT_MESSAGE_BYTES, PROTOCOL_VERSION
from apps.runs.services import frames_after

_HISTORY_PAGE = 200
_CLOSE_NOT_FOUND = 4404


@database_sync_to_async
def _load_run(run_id: str) -> Run | None:
    try:
        return Run.objects.filter(pk=uuid.UUID(run_id)).only("id", "status", "last_seq").first()
    except ValueError:
        return None


@database_sync_to_async
def _load_snapshot(run_id: str) -> tuple[str, dict[str, Any]] | None:
    row = Run.objects.filter(pk=uuid.UUID(run_id)).values("status", "scenario_snapshot").first()
    return None if row is None else (row["status"], row["scenario_snapshot"])


@database_sync_to_async
def _load_frames(run_id: str, after: int, limit: int) -> list[tuple[int, str]]:
    return frames_after(run_id=run_id, after=after, limit=limit)


def _after_from(query_string: bytes) -> int:
    values = parse_qs(query_string.decode("latin-1")).get("after", ["0"])
    try:
        return max(0, int(values[-1]))
    except ValueError:
        return 0


class RunConsumer(AsyncWebsocketConsumer):
    """``/ws/runs/<run_id>?after=N``."""

    run_id: str
    group: str | None = None
    last_sent: int = 0

    async def connect(self) -> None:
        self.run_id = str(self.scope["url_route"]["kwargs"]["run_id"])
        await self.accept()
        run = await _load_run(self.run_id)
        if run is None:
            await self._send_error("no such run")
            await self.close(code=_CLOSE_NOT_FOUND)
            return
        self.group = run_group(self.run_id)
        await self.channel_layer.group_add(self.group, self.channel_name)
        run = await _load_run(self.run_id)  # re-read after joining: nothing can be missed now
        if run is None:  # deleted in between
            await self.close(code=_CLOSE_NOT_FOUND)
            return
        status = {
            "type": "status",
            "run_id": self.run_id,
            "status": run.status,
            "last_seq": run.last_seq,
            "protocol": PROTOCOL_VERSION,
        }
        await self.send(text_data=dumps(status))
        self.last_sent = _after_from(self.scope.get("query_string", b""))
        await self._send_history(after=self.last_sent)

    async def disconnect(self, code: int) -> None:
        if self.group is not None:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def _send_history(self, *, after: int, until: int | None = None) -> None:
        """Send logged messages with ``after < seq (<= until)``, page by page."""
        while True:
            rows = await _load_frames(self.run_id, after, _HISTORY_PAGE)
            for seq, text in rows:
                if until is not None and seq > until:
                    return
                await self.send(text_data=text)
                after = seq
                self.last_sent = max(self.last_sent, seq)
            if len(rows) < _HISTORY_PAGE:
                return

    async def run_messages(self, event: dict[str, Any]) -> None:
        """A batch from the worker: ``texts[i]`` has seq ``first_seq + i``."""
        first_seq: int = event["first_seq"]
        if first_seq > self.last_sent + 1:
            await self._send_history(after=self.last_sent, until=first_seq - 1)
        for offset, text in enumerate(event["texts"]):
            seq = first_seq + offset
            if seq > self.last_sent:
                await self.send(text_data=text)
                self.last_sent = seq

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if text_data is None:
            await self._send_error("binary messages are not supported")
            return
        if len(text_data.encode("utf-8")) > MAX_CLIENT_MESSAGE_BYTES:
            await self._send_error(f"message larger than {MAX_CLIENT_MESSAGE_BYTES} bytes")
            return
        try:
            message = json.loads(text_data)
        except (ValueError, RecursionError):
            await self._send_error("invalid JSON")
            return
        kind = message.get("type") if isinstance(message, dict) else None
        if kind == "ping":
            await self.send(text_data=dumps({"type": "pong"}))
        elif kind == "resync":
            after = message.get("after")
            if type(after) is not int or after < 0:
                await self._send_error("resync needs an integer 'after' >= 0")
                return
            await self._send_history(after=after)
        elif kind == "control":
            await self._control(message)
        elif kind == "pace":
            await self._pace(message)
        else:
            expected = "ping, resync, control or pace"
            await self._send_error(f"unknown message type {kind!r}; expected {expected}")

    async def _control(self, message: dict[str, Any]) -> None:
        """A live fault: validated against the fault schema and this run's nodes, then queued."""
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

    async def _send_error(self, error: str) -> None:
        message = {"type": "error", "run_id": self.run_id, "error": error, "details": []}
        await self.send(text_data=dumps(message))
