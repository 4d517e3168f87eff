"""`event_store`: an append-only event log (event sourcing) and the write model of CQRS.

Model: every request is a command (a write: append one event for the request's key) or a read
of the current state (a read). One writer handles them in arrival order, each taking
`append_ms` (constant): a D/G/1 FIFO. An appended event gets the next sequence number, becomes
the key's latest version, is acknowledged to the caller (`response`) and is then published as
an `event` of `event_bytes` to every outgoing edge (projectors such as `read_model`, or any
subscriber); publications are fire and forget (answers are ignored), so use reliable links or
put a `broker` between (a `read_model` behind a broker acks each event once projected, and the
broker redelivers the lost ones).

State is rebuilt by replay: every `snapshot_every` events the store saves a snapshot (0: never).
After a crash the in-memory state is gone; on restart the store loads the last snapshot
(`snapshot_load_ms`, only if there is one) and replays the events appended since, each costing
`replay_ms_per_event`; it refuses requests until that is done. The rebuild time is therefore
`load + (events since the last snapshot) x per-event cost`, bounded by
`load + snapshot_every x per-event cost` with snapshots and growing with the whole log without.
"""

from __future__ import annotations

from array import array

from apps.engine.kinds.base import Call, Node, Req, World
from apps.engine.metrics import mean_p99, rnd, spans
from apps.engine.network import MESSAGE_KINDS
from apps.engine.params import LIMITS, Strict, param

K_EVENT = MESSAGE_KINDS.index("event")


class StoredEvent:
    """What a published event carries (as its Call's ctx): its sequence number and append time."""

    __slots__ = ("seq", "t")

    def __init__(self, seq: int, t: float) -> None:
        self.seq = seq
        self.t = t


class EventStoreParams(Strict):
    append_ms: float = param(
        1.0,
        "Time to handle one command or read (one writer)",
        unit="ms",
        ge=0,
        le=LIMITS["max_time_ms"],
    )
    snapshot_every: int = param(
        0, "Save a snapshot every this many events (0: never)", ge=0, le=100_000_000
    )
    replay_ms_per_event: float = param(
        0.1,
        "Time to replay one event when rebuilding state",
        unit="ms",
        ge=0,
        le=LIMITS["max_time_ms"],
    )
    snapshot_load_ms: float = param(
        50.0,
        "Time to load the last snapshot when rebuilding",
        unit="ms",
        ge=0,
        le=LIMITS["max_time_ms"],
    )
    event_bytes: int = param(
        512, "Size of a published event", unit="B", ge=0, le=LIMITS["max_message_bytes"]
    )
    response_bytes: int = param(
        256, "Size of an answer", unit="B", ge=0, le=LIMITS["max_message_bytes"]
    )


class EventStore(Node):
    KIND = "event_store"
    Params = EventStoreParams

    __slots__ = (
        "f_arr",
        "f_end",
        "free_at",
        "ready_at",
        "rebuilds",
        "refused",
        "seqno",
        "since_snap",
        "snapshots",
        "version",
    )

    def __init__(self, world: World, spec, index: int) -> None:
        super().__init__(world, spec, index)
        self.seqno = 0  # events appended so far
        self.since_snap = 0
        self.snapshots = 0
        self.version: dict[int, int] = {}  # key -> sequence number of its latest event
        self.free_at = 0.0  # when the writer is next idle
        self.ready_at = 0.0  # refuses requests before this (rebuilding)
        self.rebuilds: list[tuple[float, int, float]] = []  # (t, events replayed, seconds)
        self.refused = 0
        self.f_arr, self.f_end = array("d"), array("d")

    def on_request(self, call: Call) -> None:
        now = self.k.now
        if not self.up or now < self.ready_at:
            self.refused += 1
            self.reply(call, False)
            return
        call.t_arr = now
        self.free_at = max(now, self.free_at) + self.params.append_ms / 1000.0 * self.slow
        self.k.at(self.free_at, self._done, call)

    def _done(self, call: Call) -> None:
        if not self.up or call.t_arr < self.ready_at:
            return  # lost in a crash: the caller's timeout notices
        now = self.k.now
        self.f_arr.append(call.t_arr)
        self.f_end.append(now)
        if call.req.op != Req.WRITE:
            self.reply(call, True, self.params.response_bytes)
            return
        self.seqno += 1
        self.version[call.req.key] = self.seqno
        self.since_snap += 1
        every = self.params.snapshot_every
        if every and self.since_snap >= every:
            self.since_snap = 0
            self.snapshots += 1
        self.reply(call, True, self.params.response_bytes)
        size = self.params.event_bytes
        for link in self.out:
            self.request(
                link, Call(self, link, StoredEvent(self.seqno, now), call.req), K_EVENT, size
            )

    def crash(self) -> None:
        self.up = False
        self.free_at = self.k.now

    def restart(self) -> None:
        now = self.k.now
        p = self.params
        load = p.snapshot_load_ms if self.snapshots else 0.0
        d = (load + self.since_snap * p.replay_ms_per_event) / 1000.0
        self.rebuilds.append((now, self.since_snap, d))
        self.up = True
        self.ready_at = now + d
        self.free_at = self.ready_at

    def state(self) -> tuple[int, int, int]:
        busy = 1 if self.free_at > self.k.now else 0
        return 0, busy, 1 if self.up and self.k.now >= self.ready_at else 0

    def result(self, end: float) -> dict:
        w = min(self.world.warmup, end)
        lat = spans(self.f_arr, self.f_end, w)
        rb = [d for _t, _n, d in self.rebuilds]
        return {
            "kind": self.KIND,
            "events": self.seqno,
            "snapshots": self.snapshots,
            "events_since_snapshot": self.since_snap,
            "completed": len(lat),
            "latency_ms": mean_p99(lat, 1000.0),
            "refused": self.refused,
            "rebuilds": len(rb),
            "rebuild_ms": {
                "max": rnd(max(rb) * 1000.0) if rb else 0.0,
                "last": rnd(rb[-1] * 1000.0) if rb else 0.0,
                "replayed": [n for _t, n, _d in self.rebuilds][:100],
            },
        }
