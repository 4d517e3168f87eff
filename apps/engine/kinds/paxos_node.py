"""`paxos_node`: single-decree Paxos (Lamport, "Paxos Made Simple"), duelling proposers shown.

Model: every `paxos_node` of the scenario is an acceptor and a learner; those with `propose`
are also proposers, each wanting its own id chosen as the value. They talk over an implicit full
mesh (patterns/mesh.py). A proposer starts a round at `start_ms`: phase 1 sends `prepare(b)` to
every acceptor (itself included, locally) with a ballot b higher than any it has seen (ballots
are `round * N + index`, so they are unique per proposer); an acceptor answers `promise` with
the highest-ballot value it accepted, unless it already promised a higher ballot (then a
refusal, animated as `error`, carries that ballot). With a majority of promises the proposer
sends `accept(b, v)`, v being the value of the highest-ballot accept reported (else its own);
an acceptor accepts unless it promised a higher ballot, and answers `accepted`. With a majority
of accepted the value is chosen: the proposer broadcasts `learn`.

Duelling: a refusal (or no majority within `round_timeout_ms`) ends the round; the proposer
retries after a pause drawn uniformly from `backoff_ms`. A proposer does not know that its
value was chosen until a majority's `accepted` reaches it within its round, so duelling can go
on well after the choice (re-proposing the chosen value, which is safe): the result reports
rounds started until the value was chosen (`rounds_to_choose`) and until a proposer learned it
(`rounds_to_learn`). With [0, 0] two proposers can pre-empt
each other's ballots round after round (the livelock FLP allows); a randomised backoff lets one
finish its two phases undisturbed. The result counts rounds until the value was chosen.

Crashes: the acceptor state (promised ballot, accepted ballot and value) is stable storage and
survives; a proposer forgets its round and starts a new one after restart if nothing was learned.
"""

from __future__ import annotations

from typing import Any

from apps.engine.kinds.base import Node, World
from apps.engine.metrics import rnd
from apps.engine.network import K_ERROR, MESSAGE_KINDS
from apps.engine.params import LIMITS, Strict, ms_range, param
from apps.engine.patterns.mesh import Mesh
from apps.engine.patterns.paxos_checker import PaxosChecker
from apps.engine.rng import substream

K_PREPARE, K_PROMISE, K_ACCEPT, K_ACCEPTED, K_LEARN = (
    MESSAGE_KINDS.index(k) for k in ("prepare", "promise", "accept", "accepted", "learn")
)


MsRange = ms_range(0)


class PaxosParams(Strict):
    propose: bool = param(True, "Also a proposer (every node is an acceptor and a learner)")
    start_ms: float = param(
        0.0, "When this proposer starts its first round", unit="ms", ge=0, le=LIMITS["max_time_ms"]
    )
    round_timeout_ms: float = param(
        100.0,
        "Give up a round that has no majority after this long",
        unit="ms",
        ge=1,
        le=LIMITS["max_time_ms"],
    )
    backoff_ms: MsRange = param(
        [0.0, 0.0],
        "Pause before retrying a failed round, uniform in [low, high] ([0, 0]: none)",
        unit="ms",
        min_length=2,
        max_length=2,
    )


class PaxosGroup:
    """What the paxos nodes of a scenario share: the mesh, the checker, counters."""

    __slots__ = ("checker", "members", "mesh", "rounds", "rounds_at_choice", "rounds_at_learn")

    def __init__(self, world: World, members: list[Node]) -> None:
        self.members = members
        self.mesh = Mesh(world, members)
        self.checker = PaxosChecker(len(members) // 2 + 1)
        self.rounds = 0  # phase-1 rounds started by all proposers
        self.rounds_at_choice = 0  # rounds started when a majority first accepted one value
        self.rounds_at_learn = 0  # ... when a proposer first knew it (it can take far longer)


class PaxosNode(Node):
    KIND = "paxos_node"
    Params = PaxosParams

    __slots__ = (
        "acc_b",
        "acc_v",
        "backoff",
        "ballot",
        "best",
        "learned",
        "max_seen",
        "nacked",
        "pg",
        "phase",
        "pos",
        "promised",
        "proposer",
        "random",
        "start_t",
        "timeout",
        "timer",
        "votes",
    )

    def __init__(self, world: World, spec: Any, index: int) -> None:
        super().__init__(world, spec, index)
        p: PaxosParams = spec.params
        self.proposer = p.propose
        self.start_t = p.start_ms / 1000.0
        self.timeout = p.round_timeout_ms / 1000.0
        self.backoff = (p.backoff_ms[0] / 1000.0, p.backoff_ms[1] / 1000.0)
        self.random = substream(world.seed, f"node:{spec.id}").random
        self.pg: PaxosGroup = None  # type: ignore[assignment]  # set by start()
        self.pos = 0  # position among the paxos nodes: the ballot's low digit
        # acceptor: stable storage
        self.promised = -1
        self.acc_b = -1
        self.acc_v: Any = None
        self.learned: Any = None
        self.max_seen = -1
        self.timer = 0
        self._forget()

    def _forget(self) -> None:
        self.phase = 0  # 0 idle, 1 preparing, 2 accepting
        self.ballot = -1
        self.votes = 0
        self.best: tuple[int, Any] = (-1, None)
        self.nacked = False

    def start(self) -> None:
        if self.pg is None:
            members = [n for n in self.world.nodes if isinstance(n, PaxosNode)]
            group = PaxosGroup(self.world, members)
            for i, n in enumerate(members):
                n.pg = group
                n.pos = i
        if self.proposer:
            self.timer += 1
            self.k.schedule(self.start_t, self._round, self.timer)

    def crash(self) -> None:
        self.up = False
        self.timer += 1
        self._forget()

    def restart(self) -> None:
        self.up = True
        if self.proposer and self.learned is None:
            self._retry()

    # proposer --------------------------------------------------------------------------------
    def _round(self, gen: int) -> None:
        if gen != self.timer or not self.up or self.learned is not None:
            return
        n = len(self.pg.members)
        rnd_no = max(self.max_seen, self.ballot) // n + 1
        self.ballot = rnd_no * n + self.pos
        self.phase, self.votes, self.best, self.nacked = 1, 0, (-1, None), False
        self.pg.rounds += 1
        self.k.schedule(self.timeout, self._expire, (self.timer, self.ballot))
        self._to_all(K_PREPARE, "_on_prepare", (self, self.ballot))

    def _to_all(self, kind: int, handler: str, msg: Any) -> None:
        send = self.pg.mesh.send
        for peer in self.pg.members:
            if peer is self:
                getattr(self, handler)(msg)  # its own acceptor: no message
            else:
                send(self, peer, kind, getattr(peer, handler), msg)

    def _reply(self, to: PaxosNode, kind: int, handler: str, msg: Any) -> None:
        if to is self:
            getattr(self, handler)(msg)
        else:
            self.pg.mesh.send(self, to, kind, getattr(to, handler), msg)

    def _expire(self, arg: tuple[int, int]) -> None:
        gen, ballot = arg
        if gen == self.timer and ballot == self.ballot and self.phase and self.up:
            self._retry()

    def _retry(self) -> None:
        self._forget_round()
        lo, hi = self.backoff
        self.timer += 1
        self.k.schedule(lo + (hi - lo) * self.random(), self._round, self.timer)

    def _forget_round(self) -> None:
        self.phase = 0

    def _on_promise(self, msg: tuple) -> None:
        ballot, acc_b, acc_v = msg
        if not self.up or self.phase != 1 or ballot != self.ballot:
            return
        self.votes += 1
        if acc_b > self.best[0]:
            self.best = (acc_b, acc_v)
        if self.votes == self.pg.checker.majority:
            self.phase, self.votes = 2, 0
            value = self.best[1] if self.best[0] >= 0 else self.id
            self._to_all(K_ACCEPT, "_on_accept", (self, self.ballot, value))

    def _on_accepted(self, msg: tuple) -> None:
        ballot, value = msg
        if not self.up or self.phase != 2 or ballot != self.ballot:
            return
        self.votes += 1
        if self.votes == self.pg.checker.majority:
            self.phase = 0
            self.timer += 1
            g = self.pg
            g.rounds_at_learn = g.rounds_at_learn or g.rounds
            self._to_all(K_LEARN, "_on_learn", value)

    def _on_nack(self, msg: tuple) -> None:
        ballot, promised = msg
        self.max_seen = max(self.max_seen, promised)
        if self.up and self.phase and ballot == self.ballot and not self.nacked:
            self.nacked = True
            self._retry()

    # acceptor and learner --------------------------------------------------------------------
    def _on_prepare(self, msg: tuple) -> None:
        src, ballot = msg
        if not self.up:
            return
        self.max_seen = max(self.max_seen, ballot)
        if ballot > self.promised:
            self.promised = ballot
            self._reply(src, K_PROMISE, "_on_promise", (ballot, self.acc_b, self.acc_v))
        else:
            self._reply(src, K_ERROR, "_on_nack", (ballot, self.promised))

    def _on_accept(self, msg: tuple) -> None:
        src, ballot, value = msg
        if not self.up:
            return
        self.max_seen = max(self.max_seen, ballot)
        if ballot >= self.promised:
            self.promised = ballot
            if self.acc_b != ballot:
                self.acc_b, self.acc_v = ballot, value
                chk = self.pg.checker
                chk.accepted(0, ballot, value, self.k.now)
                if not self.pg.rounds_at_choice and 0 in chk.chosen:
                    self.pg.rounds_at_choice = self.pg.rounds
            self._reply(src, K_ACCEPTED, "_on_accepted", (ballot, value))
        else:
            self._reply(src, K_ERROR, "_on_nack", (ballot, self.promised))

    def _on_learn(self, value: Any) -> None:
        if self.up and self.learned is None:
            self.learned = value
            self.timer += 1  # a proposer that learns stops proposing
            self.phase = 0
            self.pg.checker.learned(0, value, self.k.now, self.id)

    # observation -----------------------------------------------------------------------------
    def result(self, end: float) -> dict:
        return {
            "kind": self.KIND,
            "promised": self.promised,
            "accepted_ballot": self.acc_b,
            "accepted_value": self.acc_v,
            "learned": self.learned,
        }

    @classmethod
    def protocol_result(cls, world: World, members: list[Node], end: float) -> dict[str, Any]:
        g: PaxosGroup = members[0].pg  # type: ignore[attr-defined]
        chk = g.checker
        ch = chk.chosen.get(0)
        return {
            "paxos": {
                "chosen": None if ch is None else ch[0],
                "chosen_at_s": None if ch is None else rnd(ch[1]),
                "chosen_ballot": None if ch is None else ch[2],
                "rounds": g.rounds,
                "rounds_to_choose": g.rounds_at_choice or None,
                "rounds_to_learn": g.rounds_at_learn or None,
                "learned": sum(1 for n in members if n.learned is not None),  # type: ignore[attr-defined]
                "safety_violations": list(chk.violations),
                "messages": g.mesh.counts(),
            }
        }

    @classmethod
    def frame_state(cls, world: World, members: list[Node], t: float) -> dict[str, Any]:
        return {
            "paxos": {
                "promised": [n.promised for n in members],  # type: ignore[attr-defined]
                "ballot": [n.acc_b for n in members],  # type: ignore[attr-defined]
                "value": [n.acc_v for n in members],  # type: ignore[attr-defined]
                "learned": [n.learned for n in members],  # type: ignore[attr-defined]
            }
        }
