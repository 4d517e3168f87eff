"""The run message log writer: stamp, serialize once, store, then fan out.

The worker is the only writer of a running run's log. Each engine message gets ``run_id`` and
the next ``seq``, is serialized once with orjson, and waits in a buffer. At most every
``flush_interval_s`` of wall time (and at the end) the buffer is written as RunFrame rows (the
durable record) in one transaction that also advances ``Run.last_seq``, and only then sent as
ONE group message carrying the pre-serialized texts: viewers that miss it (the channel layer is
at-most-once) recover from the rows.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import orjson
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from apps.runs.models import Run, RunFrame

logger = logging.getLogger(__name__)

# The group message type; Channels dispatches "run.messages" to the consumer's run_messages.
GROUP_MESSAGE_TYPE = "run.messages"
_MAX_BUFFER_BYTES = 1024 * 1024


def run_group(run_id: uuid.UUID | str) -> str:
    """The channel-layer group of a run's viewers: ASCII letters, digits, '-', '.', <= 100."""
    return f"run.{uuid.UUID(str(run_id))}"


@dataclass(frozen=True)
class Batch:
    """Consecutive logged messages of one run: ``texts[i]`` has seq ``first_seq + i``."""

    run_id: str
    first_seq: int
    texts: list[str]


Publish = Callable[[Batch], None]


def layer_publish(batch: Batch) -> None:
    """The production publisher: one ``group_send`` to the run's group."""
    layer = get_channel_layer()
    if layer is None:
        return
    async_to_sync(layer.group_send)(
        run_group(batch.run_id),
        {"type": GROUP_MESSAGE_TYPE, "first_seq": batch.first_seq, "texts": batch.texts},
    )


def safe_publish(publish: Publish, batch: Batch) -> None:
    """Publish, but never let the fast path break the run: the rows are already stored."""
    try:
        publish(batch)
    except Exception:
        logger.exception("publishing run %s seq %d failed", batch.run_id, batch.first_seq)


def dumps(message: dict[str, Any]) -> str:
    """The one serializer of wire messages."""
    return orjson.dumps(message).decode("utf-8")


class RunLost(Exception):
    """The run is no longer ours to write (the reconciler failed it): stop quietly."""


class Broadcaster:
    """Feeds a run's log; ``emit`` is handed to ``engine.simulate``."""

    def __init__(
        self,
        *,
        run_id: uuid.UUID,
        publish: Publish,
        start_seq: int = 0,
        flush_interval_s: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.run_id = run_id
        self._run_id_str = str(run_id)
        self._publish = publish
        self._seq = start_seq
        self._interval = (
            settings.RUN_FLUSH_INTERVAL_S if flush_interval_s is None else flush_interval_s
        )
        self._clock = clock
        self._last_flush = clock()
        self._rows: list[RunFrame] = []
        self._texts: list[str] = []
        self._bytes = 0

    @property
    def seq(self) -> int:
        """The last seq handed out."""
        return self._seq

    def stamp(self, message: dict[str, Any]) -> str:
        """Give ``message`` the next seq, serialize it and buffer it; returns the text."""
        self._seq += 1
        stamped = {"type": message["type"], "run_id": self._run_id_str, "seq": self._seq}
        stamped.update((k, v) for k, v in message.items() if k not in stamped)
        text = dumps(stamped)
        self._rows.append(
            RunFrame(run_id=self.run_id, seq=self._seq, type=message["type"], payload=text)
        )
        self._texts.append(text)
        self._bytes += len(text)
        return text

    def emit(self, message: dict[str, Any]) -> None:
        """The engine's ``emit``: buffer, and flush when the interval or size says so."""
        self.stamp(message)
        self.maybe_flush()

    def maybe_flush(self) -> None:
        """Flush if the wall-time interval has passed or the buffer grew large."""
        if self._rows and (
            self._clock() - self._last_flush >= self._interval or self._bytes >= _MAX_BUFFER_BYTES
        ):
            self.flush()

    def flush(self, **final: Any) -> None:
        """Store the buffer (and ``final`` Run fields, e.g. the terminal status), then publish.

        Raises RunLost when the run is no longer ``running`` (nothing is written then).
        """
        self._last_flush = self._clock()
        if not self._rows and not final:
            return
        first_seq = self._seq - len(self._rows) + 1
        with transaction.atomic():
            updated = Run.objects.filter(pk=self.run_id, status=Run.Status.RUNNING).update(
                last_seq=self._seq, heartbeat_at=timezone.now(), **final
            )
            if not updated:
                raise RunLost(str(self.run_id))
            RunFrame.objects.bulk_create(self._rows)
        texts = self._texts
        self._rows, self._texts, self._bytes = [], [], 0
        if texts:
            safe_publish(self._publish, Batch(self._run_id_str, first_seq, texts))
