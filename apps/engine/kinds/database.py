"""`database`: a connection-pooled store with leader-follower replication and failover.

Model: a database node serves reads and writes on a pool of `connections` (c) concurrent
queries; more wait in one FIFO queue (at most `queue_capacity`, beyond that: an error). A read
takes `read_time_ms`, a write `write_time_ms` (mean; exponential or constant).

Replication is drawn as edges: a node with `role: leader` and outgoing edges to nodes with
`role: follower` replicates every write it commits to each of them (message kind
`replication`). The leader node is also the cluster's address: the application's edge points
at it, and it routes reads by `read_from`: `leader` serves them itself, `followers` forwards each
to the next follower round robin over the replication edge, `any` rotates over the leader and
the followers. With `replication: async` a write commits (and is answered) when the leader has
applied it; each follower applies it `replication_lag_ms` after the message arrives. With
`sync` the leader holds the connection until every follower that is up has applied and
acknowledged, so the write pays the follower round trip (2 x link latency + lag) and no read can
be stale.

Stale read: a read served by a follower is stale when that follower has not yet applied a write
to the same key that the leader had committed before the read began (when it reached the
leader). Versions are one counter per cluster, so "committed before" is a comparison of ints.

Failover: a crash of the leader kills its host, not the address (think a virtual IP or a proxy):
queued and running queries get an error; reads routed to followers go on. Writes (and
`read_from: leader` reads) fail meanwhile, or wait at the address with
`writes_during_failover: wait`. After `failover_ms` (detection) the first follower that is up
is promoted: writes go to it over its edge and it replicates to the other followers after the
lag (not drawn). Writes it had not applied at promotion are lost (counted). A restart of the
leader fails back: it catches up from the cluster and takes writes again. A follower that
restarts catches up at once. Sharding lives in `shard_router` (kinds/shard_router.py).
"""

from __future__ import annotations

from collections import deque
from typing import Literal

from apps.engine.kinds.base import Call, Node, Req, World
from apps.engine.kinds.pool import Pool
from apps.engine.metrics import rnd
from apps.engine.network import K_REQUEST, MESSAGE_KINDS
from apps.engine.params import LIMITS, Strict, param

K_REPLICATION = MESSAGE_KINDS.index("replication")
READ, WRITE = Req.READ, Req.WRITE
FWD, REPL = 1, 2  # what a database-to-database call is for (DbCall.leg)


class BatchReq(Req):
    """A write of several keys at once (a write-behind cache's flush)."""

    __slots__ = ("keys",)

    def __init__(self, id: int, keys: tuple[int, ...]) -> None:
        super().__init__(id, Req.WRITE, keys[0] if keys else 0, 0)
        self.keys = keys


def req_keys(req: Req) -> tuple[int, ...]:
    return req.keys if type(req) is BatchReq else (req.key,)


class DbCall(Call):
    """A call between database nodes: a routed read/write (FWD) or a replication (REPL)."""

    __slots__ = ("keys", "leg", "ver", "want")


class DatabaseParams(Strict):
    role: Literal["leader", "follower"] = param(
        "leader",
        "leader: takes writes and is the address the application calls; its outgoing edges go "
        "to its followers (replication). follower: a replica fed by a leader's edge",
    )
    connections: int = param(8, "Connection pool: queries run at once (c)", ge=1, le=10_000)
    queue_capacity: int | None = param(
        None,
        "Most queries that may wait for a connection (none: unbounded)",
        ge=0,
        le=LIMITS["max_queue_capacity"],
    )
    read_time_ms: float = param(
        2.0, "Mean time of a read", unit="ms", gt=0, le=LIMITS["max_time_ms"]
    )
    write_time_ms: float = param(
        5.0, "Mean time of a write", unit="ms", gt=0, le=LIMITS["max_time_ms"]
    )
    time_dist: Literal["exponential", "constant"] = param("exponential", "Query time distribution")
    read_from: Literal["leader", "followers", "any"] = param(
        "leader", "Leader only: where reads are served (followers: round robin over them)"
    )
    replication: Literal["async", "sync"] = param(
        "async", "Leader only: answer a write after the followers applied it (sync) or at once"
    )
    replication_lag_ms: float = param(
        0.0,
        "Leader only: time a follower takes to apply a write after it arrives",
        unit="ms",
        ge=0,
        le=LIMITS["max_time_ms"],
    )
    failover_ms: float | None = param(
        None,
        "Leader only: a follower is promoted this long after the leader crashes (none: "
        "no automatic failover)",
        unit="ms",
        ge=0,
        le=LIMITS["max_time_ms"],
    )
    writes_during_failover: Literal["fail", "wait"] = param(
        "fail", "Leader only: until a follower is promoted, writes get an error or wait"
    )
    response_bytes: int = param(
        1024, "Response size", unit="B", ge=0, le=LIMITS["max_message_bytes"]
    )


class Database(Pool):
    KIND = "database"
    Params = DatabaseParams

    __slots__ = (
        "cluster", "committed", "crash_t", "epoch", "failovers", "fails", "followers", "lag",
        "pending", "primary", "reads_fwd", "refused", "rr", "stale_reads", "ver", "waited",
        "wseq",
    )  # fmt: skip

    def __init__(self, world: World, spec, index: int) -> None:
        super().__init__(world, spec, index)
        p: DatabaseParams = spec.params
        self.c = p.connections
        self.cap = p.queue_capacity
        self.means = (p.read_time_ms / 1000.0, p.write_time_ms / 1000.0)
        self.dist = p.time_dist == "exponential"
        self.lag = p.replication_lag_ms / 1000.0
        self.rsize = p.response_bytes
        self.ver: dict[int, int] = {}  # key -> version this node has applied
        self.committed: dict[int, int] = {}  # leader: key -> committed version
        self.wseq = 0  # leader: the cluster's version counter
        self.cluster: Database = self  # a follower's leader (set in start)
        self.primary: Database = self  # leader: who takes writes now
        self.followers: list = []  # leader: links to followers, in edge order
        self.failovers: list[dict] = []
        self.pending: deque[Call] = deque()
        self.epoch = 0
        self.crash_t = 0.0
        self.rr = 0
        self.reset_window()

    def start(self) -> None:
        if self.params.role == "leader":
            self.followers = [lk for lk in self.out if _is_follower(lk.dst)]
            for lk in self.followers:
                lk.dst.cluster = self

    def reset_window(self) -> None:
        super().reset_window()
        self.refused = self.fails = self.waited = 0
        self.stale_reads = self.reads_fwd = 0

    def _worked(self, call: Call) -> None:
        if call not in self.active:
            return  # crashed meanwhile
        if call.req.op == READ:
            if type(call) is DbCall and self.ver.get(call.req.key, 0) < call.want:
                self.stale_reads += 1
            self._finish(call, True)
        else:
            self._write(call)

    # writes and replication ----------------------------------------------------------------------
    def _write(self, call: Call) -> None:
        cl = self.cluster
        cl.wseq += 1
        v = cl.wseq
        keys = req_keys(call.req)
        for key in keys:
            self.ver[key] = v
        if self is not cl:  # a promoted follower: replicate to the others, out of sight
            lag = 0.0 if cl.params.replication == "sync" else cl.lag  # sync: before the commit
            for lk in cl.followers:
                f = lk.dst
                if f is not self and f.up:
                    if lag:
                        self.k.schedule(lag, f._apply, (keys, v, None))
                    else:
                        f._apply((keys, v, None))
            _commit(cl, keys, v)
            if cl.failovers and "first_write_s" not in cl.failovers[-1]:
                cl.failovers[-1]["first_write_s"] = rnd(self.k.now)
            self._finish(call, True)
            return
        sync = self.params.replication == "sync"
        fl = self.followers
        call.step = len(fl) if sync else 0  # acks to wait for (set first: they may come at once)
        for lk in fl:
            sub = DbCall(self, lk, call, call.req)
            sub.leg, sub.keys, sub.ver = REPL, keys, v
            self.request(lk, sub, K_REPLICATION, 256)
        if not sync or not fl:
            _commit(self, keys, v)
            self._finish(call, True)

    def _replicated(self, sub: DbCall) -> None:
        """A sync follower's acknowledgement (or its refusal: it is down, don't wait)."""
        parent: Call = sub.ctx
        if parent not in self.active or self.params.replication != "sync":
            return
        parent.step -= 1
        if parent.step == 0:
            _commit(self, sub.keys, sub.ver)
            self._finish(parent, True)

    def _apply(self, item: tuple) -> None:
        keys, v, sub = item
        if not self.up:
            return
        ver = self.ver
        for key in keys:
            if ver.get(key, 0) < v:
                ver[key] = v
        if sub is not None and self.cluster.params.replication == "sync":
            self.reply(sub, True, 64)

    # request routing ---------------------------------------------------------------------------
    def on_request(self, call: Call) -> None:
        if self.params.role == "follower":
            self._follower_request(call)
            return
        op = call.req.op
        if op == READ and self.params.read_from != "leader":
            target = self._read_target()
            if target is not None:
                self._forward(target, call)
                return
        if self.up:
            self._admit(call)
        elif self.primary is not self:
            self._forward(self._link_to(self.primary), call)
        elif self.params.failover_ms is None:
            self.refused += 1
            self.reply(call, False)
        elif self.params.writes_during_failover == "wait":
            self.waited += 1
            self.pending.append(call)
        else:
            self.fails += 1
            self.reply(call, False)

    def _follower_request(self, call: Call) -> None:
        if type(call) is DbCall and call.leg == REPL:
            if self.up:
                self.k.schedule(self.cluster.lag, self._apply, (call.keys, call.ver, call))
            elif self.cluster.params.replication == "sync":
                self.reply(call, False, 64)
            return
        if not self.up:
            self.refused += 1
            self.reply(call, False)
        elif call.req.op == WRITE and self.cluster.primary is not self:
            self.refused += 1  # read-only replica
            self.reply(call, False)
        else:
            self._admit(call)

    def _read_target(self):
        """The link to the follower the next read goes to, or None for the leader itself."""
        fl = [lk for lk in self.followers if lk.dst.up]
        n = len(fl) + (1 if self.params.read_from == "any" and self.up else 0)
        if not fl:
            return None
        i = self.rr % n
        self.rr += 1
        return fl[i] if i < len(fl) else None

    def _link_to(self, node: Node):
        return next(lk for lk in self.followers if lk.dst is node)

    def _forward(self, link, parent: Call) -> None:
        sub = DbCall(self, link, parent, parent.req)
        sub.leg = FWD
        sub.want = self.committed.get(parent.req.key, 0)
        if parent.req.op == READ:
            self.reads_fwd += 1
        self.request(link, sub, K_REQUEST, 1024)

    def on_reply(self, sub: Call) -> None:
        if sub.done:
            return
        sub.done = True
        if sub.leg == REPL:
            self._replicated(sub)
        else:  # the address relays the answer even while the leader host is down
            self.reply(sub.ctx, sub.ok, self.rsize)

    # faults --------------------------------------------------------------------------------------
    def crash(self) -> None:
        if not self.up:
            return
        self.up = False
        self._drop_all()
        self.epoch += 1
        if self.params.role == "leader" and self.params.failover_ms is not None:
            self.crash_t = self.k.now
            self.k.schedule(self.params.failover_ms / 1000.0, self._promote, self.epoch)

    def _promote(self, epoch: int) -> None:
        if self.up or epoch != self.epoch:
            return
        new = next((lk.dst for lk in self.followers if lk.dst.up), None)
        if new is None:
            self.k.schedule(0.001, self._promote, epoch)  # try again when one is back
            return
        now = self.k.now
        lost = sum(1 for key, v in self.committed.items() if new.ver.get(key, 0) < v)
        self.failovers.append(
            {"crash_s": rnd(self.crash_t), "promoted_s": rnd(now), "node": new.id, "lost": lost}
        )
        for key, v in self.committed.items():  # what it lacked is gone: the new truth
            if new.ver.get(key, 0) < v:
                self.committed[key] = new.ver.get(key, 0)
        self.primary = new
        link = self._link_to(new)
        while self.pending:
            self._forward(link, self.pending.popleft())

    def restart(self) -> None:
        self.up = True
        self.epoch += 1
        if self.params.role == "leader":
            self.primary = self  # fail back
            self.ver = dict(self.committed)
            while self.pending:
                self._admit(self.pending.popleft())
        else:
            self.ver = dict(self.cluster.committed)

    # observation ---------------------------------------------------------------------------------
    def state(self) -> tuple[int, int, int]:
        return len(self.queue) + len(self.pending), self.busy, 1 if self.up else 0

    def result(self, end: float) -> dict:
        out = {"kind": self.KIND, "role": self.params.role, **self.pool_result(end)}
        out["refused"] = self.refused
        if self.params.role == "follower":
            out["stale_reads"] = self.stale_reads
            return out
        if self.followers:
            out["replication"] = self._replication_result()
        if self.params.failover_ms is not None:
            out["failover"] = self._failover_result()
        return out

    def _replication_result(self) -> dict:
        fs = [lk.dst for lk in self.followers]
        stale = sum(f.stale_reads for f in fs)
        served = self.reads_fwd
        return {
            "mode": self.params.replication,
            "followers": len(fs),
            "lag_ms": rnd(self.lag * 1000.0),
            "follower_reads": served,
            "stale_reads": stale,
            "stale_ratio": rnd(stale / served) if served else 0.0,
        }

    def _failover_result(self) -> dict:
        out: dict = {"failovers": self.failovers, "requests_failed": self.fails}
        out["requests_waited"] = self.waited
        if self.failovers and "first_write_s" in self.failovers[0]:
            f = self.failovers[0]  # crash to the first write the new leader committed
            out["write_outage_ms"] = rnd((f["first_write_s"] - f["crash_s"]) * 1000.0)
        return out


def _is_follower(node: Node) -> bool:
    return isinstance(node, Database) and node.params.role == "follower"


def _commit(leader: Database, keys: tuple[int, ...], v: int) -> None:
    c = leader.committed
    for key in keys:
        if c.get(key, 0) < v:
            c[key] = v


__all__ = ["BatchReq", "Database", "DbCall", "req_keys"]
