"""`saga_orchestrator`: drives each request as a saga of steps with compensations.

Model: every request that reaches the orchestrator starts a saga. The orchestrator's outgoing
edges, in scenario order, are the steps: it sends step i's request (kind `request`) to its
participant (any kind that answers, e.g. a `service`) and waits for the answer before step
i+1. A step fails when its participant answers with an error (down, queue full), when its
answer says "rejected" (probability `step_failure` per step: the participant's local
transaction refused, nothing applied), or when no answer comes within `step_timeout_ms` (then
the step may or may not have applied, so it is compensated too). On a failure the orchestrator
compensates the steps already done, in reverse order (kind `compensation`); a compensation that
fails is retried after `retry_delay_ms`, up to `compensation_retries` times, after which the
saga is `stuck`. A saga ends `completed` (the client gets a response) or `compensated` (the
client gets an error).

The saga log is durable: a crash stops the orchestrator and ignores answers meanwhile; on
restart every unfinished saga is compensated from its current step (included, since its answer
may have been lost). Requests arriving while down are refused.

Every saga leaves a trace (patterns/saga.py) checked for atomicity; result["protocols"]["saga"]
counts outcomes and lists violations (none expected).
"""

from __future__ import annotations

from heapq import heappush
from typing import Any

from apps.engine.kernel import PRIO_MODEL
from apps.engine.kinds.base import Call, Node, World
from apps.engine.network import K_REQUEST, K_TIMEOUT, MESSAGE_KINDS
from apps.engine.params import LIMITS, Strict, param
from apps.engine.patterns.saga import SagaRecord, report
from apps.engine.rng import substream

K_COMPENSATION = MESSAGE_KINDS.index("compensation")
FWD, COMP = 0, 1  # Call.attempt marks a step request or a compensation


class SagaOrchestratorParams(Strict):
    step_failure: float = param(
        0.0, "Probability that a step's participant rejects it (nothing applied)", ge=0, le=1
    )
    step_timeout_ms: float = param(
        1000.0,
        "Give up on a step or compensation answer after this long",
        unit="ms",
        gt=0,
        le=LIMITS["max_time_ms"],
    )
    compensation_retries: int = param(
        5, "Retries of a failed compensation before the saga is stuck", ge=0, le=100
    )
    retry_delay_ms: float = param(
        100.0, "Wait before retrying a compensation", unit="ms", ge=0, le=LIMITS["max_time_ms"]
    )
    request_bytes: int = param(
        512,
        "Size of step and compensation requests",
        unit="B",
        ge=0,
        le=LIMITS["max_message_bytes"],
    )


class _Saga:
    __slots__ = ("call", "comp_ok", "cur", "fwd", "i", "rec", "rejected", "tries")

    def __init__(self, call: Call, rec: SagaRecord, n: int) -> None:
        self.call = call  # the client's request
        self.rec = rec
        self.i = 0  # current step (forward) or step being compensated
        self.tries = 0
        self.cur: Call | None = None  # the one call whose answer moves the saga on
        self.fwd: list[Call | None] = [None] * n
        self.rejected = [False] * n
        self.comp_ok = [False] * n


class SagaOrchestrator(Node):
    KIND = "saga_orchestrator"
    Params = SagaOrchestratorParams

    __slots__ = ("ended", "n", "out_calls", "random", "refused", "sagas", "to")

    def __init__(self, world: World, spec, index: int) -> None:
        super().__init__(world, spec, index)
        self.random = substream(world.seed, f"node:{spec.id}").random
        self.to = self.params.step_timeout_ms / 1000.0
        self.sagas: list[_Saga] = []
        self.out_calls: dict[Call, None] = {}  # outstanding step/compensation calls
        self.refused = 0
        self.n = 0
        self.ended = {"completed": 0, "compensated": 0, "stuck": 0}  # for frames

    def start(self) -> None:
        self.n = len(self.out)

    def on_request(self, call: Call) -> None:
        if not self.up:
            self.refused += 1
            self.reply(call, False)
            return
        rec = SagaRecord((self.index << 40) | len(self.sagas), "running", [], t0=self.k.now)
        s = _Saga(call, rec, self.n)
        self.sagas.append(s)
        if self.n == 0:
            self._end(s, "completed")
        else:
            self._send(s, FWD)

    def _send(self, s: _Saga, what: int) -> None:
        link = self.out[s.i]
        c = Call(self, link, s, s.call.req)
        c.ok = False  # the participant sets it when it answers: "processed"
        c.attempt = what
        if what == FWD:
            s.fwd[s.i] = c
        s.cur = c
        self.out_calls[c] = None
        heappush(self.heap, (self.k.now + self.to, PRIO_MODEL, next(self.seq), self._timeout, c))
        kind = K_REQUEST if what == FWD else K_COMPENSATION
        self.request(link, c, kind, self.params.request_bytes)

    def on_reply(self, c: Call) -> None:
        if c not in self.out_calls:
            return  # timed out before, or the orchestrator crashed meanwhile
        del self.out_calls[c]
        s: _Saga = c.ctx
        if c is not s.cur:
            return  # superseded (a restart resent it)
        if c.attempt == COMP:
            self._comp_answer(s, c.ok)
        elif not c.ok:
            self._compensate_from(s, s.i - 1)  # refused or reset: the step did not apply
        elif self.random() < self.params.step_failure:
            s.rejected[s.i] = True
            self._compensate_from(s, s.i - 1)
        else:
            s.i += 1
            if s.i == self.n:
                self._end(s, "completed")
            else:
                self._send(s, FWD)

    def _timeout(self, c: Call) -> None:
        if c not in self.out_calls:
            return
        del self.out_calls[c]
        self.net.mark(self, K_TIMEOUT)
        s: _Saga = c.ctx
        if c is not s.cur:
            return
        if c.attempt == COMP:
            self._comp_answer(s, False)
        else:
            self._compensate_from(s, s.i)  # unknown outcome: undo this step too

    def _compensate_from(self, s: _Saga, i: int) -> None:
        s.i = i
        s.tries = 0
        if i < 0:
            self._end(s, "compensated")
        else:
            self._send(s, COMP)

    def _comp_answer(self, s: _Saga, ok: bool) -> None:
        if ok:
            s.comp_ok[s.i] = True
            s.rec.comps.append(s.i)
            self._compensate_from(s, s.i - 1)
        elif s.tries < self.params.compensation_retries:
            s.tries += 1
            self.k.schedule(self.params.retry_delay_ms / 1000.0, self._retry, s)
        else:
            self._end(s, "stuck")

    def _retry(self, s: _Saga) -> None:
        if self.up and s.rec.outcome == "running" and s.cur not in self.out_calls:
            self._send(s, COMP)

    def _end(self, s: _Saga, outcome: str) -> None:
        self.ended[outcome] += 1
        s.rec.outcome = outcome
        s.rec.t1 = self.k.now
        self.reply(s.call, outcome == "completed")

    # faults ------------------------------------------------------------------------------------
    def crash(self) -> None:
        self.up = False
        self.out_calls.clear()

    def restart(self) -> None:
        self.up = True
        for s in self.sagas:
            if s.rec.outcome == "running":
                self._compensate_from(s, min(s.i, self.n - 1))

    # observation -------------------------------------------------------------------------------
    def records(self) -> list[SagaRecord]:
        """The saga traces, with each step's effect at the end of the run filled in."""
        for s in self.sagas:
            s.rec.applied = [
                f is not None and f.ok and not rej and not comp
                for f, rej, comp in zip(s.fwd, s.rejected, s.comp_ok, strict=True)
            ]
        return [s.rec for s in self.sagas]

    def state(self) -> tuple[int, int, int]:
        return 0, len(self.out_calls), int(self.up)

    def result(self, end: float) -> dict:
        r = report(self.records(), min(self.world.warmup, end), "orchestrated")
        r.pop("violations")
        return {"kind": self.KIND, **r, "refused": self.refused}

    @classmethod
    def protocol_result(cls, world: World, members: list[Node], end: float) -> dict[str, Any]:
        from apps.engine.kinds.saga_participant import saga_protocol

        return saga_protocol(world, end)

    @classmethod
    def frame_state(cls, world: World, members: list[Node], t: float) -> dict[str, Any]:
        from apps.engine.kinds.saga_participant import saga_frame

        return saga_frame(world)
