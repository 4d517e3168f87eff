"""`replica`: one replica of a replicated key-value store (multi-leader or quorum).

Model: replicas joined by edges (either direction) form a *group* (a connected component of
replica nodes); clients send requests (`Req.op` READ/WRITE on `Req.key`) to any replica.
Replica-to-replica messages (kind `replication`) travel over those edges in either direction and
suffer their latency, loss, cuts and partitions. State is durable: a crash stops a replica
(requests get `error`, replication messages are dropped) but keeps its data.

- `mode: multi_leader` (AP): a replica applies a write locally, acknowledges at once and pushes
  the new key state to every peer; reads are local. Concurrent writes are resolved by
  `conflict` (patterns/replstore.py): `lww`, `version_vector` (siblings) or `crdt`
  (`crdt_type` gcounter | pncounter | orset). Anti-entropy every `anti_entropy_ms` ships the
  full state to every peer, so replicas converge once messages flow again.
- `mode: quorum` (Dynamo-style, LWW by (time, coordinator, seq) version): the replica that
  receives a request coordinates it over the key's preference list (the `n` group members
  starting at key mod group size, in node order). A write goes to all `n` and is acknowledged
  after `w` acks; a read asks all `n` and answers the highest version among the first `r`
  replies. Without `w` (or `r`) answers within `quorum_timeout_ms` the client gets `error`:
  with `w > n/2` a minority side of a partition refuses (CP); with `r + w > n` every read sees
  the latest acknowledged write (quorum intersection).

The group keeps an oracle of acknowledged writes, so every read is checked: *stale* when the
answer does not reflect the latest write acknowledged before the read arrived. The group
samples per second: availability (ok answers / requests), stale fraction and divergent keys
(keys whose state differs between members). The bookkeeping lives in replgroup.py.
"""

from __future__ import annotations

from typing import Literal

from pydantic import model_validator

from apps.engine.kinds.base import Call, Node, Req, World
from apps.engine.kinds.replgroup import Group, Pending, group_frame, group_result
from apps.engine.network import MESSAGE_KINDS
from apps.engine.params import LIMITS, Strict, param
from apps.engine.patterns import replstore

K_REPL = MESSAGE_KINDS.index("replication")
K_ACK = MESSAGE_KINDS.index("ack")
K_HEARTBEAT = MESSAGE_KINDS.index("heartbeat")


class ReplicaParams(Strict):
    mode: Literal["multi_leader", "quorum"] = param(
        "multi_leader", "multi_leader: every replica accepts writes (AP); quorum: N/R/W (CP-able)"
    )
    conflict: Literal["lww", "version_vector", "crdt"] = param(
        "lww", "multi_leader: how concurrent writes are resolved (quorum always uses LWW)"
    )
    crdt_type: Literal["gcounter", "pncounter", "orset"] = param(
        "gcounter", "The CRDT when conflict is crdt"
    )
    n: int = param(3, "quorum: replicas per key (capped at the group size)", ge=1, le=100)
    r: int = param(2, "quorum: replies a read waits for", ge=1, le=100)
    w: int = param(2, "quorum: acks a write waits for", ge=1, le=100)
    quorum_timeout_ms: float = param(
        200.0,
        "quorum: answer error when r/w replies do not arrive in time",
        unit="ms",
        gt=0,
        le=LIMITS["max_time_ms"],
    )
    anti_entropy_ms: float = param(
        1000.0,
        "Full-state exchange with every peer this often (0: never)",
        unit="ms",
        ge=0,
        le=LIMITS["max_time_ms"],
    )
    service_time_ms: float = param(
        0.0, "Local processing time per request", unit="ms", ge=0, le=LIMITS["max_time_ms"]
    )

    @model_validator(mode="after")
    def _quorums_fit(self) -> ReplicaParams:
        # a quorum larger than the replica set could never be assembled
        if self.r > self.n or self.w > self.n:
            raise ValueError("r and w must be <= n")
        return self


class Replica(Node):
    KIND = "replica"
    Params = ReplicaParams

    __slots__ = ("grp", "peers", "seqn", "stats", "store", "strategy")

    def __init__(self, world: World, spec, index: int) -> None:
        super().__init__(world, spec, index)
        p: ReplicaParams = spec.params
        quorum = p.mode == "quorum"
        self.strategy = "lww" if quorum or p.conflict == "lww" else p.conflict
        if self.strategy == "crdt":
            self.strategy = p.crdt_type
        self.store: dict[int, object] = {}
        self.peers: dict[Replica, tuple] = {}  # peer -> (link, forward?)
        self.grp: Group = None  # type: ignore[assignment]  # set by the group's first start
        self.seqn = 0
        self.stats = [0, 0, 0, 0]  # requests, ok, errors, stale reads

    def start(self) -> None:
        for link in self.world.links:
            if link.src is self and isinstance(link.dst, Replica):
                self.peers.setdefault(link.dst, (link, True))
            elif link.dst is self and isinstance(link.src, Replica):
                self.peers.setdefault(link.src, (link, False))
        if self.grp is None:
            Group.build(self)
        if self.params.anti_entropy_ms > 0:
            self.k.schedule(self.params.anti_entropy_ms / 1000.0, self._anti_entropy)

    def reset_window(self) -> None:
        self.stats = [0, 0, 0, 0]  # per-node counts exclude the warmup

    # client requests ------------------------------------------------------------------------
    def on_request(self, call: Call) -> None:
        self.stats[0] += 1
        if not self.up:
            self._answer(call, False)
            return
        st = self.params.service_time_ms
        if st > 0:
            self.k.schedule(st / 1000.0 * self.slow, self._serve, call)
        else:
            self._serve(call)

    def _serve(self, call: Call) -> None:
        if not self.up:
            self._answer(call, False)
            return
        if self.params.mode == "quorum":
            self._coordinate(call)
            return
        req = call.req
        key = req.key
        state = self.store.get(key)
        if state is None:
            state = replstore.initial(self.strategy)
        if req.op == Req.WRITE:
            self.seqn += 1
            state, dot, delta = replstore.local_write(
                self.strategy, state, self.index, req.id, self.k.now, self.seqn
            )
            self.store[key] = state
            self.grp.acked(key, req.id, dot)
            for peer in self.peers:
                self._send(peer, peer._on_push, (key, delta), K_REPL, 256)
        else:
            self.grp.read(self, key, state, self.grp.latest(key))
        self._answer(call, True)

    def _answer(self, call: Call, ok: bool) -> None:
        self.stats[1 if ok else 2] += 1
        self.grp.answered(self.k.now, ok)
        self.reply(call, ok)

    # replication ----------------------------------------------------------------------------
    def _send(self, peer: Replica, fn, arg, kind: int, size: int) -> None:
        link, fwd = self.peers[peer]
        self.net.send(link, fwd, kind, fn, arg, size)

    def _merge(self, key: int, state: object) -> None:
        mine = self.store.get(key)
        self.store[key] = state if mine is None else replstore.merge(self.strategy, mine, state)

    def _on_push(self, msg: tuple) -> None:
        if self.up:
            self._merge(msg[0], msg[1])

    def _on_full(self, snapshot: dict) -> None:
        if self.up:
            for key, state in snapshot.items():
                self._merge(key, state)

    def _anti_entropy(self, _: object) -> None:
        self.k.schedule(self.params.anti_entropy_ms / 1000.0, self._anti_entropy)
        if self.up and self.store:
            snapshot = dict(self.store)
            for peer in self.peers:
                self._send(peer, peer._on_full, snapshot, K_REPL, 64 * len(snapshot))

    # quorum coordination --------------------------------------------------------------------
    def _coordinate(self, call: Call) -> None:
        p = self.params
        req = call.req
        members = self.grp.preference(req.key, p.n)
        write = req.op == Req.WRITE
        op = Pending(call, req.key, p.w if write else p.r, write)
        if write:
            self.seqn += 1
            op.state = ((self.k.now, self.index, self.seqn), (req.id, ()))
        else:
            op.snap = self.grp.latest(req.key)
        self.k.schedule(p.quorum_timeout_ms / 1000.0, self._q_timeout, op)
        for m in members:
            if m is self:
                self._q_ack(self._q_handle(op))
            elif m in self.peers:
                self._send(m, m._q_remote, (self, op), K_REPL, 256)

    def _q_handle(self, op: Pending) -> tuple:
        """Apply (write) or look up (read) at this member; the answer for the coordinator."""
        if op.write:
            self._merge(op.key, op.state)
        return op, self.store.get(op.key, replstore.LWW0)

    def _q_remote(self, msg: tuple) -> None:
        coord, op = msg
        if self.up:
            self._send(coord, coord._q_ack, self._q_handle(op), K_ACK, 128)

    def _q_ack(self, msg: tuple) -> None:
        op, state = msg
        if op.done or not self.up:
            return
        if op.best is None or state[0] > op.best[0]:
            op.best = state
        op.got += 1
        if op.got < op.need:
            return
        op.done = True
        if op.write:
            self.grp.acked(op.key, op.call.req.id, op.state[0])
        else:
            self.grp.read(self, op.key, op.best, op.snap)
        self._answer(op.call, True)

    def _q_timeout(self, op: Pending) -> None:
        if not op.done:
            op.done = True
            self._answer(op.call, False)

    # observation ----------------------------------------------------------------------------
    def result(self, end: float) -> dict:
        requests, ok, errors, stale = self.stats
        return {
            "kind": self.KIND,
            "requests": requests,
            "ok": ok,
            "errors": errors,
            "stale_reads": stale,
            "availability": round(ok / (ok + errors), 6) if ok + errors else 1.0,
            "keys": len(self.store),
        }

    @classmethod
    def protocol_result(cls, world: World, members: list[Node], end: float) -> dict:
        return {"replication": group_result(members, end)}

    @classmethod
    def frame_state(cls, world: World, members: list[Node], t: float) -> dict:
        return {"replication": group_frame(members)}
