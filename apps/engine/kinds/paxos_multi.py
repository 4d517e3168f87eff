"""`multipaxos_node`: Multi-Paxos with a distinguished leader (Lamport, "Paxos Made Simple" §3).

Model: every `multipaxos_node` of the scenario is an acceptor and a learner for a sequence of
slots, and a potential leader; they talk over an implicit full mesh (patterns/mesh.py). A node
that hears no leader `heartbeat` for a random time in `election_timeout_ms` runs phase 1 once
for all slots from its first unlearned one: `prepare(b)` with a higher ballot; acceptors that
promise report what they accepted in those slots. With a majority the node leads: it
re-proposes, slot by slot, the highest-ballot value reported (a no-op for a gap) and then serves
commands with phase 2 only: `accept(b, slot, v)` to every acceptor, `accepted` back, and once a
majority has accepted, the value is chosen and the leader broadcasts `learn`. In steady state a
command costs 3 (N - 1) messages (no prepare/promise), against 5 (N - 1) for a fresh
single-decree instance. Unchosen slots are re-sent with each heartbeat (loss). A higher ballot
seen anywhere (prepare, or a refusal of an accept) makes a leader step down.

Clients: a `client` with an edge to any node sends it commands; a non-leader proxies them to
the leader it last heard from (like raft_server); the answer comes when the slot is chosen.
Crashes: promised ballot and accepted slots are stable storage; leadership, proposals in flight
and pending commands are lost (pending commands fail).
"""

from __future__ import annotations

from typing import Any

from apps.engine.kinds.base import Call, Node, World
from apps.engine.metrics import rnd
from apps.engine.network import K_ERROR, K_REQUEST, MESSAGE_KINDS
from apps.engine.params import LIMITS, Strict, ms_range, param
from apps.engine.patterns.mesh import Mesh, ProxiedCommands
from apps.engine.patterns.paxos_checker import PaxosChecker
from apps.engine.rng import substream

K_HEARTBEAT = MESSAGE_KINDS.index("heartbeat")
K_PREPARE, K_PROMISE, K_ACCEPT, K_ACCEPTED, K_LEARN = (
    MESSAGE_KINDS.index(k) for k in ("prepare", "promise", "accept", "accepted", "learn")
)


MsRange = ms_range(1)


class MultiPaxosParams(Strict):
    election_timeout_ms: MsRange = param(
        [150.0, 300.0],
        "Without a leader heartbeat for a time uniform in [low, high], run phase 1",
        unit="ms",
        min_length=2,
        max_length=2,
    )
    heartbeat_ms: float = param(
        50.0, "Leader's heartbeat (and re-send) interval", unit="ms", ge=1, le=LIMITS["max_time_ms"]
    )


class Group:
    """Shared by the nodes of a scenario: mesh, checker, leader history, phase-1 count."""

    __slots__ = ("checker", "leaders", "members", "mesh", "phase1")

    def __init__(self, world: World, members: list[Node]) -> None:
        self.members = members
        self.mesh = Mesh(world, members)
        self.checker = PaxosChecker(len(members) // 2 + 1)
        self.leaders: list[tuple[int, str, float]] = []
        self.phase1 = 0


class MultiPaxosNode(ProxiedCommands, Node):
    KIND = "multipaxos_node"
    Params = MultiPaxosParams
    CONSENSUS = True

    __slots__ = (
        "acc",
        "ballot",
        "hb",
        "heard",
        "inflight",
        "known",
        "leading",
        "learned",
        "max_seen",
        "next_slot",
        "pending",
        "pg",
        "pos",
        "prev_promise",
        "promised",
        "random",
        "reports",
        "stale",
        "t_hi",
        "t_lo",
        "timer",
        "votes",
    )

    def __init__(self, world: World, spec: Any, index: int) -> None:
        super().__init__(world, spec, index)
        p: MultiPaxosParams = spec.params
        self.t_lo, self.t_hi = p.election_timeout_ms[0] / 1000.0, p.election_timeout_ms[1] / 1000.0
        self.hb = p.heartbeat_ms / 1000.0
        self.random = substream(world.seed, f"node:{spec.id}").random
        self.pg: Group = None  # type: ignore[assignment]
        self.pos = 0
        self.promised = -1  # stable storage: the promise and the accepted slots
        self.acc: dict[int, tuple[int, Any]] = {}
        self.learned: dict[int, Any] = {}
        self.max_seen = -1
        self.prev_promise = -1  # the promise before this node promised its own candidacy
        self.timer = 0
        self._volatile()

    def _volatile(self) -> None:
        self.leading = 0  # 0 no, 1 running phase 1, 2 leader
        self.ballot = -1
        self.known: MultiPaxosNode | None = None  # the leader last heard from
        self.votes: dict[int, int] = {}  # slot -> bitmask of acceptors that accepted
        self.inflight: dict[int, Any] = {}  # slot -> value proposed, not yet chosen
        self.stale: dict[int, None] = {}  # slots in flight at the last heartbeat
        self.pending: dict[int, Call] = {}
        self.reports: dict[int, tuple[int, Any]] = {}
        self.next_slot = 1
        self.heard = -1.0  # when a leader's heartbeat last arrived

    def start(self) -> None:
        if self.pg is None:
            members = [n for n in self.world.nodes if isinstance(n, MultiPaxosNode)]
            group = Group(self.world, members)
            for i, n in enumerate(members):
                n.pg, n.pos = group, i
        self._arm()

    def crash(self) -> None:
        if self.up:
            self._fail_pending()
            self.up = False
            self.timer += 1
            self._volatile()

    def restart(self) -> None:
        self.up = True
        self._volatile()
        self._arm()

    def leader(self) -> Node | None:
        best = None
        for n in self.pg.members if self.pg else ():
            if n.up and n.leading == 2 and (best is None or n.ballot > best.ballot):  # type: ignore[attr-defined]
                best = n
        return best

    def downed_leader(self) -> Node | None:
        by_id = {n.id: n for n in self.pg.members}
        return next((by_id[i] for _b, i, _t in reversed(self.pg.leaders) if not by_id[i].up), None)

    # timers and phase 1 ----------------------------------------------------------------------
    def _arm(self) -> None:
        self.timer += 1
        self.k.schedule(
            self.t_lo + (self.t_hi - self.t_lo) * self.random(), self._timeout, self.timer
        )

    def _timeout(self, gen: int) -> None:
        if gen != self.timer or not self.up or self.leading == 2:
            return
        n = len(self.pg.members)
        self.ballot = (max(self.max_seen, self.ballot) // n + 1) * n + self.pos
        self.leading, self.votes, self.reports = 1, {0: 0}, {}
        self.pg.phase1 += 1
        self._arm()
        self._to_all(K_PREPARE, "_on_prepare", (self, self.ballot, self._first_unlearned()))

    def _first_unlearned(self) -> int:
        s = 1
        while s in self.learned:
            s += 1
        return s

    def _to_all(self, kind: int, handler: str, msg: Any) -> None:
        send = self.pg.mesh.send
        for peer in self.pg.members:
            if peer is self:
                getattr(self, handler)(msg)
            else:
                send(self, peer, kind, getattr(peer, handler), msg)

    def _reply(self, to: MultiPaxosNode, kind: int, handler: str, msg: Any) -> None:
        if to is self:
            getattr(self, handler)(msg)
        else:
            self.pg.mesh.send(self, to, kind, getattr(to, handler), msg)

    def _see(self, ballot: int) -> None:
        self.max_seen = max(self.max_seen, ballot)
        if self.leading and ballot > self.ballot:
            self._fail_pending()
            self.leading, self.inflight, self.votes = 0, {}, {}
            self._arm()

    def _on_prepare(self, msg: tuple) -> None:
        src, ballot, first = msg
        if not self.up:
            return
        self._see(ballot)
        sticky = src is not self and self.k.now - self.heard < self.t_lo
        if ballot > self.promised and not sticky:
            if src is self:
                self.prev_promise = self.promised
            self.promised = ballot
            rep = {s: a for s, a in self.acc.items() if s >= first}
            self._reply(src, K_PROMISE, "_on_promise", (ballot, self.pos, rep))
        else:
            self._reply(src, K_ERROR, "_on_nack", (ballot, self.promised))

    def _on_promise(self, msg: tuple) -> None:
        ballot, pos, rep = msg
        if not self.up or self.leading != 1 or ballot != self.ballot:
            return
        for s, a in rep.items():
            if a[0] > self.reports.get(s, (-1, None))[0]:
                self.reports[s] = a
        self.votes[0] |= 1 << pos
        if bin(self.votes[0]).count("1") == self.pg.checker.majority:
            self._lead()

    def _lead(self) -> None:
        self.leading, self.votes, self.known = 2, {}, self
        self.timer += 1
        self.pg.leaders.append((self.ballot, self.id, self.k.now))
        top = max([*self.reports, *self.learned, 0])
        for s in range(self._first_unlearned(), top + 1):
            if s not in self.learned:
                self._propose(s, self.reports.get(s, (-1, None))[1])
        self.next_slot = top + 1
        self._beat(self.timer)

    def _beat(self, gen: int) -> None:
        if gen != self.timer or not self.up or self.leading != 2:
            return
        self._to_all(K_HEARTBEAT, "_on_heartbeat", (self, self.ballot))
        # re-send what was already in flight at the previous beat (lost, or a slow majority)
        for s in [s for s in self.inflight if s in self.stale]:
            self._to_all(K_ACCEPT, "_on_accept", (self, self.ballot, s, self.inflight[s]))
        self.stale = dict.fromkeys(self.inflight)
        self.k.schedule(self.hb, self._beat, gen)

    def _on_heartbeat(self, msg: tuple) -> None:
        src, ballot = msg
        if not self.up or src is self:
            return
        self._see(ballot)
        if self.leading == 1 and self.promised == self.ballot:
            # a leader is alive: drop our candidacy and the promise made only to ourselves
            # (no one else will ever propose with our ballot), so we do not depose it
            self.leading, self.promised = 0, max(self.prev_promise, ballot)
        if ballot >= self.promised:
            self.known, self.heard = src, self.k.now
            if self.leading == 0:
                self._arm()
        else:
            self._reply(src, K_ERROR, "_on_nack", (ballot, self.promised))

    def _on_nack(self, msg: tuple) -> None:
        if self.up:
            self._see(msg[1])

    # phase 2 ---------------------------------------------------------------------------------
    def _propose(self, slot: int, value: Any) -> None:
        self.inflight[slot] = value
        self.votes[slot] = 0
        self._to_all(K_ACCEPT, "_on_accept", (self, self.ballot, slot, value))

    def _on_accept(self, msg: tuple) -> None:
        src, ballot, slot, value = msg
        if not self.up:
            return
        self._see(ballot)
        if ballot >= self.promised:
            self.promised = ballot
            if self.acc.get(slot, (-1, None))[0] != ballot:
                self.acc[slot] = (ballot, value)
                self.pg.checker.accepted(slot, ballot, value, self.k.now)
            self._reply(src, K_ACCEPTED, "_on_accepted", (ballot, slot, self.pos))
        else:
            self._reply(src, K_ERROR, "_on_nack", (ballot, self.promised))

    def _on_accepted(self, msg: tuple) -> None:
        ballot, slot, pos = msg
        if not self.up or self.leading != 2 or ballot != self.ballot or slot not in self.inflight:
            return
        self.votes[slot] |= 1 << pos
        if bin(self.votes[slot]).count("1") == self.pg.checker.majority:
            value = self.inflight.pop(slot)
            del self.votes[slot]
            self._to_all(K_LEARN, "_on_learn", (slot, value))

    def _on_learn(self, msg: tuple) -> None:
        slot, value = msg
        if not self.up or slot in self.learned:
            return
        self.learned[slot] = value
        self.pg.checker.learned(slot, value, self.k.now, self.id)
        call = self.pending.pop(slot, None)
        if call is not None:
            self._answer(call, value == call.req.id)

    # client commands -------------------------------------------------------------------------
    def on_request(self, call: Call) -> None:
        if not self.up:
            self.reply(call, False)
        elif self.leading == 2:
            self._command(call)
        elif self.known is not None:
            self.pg.mesh.send(self, self.known, K_REQUEST, self.known._on_forward, call)
        else:
            self.reply(call, False)

    def _on_forward(self, call: Call) -> None:
        if self.up and self.leading == 2:
            self._command(call)
        elif self.up:
            call.ok = False
            proxy = call.link.dst
            self.pg.mesh.send(self, proxy, K_ERROR, proxy._on_relay, call)

    def _command(self, call: Call) -> None:
        slot = self.next_slot
        self.next_slot += 1
        self.pending[slot] = call
        self._propose(slot, call.req.id)

    def _fail_pending(self) -> None:
        pending, self.pending = self.pending, {}
        for call in pending.values():
            self._answer(call, False)

    def _mesh(self) -> Mesh:
        return self.pg.mesh

    # observation -----------------------------------------------------------------------------
    def state(self) -> tuple[int, int, int]:
        return len(self.pending), len(self.inflight), 1 if self.up else 0

    def result(self, end: float) -> dict:
        return {
            "kind": self.KIND,
            "leader": self.leading == 2,
            "promised": self.promised,
            "learned": len(self.learned),
        }

    @classmethod
    def protocol_result(cls, world: World, members: list[Node], end: float) -> dict[str, Any]:
        g: Group = members[0].pg  # type: ignore[attr-defined]
        chosen = g.checker.chosen
        commands = sum(1 for v in chosen.values() if v[0] is not None)
        counts = g.mesh.counts()
        p2 = sum(counts.get(k, 0) for k in ("accept", "accepted", "learn"))
        return {
            "multipaxos": {
                "leaders": [{"ballot": b, "node": n, "at_s": rnd(t)} for b, n, t in g.leaders],
                "phase1_rounds": g.phase1,
                "chosen": len(chosen),
                "commands_chosen": commands,
                "phase2_messages_per_command": rnd(p2 / commands) if commands else None,
                "safety_violations": list(g.checker.violations),
                "messages": counts,
            }
        }

    @classmethod
    def frame_state(cls, world: World, members: list[Node], t: float) -> dict[str, Any]:
        ms: list[Any] = members
        return {
            "multipaxos": {
                "role": ["leader" if n.leading == 2 else "acceptor" for n in ms],
                "ballot": [n.promised for n in ms],
                "learned": [len(n.learned) for n in ms],
            }
        }
