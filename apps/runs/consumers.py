"""The run websocket: status, then the logged history, then live messages, without gaps.

Thin: it validates the run, joins the run's group *before* reading the log (so nothing falls
between the two), and forwards pre-serialized texts. Channels dispatches one message at a time,
so live batches arriving while history loads wait in the consumer's queue; every text is sent
only if its seq is above the last one sent, and a live batch that starts past a gap is preceded
by the missing seqs from the log (the channel layer may drop or expire messages).

Limits (apps.runs.flow): a viewer that does not read is not written to past a byte cap (its
batches are dropped, the log has them: it resumes from ``last_sent`` once it drains) and is
closed with 4008 if it stays stalled; a socket over the inbound rate is closed with 1008. Live
faults (``control``) need the scenario's edit right: the owner's session, or the edit token in
an ``auth`` message or a ``topolab.edit.<token>`` subprotocol (never the query string, which
ends up in logs). Viewing, ``pace``, ``ping`` and ``resync`` are open to anyone with the link.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import random
import time
import uuid
from typing import Any
from urllib.parse import parse_qs

from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from redis import RedisError

from apps.runs import live
from apps.runs.broadcaster import GROUP_MESSAGE_TYPE, RUNS_LAYER, dumps, run_group
from apps.runs.consumer_control import LiveControlMixin
from apps.runs.flow import (
    CLOSE_NOT_FOUND,
    CLOSE_POLICY,
    CLOSE_TOO_SLOW,
    TokenBucket,
    buffered_bytes,
    close_socket,
    inbound_backlog,
    pause_reading,
)
from apps.runs.models import Run
from apps.runs.protocol import MAX_CLIENT_MESSAGE_BYTES, PROTOCOL_VERSION, TERMINAL_STATUSES
from apps.runs.services import frames_after
from apps.runs.viewer_auth import subprotocols

logger = logging.getLogger(__name__)

_HISTORY_PAGE = 200
_LAG_POLL_S = 0.2
_IDLE_S = 5.0
_BATCH_BYTES = 256 * 1024
# Inbound cost in tokens: one per message plus one per KiB; a resync reads the log, so more.
_RESYNC_COST = 5.0


@database_sync_to_async
def _load_run(run_id: str) -> Run | None:
    try:
        return Run.objects.filter(pk=uuid.UUID(run_id)).only("id", "status", "last_seq").first()
    except ValueError:
        return None


@database_sync_to_async
def _load_frames(run_id: str, after: int, limit: int) -> list[tuple[int, str]]:
    return frames_after(run_id=run_id, after=after, limit=limit)


def _after_from(query_string: bytes) -> tuple[int, bool]:
    """(``after``, ``batch``) from the socket URL's query string."""
    query = parse_qs(query_string.decode("latin-1"))
    batch = query.get("batch", ["0"])[-1] == "1"
    try:
        return max(0, int(query.get("after", ["0"])[-1])), batch
    except ValueError:
        return 0, batch


class RunConsumer(LiveControlMixin, AsyncWebsocketConsumer):
    """``/ws/runs/<run_id>?after=N[&batch=1]``."""

    channel_layer_alias = RUNS_LAYER
    run_id: str
    group: str | None = None
    last_sent: int = 0

    async def connect(self) -> None:
        self.run_id = str(self.scope["url_route"]["kwargs"]["run_id"])
        self._bucket = TokenBucket(settings.RUN_SOCKET_RATE, settings.RUN_SOCKET_BURST)
        self._send_lock = asyncio.Lock()
        self._lag_since: float | None = None
        self._watcher: asyncio.Task[None] | None = None
        self._idle_watcher: asyncio.Task[None] | None = None
        self._last_batch = time.monotonic()
        self._closing = False
        self._lags = 0
        self._batch = False
        self._edit_right = False
        subprotocol, self._edit_token = subprotocols(list(self.scope.get("subprotocols") or []))
        await self.accept(subprotocol)
        pause_reading(self.base_send, True)  # nothing is read until status and history are out
        try:
            await self._start()
        finally:
            if not self._closing:
                pause_reading(self.base_send, False)

    async def _start(self) -> None:
        run = await _load_run(self.run_id)
        if run is None:
            await self._refuse(CLOSE_NOT_FOUND, "no such run")
            return
        self.group = run_group(self.run_id)
        await self.channel_layer.group_add(self.group, self.channel_name)
        with contextlib.suppress(RedisError):  # the count only tunes batching
            await sync_to_async(live.viewer_join)(self.run_id, self.channel_name)
        run = await _load_run(self.run_id)  # re-read after joining: nothing can be missed now
        if run is None:  # deleted in between
            await self.close(code=CLOSE_NOT_FOUND)
            return
        status = {
            "type": "status",
            "run_id": self.run_id,
            "status": run.status,
            "last_seq": run.last_seq,
            "protocol": PROTOCOL_VERSION,
        }
        await self.send(text_data=dumps(status))
        self.last_sent, self._batch = _after_from(self.scope.get("query_string", b""))
        async with self._send_lock:
            await self._send_history(after=self.last_sent)
        if run.status not in TERMINAL_STATUSES:
            self._idle_watcher = asyncio.create_task(self._watch_idle())

    async def disconnect(self, code: int) -> None:
        self._closing = True
        for task in (self._watcher, self._idle_watcher):
            if task is not None:
                task.cancel()
        if self.group is not None:
            await self.channel_layer.group_discard(self.group, self.channel_name)
            with contextlib.suppress(RedisError):
                await sync_to_async(live.viewer_leave)(self.run_id, self.channel_name)

    async def dispatch(self, message: dict[str, Any]) -> None:
        """Live batches skip Channels' per-message hop to a thread (close_old_connections): they
        touch no ORM connection here (the gap fill goes through database_sync_to_async, which
        closes its own), and that hop is most of a delivery's cost with hundreds of viewers."""
        kind = message.get("type")
        if kind == GROUP_MESSAGE_TYPE:
            await self.run_messages(message)
        elif kind == "websocket.receive" and not await self._admit(message):
            return  # refused before any work: a flood is dropped at the cost of a dict lookup
        else:
            await super().dispatch(message)

    async def _admit(self, message: dict[str, Any]) -> bool:
        """The inbound token bucket: one token a message plus one per KiB."""
        if self._closing:
            return False
        size = len(message.get("text") or message.get("bytes") or b"")
        backlog = inbound_backlog(self.base_send) or 0
        if backlog <= settings.RUN_SOCKET_BURST and self._bucket.take(1.0 + size / 1024):
            return True
        rate = settings.RUN_SOCKET_RATE
        await self._refuse(CLOSE_POLICY, f"too many messages: over {rate:g} a second")
        return False

    # --- outbound: history, live batches, laggards -------------------------------------------

    def _over_cap(self) -> bool:
        pending = buffered_bytes(self.base_send)
        return pending is not None and pending > settings.RUN_VIEWER_BUFFER_BYTES

    async def _send_many(self, rows: list[tuple[int, str]]) -> bool:
        """Send the logged ``(seq, text)`` rows above ``last_sent``, in order, unless the viewer
        lags (then False, and it is marked lagging; what was not sent follows from the log).

        A client that connected with ``batch=1`` gets them packed into ``batch`` messages of at
        most _BATCH_BYTES (one websocket message instead of one per text: most of a delivery's
        cost is per message); others get one message per text.
        """
        pending = [(seq, text) for seq, text in rows if seq > self.last_sent]
        while pending:
            if self._closing:
                return False
            if self._over_cap():
                self._start_lagging()
                return False
            if not self._batch:
                seq, text = pending.pop(0)
                await self.send(text_data=text)
                self.last_sent = seq
                continue
            size, n = 0, 0
            while n < len(pending) and (n == 0 or size + len(pending[n][1]) <= _BATCH_BYTES):
                size += len(pending[n][1]) + 1
                n += 1
            chunk, pending = pending[:n], pending[n:]
            if n == 1:
                await self.send(text_data=chunk[0][1])
            else:
                texts = ",".join(text for _, text in chunk)
                await self.send(text_data=f'{{"type":"batch","messages":[{texts}]}}')
            self.last_sent = chunk[-1][0]
        return True

    async def _send_history(self, *, after: int, until: int | None = None) -> bool:
        """Send logged messages with ``after < seq (<= until)``, page by page; False if the
        viewer started lagging on the way (the rest then follows when it drains)."""
        while True:
            rows = await _load_frames(self.run_id, after, _HISTORY_PAGE)
            page = [(seq, text) for seq, text in rows if until is None or seq <= until]
            if not await self._send_many(page):
                return False
            if len(rows) < _HISTORY_PAGE or len(page) < len(rows):
                return True
            after = rows[-1][0]

    async def run_messages(self, event: dict[str, Any]) -> None:
        """A batch from the worker: ``texts[i]`` has seq ``first_seq + i``.

        While the viewer lags the batch is dropped: only ``last_sent`` is kept, and the watcher
        sends what followed it from the log once the viewer has read its backlog.
        """
        self._last_batch = time.monotonic()
        if self._closing or self._lag_since is not None:
            return
        first_seq: int = event["first_seq"]
        async with self._send_lock:
            if first_seq > self.last_sent + 1 and not await self._send_history(
                after=self.last_sent, until=first_seq - 1
            ):
                return
            await self._send_many(list(enumerate(event["texts"], start=first_seq)))

    def _start_lagging(self) -> None:
        if self._lag_since is None:
            self._lag_since = time.monotonic()
            self._lags += 1
        if self._lags == 1 and self._watcher is None:
            logger.info(
                "run %s: viewer lagging at seq %d (%s bytes unsent); holding its batches",
                self.run_id,
                self.last_sent,
                buffered_bytes(self.base_send),
            )
        if self._watcher is None or self._watcher.done():
            self._watcher = asyncio.create_task(self._watch_lag())

    async def _watch_lag(self) -> None:
        """Resume from the log once the backlog drains to a quarter of the cap; or close."""
        while not self._closing and self._lag_since is not None:
            await asyncio.sleep(_LAG_POLL_S)
            pending = buffered_bytes(self.base_send) or 0
            if pending <= settings.RUN_VIEWER_BUFFER_BYTES // 4:
                self._lag_since = None
                async with self._send_lock:
                    await self._send_history(after=self.last_sent)  # may lag again
            elif time.monotonic() - self._lag_since > settings.RUN_VIEWER_STALL_S:
                stall = settings.RUN_VIEWER_STALL_S
                await self._refuse(
                    CLOSE_TOO_SLOW,
                    f"too slow: frames were not read for {stall:g} s; reconnect with "
                    f"?after={self.last_sent} to resume from the log",
                )

    async def _watch_idle(self) -> None:
        """The safety net under the channel layer: pub/sub subscriptions can be lost silently
        (a Redis restart). While no batch has come for _IDLE_S, look at the run now and then
        (jittered, one query) and send what the log has beyond ``last_sent``; stop once the run
        is terminal and everything was sent."""
        while not self._closing:
            await asyncio.sleep(_IDLE_S * (1 + random.random()))
            if time.monotonic() - self._last_batch < _IDLE_S or self._lag_since is not None:
                continue
            run = await _load_run(self.run_id)
            if run is None:
                return
            if run.last_seq > self.last_sent:
                async with self._send_lock:
                    await self._send_history(after=self.last_sent)
            if run.status in TERMINAL_STATUSES and self.last_sent >= run.last_seq:
                return

    # --- inbound ------------------------------------------------------------------------------

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
            await self._resync(message)
        elif kind == "control":
            await self._control(message)
        elif kind == "pace":
            await self._pace(message)
        elif kind == "auth":
            await self._auth(message)
        else:
            expected = "ping, resync, control, pace or auth"
            await self._send_error(f"unknown message type {kind!r}; expected {expected}")

    async def _resync(self, message: dict[str, Any]) -> None:
        after = message.get("after")
        if type(after) is not int or after < 0:
            await self._send_error("resync needs an integer 'after' >= 0")
            return
        if not self._bucket.take(_RESYNC_COST):
            await self._refuse(CLOSE_POLICY, "too many resyncs")
            return
        async with self._send_lock:
            self.last_sent = min(self.last_sent, after)
            await self._send_history(after=after)

    async def _send_error(self, error: str) -> None:
        message = {"type": "error", "run_id": self.run_id, "error": error, "details": []}
        await self.send(text_data=dumps(message))

    async def _refuse(self, code: int, error: str) -> None:
        """Say why, then close with ``code`` (Daphne drops close reasons, so the text goes in an
        ``error`` message first); nothing more is read or sent on this socket."""
        if self._closing:
            return
        if code != CLOSE_NOT_FOUND:
            logger.warning("run %s: closing a socket with %d: %s", self.run_id, code, error)
        await self._send_error(error)
        self._closing = True
        if not close_socket(self.base_send, code, error, stop_reading=code == CLOSE_POLICY):
            await self.close(code=code)
