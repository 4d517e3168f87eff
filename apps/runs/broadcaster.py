"""The run message log writer: stamp, serialize once, store, then fan out.

The worker is the only writer of a running run's log. Each engine message gets ``run_id`` and
the next ``seq``, is serialized once with orjson, and waits in a buffer. At most every
flush interval of wall time (and at the end) the buffer is written as RunFrame rows (the
durable record) in one transaction that also advances ``Run.last_seq``, and only then sent as
ONE group message carrying the pre-serialized texts: viewers that miss it (the channel layer is
at-most-once) recover from the rows.

The interval adapts to the audience: every delivery costs Daphne a few hundred microseconds
per viewer, so with ``v`` viewers the buffer is flushed every ``v / RUN_FANOUT_PER_S`` seconds
(between RUN_FLUSH_INTERVAL_S and RUN_FLUSH_MAX_S): a few viewers get frames within ~0.1 s, a
class of 500 gets fewer, larger batches. Each message carries ``at``, the wall time (epoch
milliseconds) it was produced, so clients and benchmarks can measure delivery latency.
"""

from __future__ import annotations

import logging
import math
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import orjson
from celery.exceptions import SoftTimeLimitExceeded
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from apps.runs.models import Run, RunFrame

logger = logging.getLogger(__name__)

# The group message type; Channels dispatches "run.messages" to the consumer's run_messages.
GROUP_MESSAGE_TYPE = "run.messages"
_MAX_BUFFER_BYTES = 1024 * 1024
_VIEWERS_EVERY_S = 1.0


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


RUNS_LAYER = "runs"  # settings.CHANNEL_LAYERS alias: Redis pub/sub


def _group_channel(run_id: uuid.UUID | str) -> str:
    """The Redis pub/sub channel of a run's group, as channels_redis.pubsub names it
    (``<prefix>__group__<group>``); tests/runs/test_consumer.py holds the two together."""
    prefix = settings.CHANNEL_LAYERS[RUNS_LAYER]["CONFIG"]["prefix"]
    return f"{prefix}__group__{run_group(run_id)}"


def layer_publish(batch: Batch) -> None:
    """The production publisher: one PUBLISH to the run's group on the pub/sub layer.

    Sent with the worker's own Redis client rather than ``async_to_sync(group_send)``: the
    pub/sub layer keeps one connection per event loop, and every async_to_sync call from a
    sync worker runs on a fresh loop, so that would connect and disconnect on every flush.
    """
    layer = get_channel_layer(RUNS_LAYER)
    if layer is None:
        return
    from apps.runs import live

    message = {"type": GROUP_MESSAGE_TYPE, "first_seq": batch.first_seq, "texts": batch.texts}
    live.client().publish(_group_channel(batch.run_id), layer.serialize(message))


def safe_publish(publish: Publish, batch: Batch) -> None:
    """Publish, but never let the fast path break the run: the rows are already stored."""
    try:
        publish(batch)
    except SoftTimeLimitExceeded:
        raise  # the run's time is up: that is for run_execute, not a publishing failure
    except Exception:
        logger.exception("publishing run %s seq %d failed", batch.run_id, batch.first_seq)


def viewer_count(run_id: uuid.UUID | str) -> int:
    """Viewers of the run, from the registry the consumers keep (apps.runs.live)."""
    from apps.runs import live

    return live.viewer_count(run_id)


def adaptive_interval(viewers: int) -> float:
    """Seconds between flushes for ``viewers`` watching (see the module docstring)."""
    wanted = viewers / settings.RUN_FANOUT_PER_S
    return min(settings.RUN_FLUSH_MAX_S, max(settings.RUN_FLUSH_INTERVAL_S, wanted))


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
        self._durable = start_seq  # the last seq stored (Run.last_seq)
        self._fixed_interval = flush_interval_s
        self._interval = adaptive_interval(0) if flush_interval_s is None else flush_interval_s
        self._viewers_at = -math.inf
        self._clock = clock
        self._last_flush = clock()
        self._rows: list[RunFrame] = []  # stamped, not stored yet: seqs durable+1, durable+2, ...
        self._bytes = 0

    # Celery's soft time limit raises inside whatever line the worker is running, so no state
    # here is ever two things to update together: the seqs follow from ``_durable`` and the
    # buffer's length, a message joins the buffer in one ``append``, and ``resync`` re-reads
    # what a flush cut short actually stored.

    @property
    def seq(self) -> int:
        """The last seq handed out."""
        return self._durable + len(self._rows)

    def stamp(self, message: dict[str, Any]) -> str:
        """Give ``message`` the next seq, serialize it and buffer it; returns the text."""
        seq = self.seq + 1
        stamped = {"type": message["type"], "run_id": self._run_id_str, "seq": seq}
        stamped["at"] = round(time.time() * 1000, 1)
        stamped.update((k, v) for k, v in message.items() if k not in stamped)
        text = dumps(stamped)
        self._rows.append(RunFrame(run_id=self.run_id, seq=seq, type=message["type"], payload=text))
        self._bytes += len(text)
        return text

    def emit(self, message: dict[str, Any]) -> None:
        """The engine's ``emit``: buffer, and flush when the interval or size says so."""
        self.stamp(message)
        self.maybe_flush()

    def maybe_flush(self) -> None:
        """Flush if the wall-time interval has passed or the buffer grew large."""
        if self._rows and (
            self._clock() - self._last_flush >= self._current_interval()
            or self._bytes >= _MAX_BUFFER_BYTES
        ):
            self.flush()

    def _current_interval(self) -> float:
        """The fixed interval if one was given, else one re-read from the audience each second."""
        if self._fixed_interval is not None:
            return self._fixed_interval
        now = self._clock()
        if now - self._viewers_at >= _VIEWERS_EVERY_S:
            self._viewers_at = now
            try:
                self._interval = adaptive_interval(viewer_count(self.run_id))
            except SoftTimeLimitExceeded:
                raise
            except Exception:  # Redis down: keep the last interval, the log is written anyway
                logger.debug("run %s: viewer count unavailable", self.run_id)
        return self._interval

    def flush(self, **final: Any) -> None:
        """Store the buffer (and ``final`` Run fields, e.g. the terminal status), then publish.

        Raises RunLost when the run is no longer ``running`` (nothing is written then).
        """
        self._last_flush = self._clock()
        if not self._rows and not final:
            return
        rows, first_seq, last_seq = self._rows, self._durable + 1, self.seq
        self._store(rows, last_seq, final)
        self._rows, self._durable, self._bytes = [], last_seq, 0
        if rows:
            texts = [row.payload for row in rows]
            safe_publish(self._publish, Batch(self._run_id_str, first_seq, texts))

    @transaction.atomic  # a decorator, so the block's exit never waits on a line of ours
    def _store(self, rows: list[RunFrame], last_seq: int, final: dict[str, Any]) -> None:
        updated = Run.objects.filter(pk=self.run_id, status=Run.Status.RUNNING).update(
            last_seq=last_seq, heartbeat_at=timezone.now(), **final
        )
        if not updated:
            raise RunLost(str(self.run_id))
        RunFrame.objects.bulk_create(rows)

    def resync(self) -> None:
        """After an exception raised at an arbitrary line (the soft time limit): take what the
        database holds as the truth, so the next flush neither repeats nor skips a seq."""
        stored = Run.objects.filter(pk=self.run_id).values_list("last_seq", flat=True).first()
        if stored is not None and stored > self._durable:  # committed, then interrupted
            self._rows = [row for row in self._rows if row.seq > stored]
            self._durable = stored
