"""`saga_participant`: a choreographed saga step that reacts to events instead of commands.

Model: participants form a chain through their first outgoing edge. A request from anything
that is not a participant (e.g. a client) starts a saga at the first participant, which gives
it a saga id. Each participant runs its local transaction (exponential time, mean `work_ms`);
it fails with probability `failure` (nothing applied). On success it emits an `event` to the
next participant, or, at the end of the chain, answers `ack`, which travels back and completes
the saga. On failure it answers `compensation` to its predecessor, which undoes its own local
transaction (mean `compensate_ms`) and passes the `compensation` on back, so compensations run
in reverse order without any coordinator. The first participant answers its caller: a response
when the saga completed, an error when it was compensated.

There is no timeout: a participant that is down refuses events (an immediate error, so the
chain compensates), but one that crashes while a saga waits on it (or while it waits on the
next one) strands that saga: it stays `stuck`, possibly half-applied, which is the known
weakness of choreography without timeouts or a saga log.

The trace of each saga (per participant: applied / compensated times) feeds the shared checker
in patterns/saga.py (result["protocols"]["saga"]).
"""

from __future__ import annotations

from heapq import heappush
from math import log
from typing import Any

from apps.engine.kernel import PRIO_MODEL
from apps.engine.kinds.base import Call, Node, Req, World
from apps.engine.network import MESSAGE_KINDS
from apps.engine.params import LIMITS, Strict, param
from apps.engine.patterns.saga import SagaRecord, report
from apps.engine.rng import substream

K_EVENT = MESSAGE_KINDS.index("event")
K_ACK = MESSAGE_KINDS.index("ack")
K_COMPENSATION = MESSAGE_KINDS.index("compensation")


class SagaParticipantParams(Strict):
    work_ms: float = param(
        10.0, "Mean time of the local transaction", unit="ms", gt=0, le=LIMITS["max_time_ms"]
    )
    compensate_ms: float = param(
        10.0,
        "Mean time to undo the local transaction",
        unit="ms",
        gt=0,
        le=LIMITS["max_time_ms"],
    )
    failure: float = param(0.0, "Probability that the local transaction fails", ge=0, le=1)
    event_bytes: int = param(
        512, "Size of events and answers", unit="B", ge=0, le=LIMITS["max_message_bytes"]
    )


class SagaParticipant(Node):
    KIND = "saga_participant"
    Params = SagaParticipantParams

    __slots__ = ("active", "ended", "entries", "local", "random", "refused", "stuck", "waiting")

    def __init__(self, world: World, spec, index: int) -> None:
        super().__init__(world, spec, index)
        self.random = substream(world.seed, f"node:{spec.id}").random
        self.local: dict[int, list[float]] = {}  # saga id -> [t applied, t compensated]
        self.entries: dict[Call, SagaRecord] = {}  # sagas started here, by the client's call
        self.active: dict[Call, None] = {}  # local transactions or compensations under way
        self.waiting: dict[Call, None] = {}  # events sent on, not answered yet
        self.stuck: list[int] = []
        self.refused = 0
        self.ended = {"completed": 0, "compensated": 0, "stuck": 0}  # sagas started here

    def _draw(self, mean_ms: float) -> float:
        return -log(1.0 - self.random()) * mean_ms / 1000.0 * self.slow

    def on_request(self, call: Call) -> None:
        if not self.up:
            self.refused += 1
            self.reply(call, False)
            return
        now = self.k.now
        if not isinstance(call.caller, SagaParticipant):
            sid = (self.index << 40) | (len(self.entries) + 1)
            r = call.req
            call.step = Req(sid, r.op, r.key, r.session)
            self.entries[call] = SagaRecord(sid, "running", [], t0=now)
        else:
            call.step = call.req
        call.t_st = 0.0  # 0: doing the transaction, 1: compensating it
        self.active[call] = None
        t = now + self._draw(self.params.work_ms)
        heappush(self.heap, (t, PRIO_MODEL, next(self.seq), self._worked, call))

    def _worked(self, call: Call) -> None:
        if call not in self.active:
            return  # crashed meanwhile
        del self.active[call]
        sid = call.step.id
        if self.random() < self.params.failure:
            self.local[sid] = [-1.0, -1.0]
            self._answer(call, False)
            return
        self.local[sid] = [self.k.now, -1.0]
        if not self.out:
            self._answer(call, True)
            return
        sub = Call(self, self.out[0], call, call.step)
        self.waiting[sub] = None
        self.request(self.out[0], sub, K_EVENT, self.params.event_bytes)

    def on_reply(self, sub: Call) -> None:
        if sub not in self.waiting:
            return
        del self.waiting[sub]
        parent: Call = sub.ctx
        if sub.ok:
            self._answer(parent, True)
            return
        parent.t_st = 1.0
        self.active[parent] = None
        t = self.k.now + self._draw(self.params.compensate_ms)
        heappush(self.heap, (t, PRIO_MODEL, next(self.seq), self._compensated, parent))

    def _compensated(self, call: Call) -> None:
        if call not in self.active:
            return
        del self.active[call]
        self.local[call.step.id][1] = self.k.now
        self._answer(call, False)

    def _answer(self, call: Call, ok: bool) -> None:
        rec = self.entries.get(call)
        if rec is not None:
            rec.outcome = "completed" if ok else "compensated"
            self.ended[rec.outcome] += 1
            rec.t1 = self.k.now
            self.reply(call, ok, self.params.event_bytes)
            return
        call.ok = ok
        kind = K_ACK if ok else K_COMPENSATION
        self.net.send(call.link, False, kind, call.caller.on_reply, call, self.params.event_bytes)

    # faults ------------------------------------------------------------------------------------
    def crash(self) -> None:
        if not self.up:
            return
        self.up = False
        for call in list(self.active):
            if call.t_st == 0.0:
                self._answer(call, False)  # reset before anything applied
            else:
                self.stuck.append(call.step.id)  # compensation lost with the process
        for sub in self.waiting:
            self.stuck.append(sub.req.id)  # the saga's Req: its answer can no longer come
        self.active.clear()
        self.waiting.clear()

    # observation -------------------------------------------------------------------------------
    def chain(self) -> list[SagaParticipant]:
        """This participant and those after it, following first outgoing edges."""
        out: list[SagaParticipant] = [self]
        while out[-1].out and isinstance(out[-1].out[0].dst, SagaParticipant):
            nxt = out[-1].out[0].dst
            if any(p is nxt for p in out):
                break
            out.append(nxt)
        return out

    def records(self) -> list[SagaRecord]:
        chain = self.chain()
        stuck = {sid for p in chain for sid in p.stuck}
        recs = list(self.entries.values())
        for rec in recs:
            steps = [p.local.get(rec.id, [-1.0, -1.0]) for p in chain]
            rec.applied = [a >= 0.0 and c < 0.0 for a, c in steps]
            done = sorted((c, k) for k, (_a, c) in enumerate(steps) if c >= 0.0)
            rec.comps = [k for _c, k in done]
            if rec.outcome == "running" and rec.id in stuck:
                rec.outcome = "stuck"
        return recs

    def state(self) -> tuple[int, int, int]:
        return len(self.waiting), len(self.active), int(self.up)

    def result(self, end: float) -> dict:
        return {
            "kind": self.KIND,
            "local_transactions": len(self.local),
            "compensated": sum(1 for _a, c in self.local.values() if c >= 0.0),
            "refused": self.refused,
        }

    @classmethod
    def protocol_result(cls, world: World, members: list[Node], end: float) -> dict[str, Any]:
        return saga_protocol(world, end)

    @classmethod
    def frame_state(cls, world: World, members: list[Node], t: float) -> dict[str, Any]:
        return saga_frame(world)


def saga_protocol(world: World, end: float) -> dict[str, Any]:
    """result["protocols"]["saga"] over every orchestrated and choreographed saga of the run."""
    recs: list[SagaRecord] = []
    styles = []
    for _cls, members in world.groups:
        for node in members:
            if isinstance(node, SagaParticipant) and node.entries:
                recs.extend(node.records())
                styles.append("choreographed")
            elif node.KIND == "saga_orchestrator":
                recs.extend(node.records())
                styles.append("orchestrated")
    style = styles[0] if len(set(styles)) == 1 else ("mixed" if styles else "none")
    return {"saga": report(recs, min(world.warmup, end), style)}


def saga_frame(world: World) -> dict[str, Any]:
    """frame["protocols"]["saga"]: sagas ended so far by outcome (orchestrated's "stuck" is
    known at once; a choreographed saga's only at the end of the run), and those under way."""
    total = {"completed": 0, "compensated": 0, "stuck": 0, "running": 0}
    for _cls, members in world.groups:
        for node in members:
            started = len(node.entries) if isinstance(node, SagaParticipant) else 0
            if node.KIND == "saga_orchestrator":
                started = len(node.sagas)
            elif not started:
                continue
            for k, v in node.ended.items():
                total[k] += v
            total["running"] += started - sum(node.ended.values())
    return {"saga": total}
