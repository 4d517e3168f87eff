"""`read_model`: a CQRS query side, projected asynchronously from an `event_store`.

Model: a read model is a `service` (its `workers`, `service_time_ms` and queue serve queries:
an M/G/c queue) that also receives the events an `event_store` publishes to it. One projector
applies those events in arrival order, each taking `project_ms` (constant), independently of
the query workers; an applied event makes the read model's copy of its key current up to that
event's sequence number. Projection lag is the time from the event's append in the store to its
application here. The read model acks each event once applied (`ack`): an event store ignores
it; a `broker` between store and read model uses it, redelivering lost events (at least once),
and the projection is idempotent (an event older than what the key shows is skipped), so
redelivery gives effectively-once projection.

A query asks about its request's key. It is `stale` when, at its arrival, the store already
holds a newer event for that key than this read model has applied: the fraction of stale
queries is the read-your-writes miss rate of asynchronous projection. Adding read-model
replicas (more edges from the store and from the query clients) divides the query load
without touching the write side, whose latency does not depend on them.
"""

from __future__ import annotations

from array import array

from apps.engine.kinds.base import Call, World
from apps.engine.kinds.broker import K_ACK, Broker
from apps.engine.kinds.event_store import EventStore, StoredEvent
from apps.engine.kinds.service import Service, ServiceParams
from apps.engine.metrics import mean_p99, rnd, spans
from apps.engine.params import LIMITS, param


class ReadModelParams(ServiceParams):
    project_ms: float = param(
        1.0,
        "Time to apply one event to the read model",
        unit="ms",
        ge=0,
        le=LIMITS["max_time_ms"],
    )


class ReadModel(Service):
    KIND = "read_model"
    Params = ReadModelParams

    __slots__ = ("applied", "lag_t0", "lag_t1", "pfree", "queries", "stale", "store")

    def __init__(self, world: World, spec, index: int) -> None:
        super().__init__(world, spec, index)
        self.applied: dict[int, int] = {}  # key -> sequence number of the last applied event
        self.pfree = 0.0  # when the projector is next idle
        self.lag_t0, self.lag_t1 = array("d"), array("d")
        self.queries = self.stale = 0
        self.store: EventStore | None = None

    def start(self) -> None:
        super().start()
        self.store = self._find_store()

    def _find_store(self) -> EventStore | None:
        """The event store feeding this read model, directly or through one broker."""
        links = self.world.links
        for lk in links:
            if lk.dst is self and isinstance(lk.src, EventStore):
                return lk.src
        for lk in links:
            if lk.dst is self and isinstance(lk.src, Broker):
                for up in links:
                    if up.dst is lk.src and isinstance(up.src, EventStore):
                        return up.src
        return None

    @staticmethod
    def _event(call: Call) -> StoredEvent | None:
        ctx = call.ctx
        if isinstance(call.caller, Broker):
            ctx = ctx.body
        return ctx if isinstance(ctx, StoredEvent) else None

    def on_request(self, call: Call) -> None:
        if self._event(call) is not None:
            if self.up:
                self.pfree = max(self.k.now, self.pfree) + self.params.project_ms / 1000.0
                self.k.at(self.pfree, self._project, call)
            else:
                self.reply(call, False)
            return
        if self.up and self.k.now >= self.world.warmup:
            self.queries += 1
            key = call.req.key
            if self.store is not None and self.store.version.get(key, 0) > self.applied.get(key, 0):
                self.stale += 1
        super().on_request(call)

    def _project(self, call: Call) -> None:
        if not self.up:
            return  # lost in a crash (a broker in front redelivers it)
        ev = self._event(call)
        key = call.req.key
        if ev.seq > self.applied.get(key, 0):  # idempotent: a redelivered event changes nothing
            self.applied[key] = ev.seq
            self.lag_t0.append(ev.t)
            self.lag_t1.append(self.k.now)
        call.ok = True
        self.net.send(call.link, False, K_ACK, call.caller.on_reply, call, 64)

    def crash(self) -> None:
        super().crash()
        self.pfree = self.k.now

    def result(self, end: float) -> dict:
        out = super().result(end)
        lag = spans(self.lag_t0, self.lag_t1, min(self.world.warmup, end))
        out["kind"] = self.KIND
        out["projected"] = len(lag)
        out["projection_lag_ms"] = mean_p99(lag, 1000.0)
        out["queries"] = self.queries
        out["stale_reads"] = self.stale
        out["stale_fraction"] = rnd(self.stale / self.queries) if self.queries else 0.0
        return out
