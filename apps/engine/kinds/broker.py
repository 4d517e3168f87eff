"""`broker`: a message broker with a queue (competing consumers) or a topic (pub/sub fan-out).

Model: producers (clients or services) send requests to the broker; each request is one
published message, stored at once and acknowledged to the producer with an `ack` message (the
publish ack). The broker's outgoing edges are its consumers. It delivers a message as a request
of kind `event` over a consumer's edge; the consumer's `response` is the ack. Each consumer has
at most `prefetch` unacknowledged deliveries; the broker dispatches the oldest waiting message
to the next consumer (round robin over those with a free prefetch slot).

- `mode: queue`: one FIFO shared by all consumers; each message goes to one of them
  (competing consumers). With prefetch 1 and one-worker consumers over zero-latency edges this
  is exactly an M/G/c queue whose waiting room is the broker.
- `mode: topic`: one FIFO per subscriber (outgoing edge); every message is copied to every
  subscriber, each with its own backlog and lag, so a slow subscriber lags alone.

Delivery semantics:
- `at_least_once`: no ack within `ack_timeout_ms`, or an error answer, makes the broker deliver
  the message again (kind `event`, at the front of its queue); after `max_attempts` deliveries
  it goes to the dead-letter queue. A lost or late ack therefore makes the consumer process a
  message twice: duplicates are counted.
- `at_most_once`: a failed delivery is never repeated; a delivery lost on the way is a lost
  message (counted). The prefetch slot is still freed by the ack or the ack timeout.
- `effectively_once`: at-least-once delivery to idempotent consumers: repeated deliveries are
  still sent and worked on, but the consumer recognises the message id and does not apply it
  again, so duplicates are counted as absorbed, and none is applied twice.

An error answer (consumer down, its queue full) also pauses that consumer for
`consumer_backoff_ms` (the broker sees the connection drop and waits before delivering to it
again). The broker is durable: a crash loses no stored message; publishes are refused while it
is down, unacknowledged deliveries go back to the front of their queue and are delivered again
after the restart (their late acks are ignored).

Measured (window `[warmup, end]`, by publish time): published, acked, redeliveries, dead letters,
lost, duplicates (consumer work on a message beyond the first, known from the consumer's own
answer flag even when the ack was lost), queue wait (publish -> first delivery), lag (publish ->
ack), queue depth (time average and max of waiting messages) and, for topics, the same per
subscriber.
"""

from __future__ import annotations

from collections import deque
from heapq import heappush
from typing import Literal

from apps.engine.kernel import PRIO_MODEL
from apps.engine.kinds.base import Call, Node, Req, World
from apps.engine.metrics import mean_p99, rnd
from apps.engine.network import K_TIMEOUT, MESSAGE_KINDS
from apps.engine.params import LIMITS, Strict, param

K_EVENT = MESSAGE_KINDS.index("event")
K_ACK = MESSAGE_KINDS.index("ack")


class BrokerParams(Strict):
    mode: Literal["queue", "topic"] = param(
        "queue",
        "queue: each message to one consumer (competing consumers); topic: every message to "
        "every subscriber (outgoing edge), each with its own backlog",
    )
    delivery: Literal["at_least_once", "at_most_once", "effectively_once"] = param(
        "at_least_once",
        "at_least_once: redeliver until acked (duplicates possible); at_most_once: never "
        "redeliver (losses possible); effectively_once: at-least-once to idempotent consumers",
    )
    prefetch: int = param(
        1, "Most unacknowledged deliveries per consumer", ge=1, le=LIMITS["max_queue_capacity"]
    )
    ack_timeout_ms: float = param(
        1000.0,
        "Redeliver (or, at most once, give up) when no ack came within this time",
        unit="ms",
        gt=0,
        le=LIMITS["max_time_ms"],
    )
    max_attempts: int = param(
        5, "Deliveries of one message before it is dead-lettered", ge=1, le=1000
    )
    consumer_backoff_ms: float = param(
        100.0,
        "After an error answer, wait this long before delivering to that consumer again",
        unit="ms",
        ge=0,
        le=LIMITS["max_time_ms"],
    )
    max_depth: int | None = param(
        None,
        "Most waiting messages (per queue); publishes beyond are refused (none: unbounded)",
        ge=0,
        le=LIMITS["max_queue_capacity"],
    )
    message_bytes: int = param(
        512,
        "Size of a delivered message, for bandwidth-limited links",
        unit="B",
        ge=0,
        le=LIMITS["max_message_bytes"],
    )
    ack_bytes: int = param(
        64, "Size of a publish ack", unit="B", ge=0, le=LIMITS["max_message_bytes"]
    )


class _Msg:
    """One message in one queue (a topic holds one copy per subscriber)."""

    __slots__ = ("body", "calls", "dead", "lane", "req", "t_ack", "t_first", "t_pub")

    def __init__(self, req: Req, t: float, lane: _Lane, body: object) -> None:
        self.req = req
        self.body = body  # the publisher's context (e.g. an event_store's StoredEvent)
        self.t_pub = t
        self.lane = lane
        self.t_first = -1.0
        self.t_ack = -1.0
        self.dead = 0  # 1: dead-lettered, 2: given up (at most once)
        self.calls: list[Call] = []


class _Lane:
    """A FIFO of waiting messages and the consumers (positions in `out`) that drain it."""

    __slots__ = ("area", "consumers", "last", "max", "msgs", "pending", "rr")

    def __init__(self, consumers: list[int], now: float) -> None:
        self.consumers = consumers
        self.pending: deque[_Msg] = deque()
        self.msgs: list[_Msg] = []
        self.rr = 0
        self.area = 0.0
        self.last = now
        self.max = 0

    def mark(self, now: float) -> None:
        """Fold the depth since the last change into the time integral."""
        self.area += len(self.pending) * (now - self.last)
        self.last = now


class Broker(Node):
    KIND = "broker"
    Params = BrokerParams

    __slots__ = (
        "ack_to",
        "armed",
        "backoff",
        "deadlines",
        "flight",
        "inflight",
        "lanes",
        "msize",
        "paused",
        "pf",
        "pos",
        "refused",
        "rejected",
        "tick_cb",
    )

    def __init__(self, world: World, spec, index: int) -> None:
        super().__init__(world, spec, index)
        self.ack_to = self.params.ack_timeout_ms / 1000.0
        self.backoff = self.params.consumer_backoff_ms / 1000.0
        self.pf = self.params.prefetch  # hot-path copies of params
        self.msize = self.params.message_bytes
        self.tick_cb = self._tick
        self.refused = self.rejected = 0

    def start(self) -> None:
        n = len(self.out)
        self.pos = {link.index: i for i, link in enumerate(self.out)}
        if self.params.mode == "queue":
            self.lanes = [_Lane(list(range(n)), 0.0)]
        else:
            self.lanes = [_Lane([i], 0.0) for i in range(n)]
        self.inflight = [0] * n
        self.paused = [0.0] * n
        self.flight: dict[Call, None] = {}  # unacked deliveries, insertion ordered
        # Ack deadlines in send order: the timeout is constant, so they are ascending and one
        # armed timer at the earliest replaces a heap entry per delivery (a smaller heap).
        self.deadlines: deque[tuple[float, Call]] = deque()
        self.armed = False

    # publish -----------------------------------------------------------------------------------
    def on_request(self, call: Call) -> None:
        if not self.up:
            self.refused += 1
            self.reply(call, False)
            return
        now = self.k.now
        cap = self.params.max_depth
        if cap is not None and any(len(lane.pending) >= cap for lane in self.lanes):
            self.rejected += 1
            self.reply(call, False)
            return
        for lane in self.lanes:
            m = _Msg(call.req, now, lane, call.ctx)
            lane.msgs.append(m)
            lane.mark(now)
            lane.pending.append(m)
            if len(lane.pending) > lane.max:
                lane.max = len(lane.pending)
        call.ok = True
        self.net.send(call.link, False, K_ACK, call.caller.on_reply, call, self.params.ack_bytes)
        for lane in self.lanes:
            self._dispatch(lane)

    # delivery ----------------------------------------------------------------------------------
    def _dispatch(self, lane: _Lane) -> None:
        """Deliver waiting messages while some consumer of `lane` has a free prefetch slot."""
        pend = lane.pending
        if not pend or not self.up:
            return
        cons = lane.consumers
        n = len(cons)
        infl, paused, pf = self.inflight, self.paused, self.pf
        now = self.k.now
        while pend:
            for j in range(n):
                pos = cons[(lane.rr + j) % n]
                if infl[pos] < pf and paused[pos] <= now:
                    break
            else:
                return
            lane.rr = (lane.rr + j + 1) % n
            lane.mark(now)
            self._deliver(pend.popleft(), pos, now)

    def _deliver(self, m: _Msg, pos: int, now: float) -> None:
        link = self.out[pos]
        call = Call(self, link, m, m.req)
        call.ok = False  # the consumer sets it when it answers: "it processed this delivery"
        m.calls.append(call)
        if m.t_first < 0.0:
            m.t_first = now
        self.inflight[pos] += 1
        self.flight[call] = None
        t = now + self.ack_to
        self.deadlines.append((t, call))
        if not self.armed:
            self.armed = True
            heappush(self.heap, (t, PRIO_MODEL, next(self.seq), self.tick_cb, None))
        self.request(link, call, K_EVENT, self.msize)

    def _tick(self, _: object) -> None:
        """Time out every delivery whose deadline has passed, then re-arm for the next one."""
        dq, flight = self.deadlines, self.flight
        now = self.k.now
        while dq and dq[0][0] <= now:
            call = dq.popleft()[1]
            if call in flight:
                self._ack_timeout(call)
        while dq and dq[0][1] not in flight:  # acked already: no need to wake for it
            dq.popleft()
        if dq:
            heappush(self.heap, (dq[0][0], PRIO_MODEL, next(self.seq), self.tick_cb, None))
        else:
            self.armed = False

    def on_reply(self, call: Call) -> None:
        if call not in self.flight:
            return  # a late ack: the message was redelivered, given up, or the broker crashed
        del self.flight[call]
        pos = self.pos[call.link.index]
        self.inflight[pos] -= 1
        m: _Msg = call.ctx
        now = self.k.now
        if call.ok:
            m.t_ack = now
        else:
            self._failed(m, now)
            if self.backoff > 0.0:
                self.paused[pos] = now + self.backoff
                self.k.at(now + self.backoff, self._dispatch, m.lane)
        self._dispatch(m.lane)

    def _ack_timeout(self, call: Call) -> None:
        del self.flight[call]
        self.inflight[self.pos[call.link.index]] -= 1
        self.net.mark(self, K_TIMEOUT)
        m: _Msg = call.ctx
        self._failed(m, self.k.now)
        self._dispatch(m.lane)

    def _failed(self, m: _Msg, now: float) -> None:
        """A delivery got no ack: redeliver, dead-letter, or (at most once) drop it."""
        if self.params.delivery == "at_most_once":
            m.dead = 2
            return
        if len(m.calls) >= self.params.max_attempts:
            m.dead = 1
            return
        lane = m.lane
        lane.mark(now)
        lane.pending.appendleft(m)
        if len(lane.pending) > lane.max:
            lane.max = len(lane.pending)

    # faults ------------------------------------------------------------------------------------
    def crash(self) -> None:
        if not self.up:
            return
        self.up = False
        now = self.k.now
        # durable: unacked messages wait again, oldest first, and are redelivered after restart
        for call in reversed(list(self.flight)):
            m: _Msg = call.ctx
            if self.params.delivery == "at_most_once":
                m.dead = 2
            else:
                m.lane.mark(now)
                m.lane.pending.appendleft(m)
        self.flight.clear()
        self.inflight = [0] * len(self.out)

    def restart(self) -> None:
        self.up = True
        for lane in self.lanes:
            self._dispatch(lane)

    # observation -------------------------------------------------------------------------------
    def reset_window(self) -> None:
        now = self.k.now
        for lane in self.lanes:
            lane.mark(now)
            lane.area = 0.0
            lane.max = len(lane.pending)

    def state(self) -> tuple[int, int, int]:
        return sum(len(lane.pending) for lane in self.lanes), len(self.flight), int(self.up)

    def _lane_result(self, lane: _Lane, w: float, end: float) -> dict:
        msgs = [m for m in lane.msgs if m.t_pub >= w]
        span = end - w
        acked = [m.t_ack - m.t_pub for m in msgs if m.t_ack >= 0.0]
        waits = [m.t_first - m.t_pub for m in msgs if m.t_first >= 0.0]
        processed = [sum(1 for c in m.calls if c.ok) for m in msgs]
        dup = sum(p - 1 for p in processed if p > 1)
        lost = sum(1 for m, p in zip(msgs, processed, strict=True) if m.dead == 2 and p == 0)
        area = lane.area + len(lane.pending) * (end - lane.last)
        return {
            "published": len(msgs),
            "acked": len(acked),
            "processed": sum(1 for p in processed if p),
            "backlog": sum(1 for m in msgs if m.t_ack < 0.0 and not m.dead),
            "dead_lettered": sum(1 for m in msgs if m.dead == 1),
            "lost": lost,
            "deliveries": sum(len(m.calls) for m in msgs),
            "redeliveries": sum(len(m.calls) - 1 for m in msgs if m.calls),
            "duplicates": dup,
            "wait_ms": mean_p99(waits, 1000.0),
            "lag_ms": mean_p99(acked, 1000.0),
            "depth": {"mean": rnd(area / span) if span > 0 else 0.0, "max": lane.max},
        }

    def result(self, end: float) -> dict:
        w = min(self.world.warmup, end)
        lanes = [self._lane_result(lane, w, end) for lane in self.lanes]
        out: dict = {"kind": self.KIND, "mode": self.params.mode}
        keys = ("published", "acked", "processed", "backlog", "dead_lettered", "lost")
        keys += ("deliveries", "redeliveries", "duplicates")
        if self.params.mode == "queue" and lanes:
            out.update(lanes[0])
        else:
            for key in keys:  # summed over subscribers: a topic message counts once per copy
                out[key] = sum(r[key] for r in lanes)
            out["published"] = lanes[0]["published"] if lanes else 0
            out["subscribers"] = {
                self.out[lane.consumers[0]].dst.id: r
                for lane, r in zip(self.lanes, lanes, strict=True)
            }
        if self.params.delivery == "effectively_once":
            # idempotent consumers: repeated deliveries are recognised and not applied again
            out["absorbed"] = out["duplicates"]
            out["duplicates"] = 0
        else:
            out["absorbed"] = 0
        out["refused"] = self.refused
        out["rejected"] = self.rejected
        return out
