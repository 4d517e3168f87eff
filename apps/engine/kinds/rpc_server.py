"""`rpc_server`: a service with a side effect per request (e.g. charging a card).

Model: every request is handled independently (no queue) for `service_time_ms`; at the end the
server applies the request's side effect (one charge of `amount`), then answers `response`.
With probability `crash_after_effect_prob` it crashes right after the effect and before the
answer: every request in service gets `error` (connection reset), and the server restarts after
`restart_ms` (requests meanwhile are refused with `error`). With probability `duplicate_prob` a
request is delivered twice (the network duplicated the packet; the copy arrives
`duplicate_delay_ms` later). With `dedup` the server keeps a table of applied request ids
(`Req.id`, the client's idempotency key, written atomically with the effect and durable across
crashes): a request whose id is in it is answered `response` from the table without a new effect.

The client decides the semantics: `retries: 0` is at-most-once, `retries > 0` at-least-once,
and at-least-once against `dedup: true` is effectively exactly-once. The `rpc` protocol result
joins what each client was told (completed / failed first-send times) with the effects the
servers applied per request id:

- `doubled`: requests whose effect was applied two or more times (`extra_effects` counts the
  surplus charges);
- `lost`: requests the client gave up on (failed) whose effect was never applied;
- `failed_but_applied`: failed at the client, yet the effect happened (the ambiguous outcome);
- `acked_not_applied`: completed at the client but never applied (0 by construction: an answer
  is only sent after the effect or a dedup hit).
Requests still in flight at the end count in none of these.
"""

from __future__ import annotations

from apps.engine.kinds.base import Call, Node, World
from apps.engine.kinds.client import Client
from apps.engine.params import LIMITS, Strict, param
from apps.engine.rng import substream


class RpcServerParams(Strict):
    service_time_ms: float = param(
        5.0, "Time to handle one request", unit="ms", ge=0, le=LIMITS["max_time_ms"]
    )
    dedup: bool = param(False, "Remember applied request ids and never apply one twice")
    crash_after_effect_prob: float = param(
        0.0, "Probability of crashing after the effect, before the answer", ge=0, le=1
    )
    restart_ms: float = param(
        50.0, "Downtime after a crash", unit="ms", ge=0, le=LIMITS["max_time_ms"]
    )
    duplicate_prob: float = param(
        0.0, "Probability that a request packet is delivered twice", ge=0, le=1
    )
    duplicate_delay_ms: float = param(
        1.0, "How much later the duplicate arrives", unit="ms", ge=0, le=LIMITS["max_time_ms"]
    )
    amount: int = param(1, "Units charged per applied effect", ge=0, le=1_000_000)


class RpcServer(Node):
    KIND = "rpc_server"
    Params = RpcServerParams

    __slots__ = ("crashes", "dup_hits", "effects", "inflight", "random", "received", "token")

    def __init__(self, world: World, spec, index: int) -> None:
        super().__init__(world, spec, index)
        self.random = substream(world.seed, f"node:{spec.id}").random
        # req id -> [times applied, caller index, caller's first-send time]
        self.effects: dict[int, list] = {}
        self.inflight: dict[int, Call] = {}
        self.token = 0
        self.received = 0
        self.crashes = 0
        self.dup_hits = 0

    def on_request(self, call: Call) -> None:
        self.received += 1
        p: RpcServerParams = self.params
        if p.duplicate_prob and self.random() < p.duplicate_prob:
            self.k.schedule(p.duplicate_delay_ms / 1000.0, self._arrive, call)
        self._arrive(call)

    def _arrive(self, call: Call) -> None:
        if not self.up:
            self.reply(call, False)
            return
        self.token += 1
        self.inflight[self.token] = call
        self.k.schedule(self.params.service_time_ms / 1000.0 * self.slow, self._done, self.token)

    def _done(self, token: int) -> None:
        call = self.inflight.pop(token, None)
        if call is None:  # reset by a crash meanwhile
            return
        p: RpcServerParams = self.params
        rid = call.req.id
        entry = self.effects.get(rid)
        if entry is not None and p.dedup:
            self.dup_hits += 1
            self.reply(call, True)
            return
        if entry is None:
            self.effects[rid] = [1, call.caller.index, call.ctx]
        else:
            entry[0] += 1
        if p.crash_after_effect_prob and self.random() < p.crash_after_effect_prob:
            self.inflight[0] = call  # answered by the reset below, like the rest
            self.crash()
            self.k.schedule(p.restart_ms / 1000.0, self._back, None)
            return
        self.reply(call, True)

    def _back(self, _: object) -> None:
        if not self.up:
            self.restart()

    def crash(self) -> None:
        if not self.up:
            return
        self.up = False
        self.crashes += 1
        pending = list(self.inflight.values())
        self.inflight.clear()
        for call in pending:
            self.reply(call, False)

    def result(self, end: float) -> dict:
        applied = sum(e[0] for e in self.effects.values())
        return {
            "kind": self.KIND,
            "requests": self.received,
            "effects": applied,
            "balance": applied * self.params.amount,
            "dedup_hits": self.dup_hits,
            "crashes": self.crashes,
        }

    @classmethod
    def protocol_result(cls, world: World, members: list[Node], end: float) -> dict:
        return {"rpc": rpc_outcomes(world, members)}

    @classmethod
    def frame_state(cls, world: World, members: list[Node], t: float) -> dict:
        """Per server, in member order: effects applied so far and duplicates absorbed."""
        return {
            "rpc": {
                "nodes": [m.id for m in members],
                "effects": [sum(e[0] for e in m.effects.values()) for m in members],
                "dedup_hits": [m.dup_hits for m in members],
            }
        }


def rpc_outcomes(world: World, servers: list) -> dict:
    """Per client of an rpc_server: lost, doubled and ambiguous side effects (see module doc)."""
    clients = []
    for link in world.links:
        if link.dst in servers and isinstance(link.src, Client) and link.src not in clients:
            clients.append(link.src)
    per: dict[int, list[list]] = {c.index: [] for c in clients}
    for s in servers:
        for entry in s.effects.values():
            if entry[1] in per:
                per[entry[1]].append(entry)
    out: dict = {}
    totals = dict.fromkeys(
        ("requests", "completed", "failed", "lost", "doubled", "extra_effects"), 0
    )
    totals.update(failed_but_applied=0, acked_not_applied=0)
    for c in clients:
        failed = set(c.fail_t0)
        done = set(c.done.column(0))
        entries = per[c.index]
        failed_applied = sum(1 for e in entries if e[2] in failed)
        done_applied = sum(1 for e in entries if e[2] in done)
        row = {
            "requests": c.issued,
            "completed": len(done),
            "failed": len(failed),
            "lost": len(failed) - failed_applied,
            "doubled": sum(1 for e in entries if e[0] > 1),
            "extra_effects": sum(e[0] - 1 for e in entries),
            "failed_but_applied": failed_applied,
            "acked_not_applied": len(done) - done_applied,
        }
        out[c.id] = row
        for k in totals:
            totals[k] += row[k]
    return {"clients": out, **totals}
