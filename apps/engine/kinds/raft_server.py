"""`raft_server`: one server of a Raft cluster (Ongaro & Ousterhout 2014).

Model: every `raft_server` of the scenario belongs to one cluster and talks to the others over
an implicit full mesh (patterns/mesh.py). A follower that hears nothing for a random election
timeout, uniform in `election_timeout_ms`, becomes a candidate: it increments its term, votes for
itself and asks the others (RequestVote, animated as `vote`). A candidate with a majority
becomes leader, appends a no-op entry of its term (§8, so earlier entries commit promptly) and
sends AppendEntries every `heartbeat_ms` (`heartbeat` when empty, `replication` with entries;
also at once when a command arrives; answers are `ack`s). Followers accept entries only when
the previous entry matches (log matching), truncating conflicts; the leader commits an index
once a majority stores it and the entry is of its current term (§5.4.2), and every server
applies committed entries in order. Any message with a higher term turns its receiver into a
follower of that term.

Clients: a `client` with an edge to any server sends it commands (each request is one command).
The leader appends it and replies once it is committed and applied. A follower that knows the
leader proxies the command to it over the mesh and relays the answer (a client cannot be
redirected: it only has its drawn edges); a server that knows no leader, or is down, answers
with an error at once, and a leader that loses leadership fails its pending commands. A command
lost in a partition is noticed only by the client's `timeout_ms`.

Crash and restart: currentTerm, votedFor and the log are persistent and survive a crash; role,
commit index, applied index, leader hint and the leader's replication state are volatile and
are lost (a restarted server re-applies its log as it learns the commit index again).
"""

from __future__ import annotations

from typing import Any

from apps.engine.kinds.base import Call, Node, World
from apps.engine.network import K_ERROR, K_REQUEST
from apps.engine.params import LIMITS, Strict, ms_range, param
from apps.engine.patterns.mesh import Mesh, ProxiedCommands
from apps.engine.patterns.raft_cluster import RaftCluster
from apps.engine.rng import substream

K_ACK, K_VOTE, K_HEARTBEAT, K_REPLICATION = 6, 7, 8, 9
FOLLOWER, CANDIDATE, LEADER = 0, 1, 2
ROLES = ("follower", "candidate", "leader")


MsRange = ms_range(1)


class RaftParams(Strict):
    election_timeout_ms: MsRange = param(
        [150.0, 300.0],
        "Election timeout range [low, high]: each wait is uniform in it",
        unit="ms",
        min_length=2,
        max_length=2,
    )
    heartbeat_ms: float = param(
        50.0, "Leader's AppendEntries interval", unit="ms", ge=1, le=LIMITS["max_time_ms"]
    )


class RaftServer(ProxiedCommands, Node):
    KIND = "raft_server"
    Params = RaftParams
    CONSENSUS = True

    __slots__ = (
        "applied",
        "cluster",
        "commit",
        "hb",
        "leader_id",
        "log",
        "match",
        "next",
        "pending",
        "random",
        "role",
        "t_hi",
        "t_lo",
        "term",
        "timer",
        "voted_for",
        "votes",
    )

    def __init__(self, world: World, spec: Any, index: int) -> None:
        super().__init__(world, spec, index)
        p: RaftParams = spec.params
        lo, hi = p.election_timeout_ms
        self.t_lo, self.t_hi = lo / 1000.0, hi / 1000.0
        self.hb = p.heartbeat_ms / 1000.0
        self.random = substream(world.seed, f"node:{spec.id}").random
        self.cluster: RaftCluster = None  # type: ignore[assignment]  # set by start()
        # persistent state: survives crashes
        self.term = 0
        self.voted_for: str | None = None
        self.log: list[tuple[int, Any]] = [(0, None)]  # (term, command); index 0 is a sentinel
        self.timer = 0  # generation: a timer entry whose generation is stale does nothing
        self._volatile()

    def _volatile(self) -> None:
        self.role = FOLLOWER
        self.commit = 0
        self.applied = 0
        self.leader_id: RaftServer | None = None
        self.votes = 0
        self.next: dict[str, int] = {}
        self.match: dict[str, int] = {}
        self.pending: dict[int, Call] = {}

    # life cycle ------------------------------------------------------------------------------
    def start(self) -> None:
        if self.cluster is None:
            members = [n for n in self.world.nodes if isinstance(n, RaftServer)]
            cluster = RaftCluster(self.world, members)
            for n in members:
                n.cluster = cluster
        self._arm()

    def crash(self) -> None:
        if not self.up:
            return
        if self.role == LEADER:
            self.cluster.crashes.append((self.k.now, self.term))
        self._fail_pending()
        self.up = False
        self._volatile()
        self.timer += 1  # cancels the armed timers

    def restart(self) -> None:
        self.up = True
        self._volatile()
        self._arm()

    def leader(self) -> Node | None:
        """The cluster's current leader, for faults on `"@leader"`."""
        return self.cluster.leader() if self.cluster else None

    def downed_leader(self) -> Node | None:
        """The latest leader that is down, for `restart @leader`."""
        return self.cluster.downed_leader() if self.cluster else None

    # timers ----------------------------------------------------------------------------------
    def _arm(self) -> None:
        """(Re)start the election timer with a fresh random timeout."""
        self.timer += 1
        wait = self.t_lo + (self.t_hi - self.t_lo) * self.random()
        self.k.schedule(wait, self._timeout, self.timer)

    def _timeout(self, gen: int) -> None:
        if gen != self.timer or not self.up or self.role == LEADER:
            return
        self.term += 1
        self.role = CANDIDATE
        self.voted_for = self.id
        self.votes = 1
        self.leader_id = None
        self._arm()
        if self.votes >= self.cluster.majority():
            self._lead()
            return
        last = len(self.log) - 1
        msg = (self.term, self, last, self.log[last][0])
        send = self.cluster.mesh.send
        for peer in self.cluster.members:
            if peer is not self:
                send(self, peer, K_VOTE, peer._on_vote_req, msg)

    def _beat(self, gen: int) -> None:
        if gen != self.timer or not self.up or self.role != LEADER:
            return
        self._replicate()
        self.k.schedule(self.hb, self._beat, gen)

    # terms and roles -------------------------------------------------------------------------
    def _see(self, term: int) -> None:
        """A message carries `term`: a newer term makes this server its follower."""
        if term > self.term:
            self.term = term
            self.voted_for = None
            self.leader_id = None  # the old leader's term is over; the new one announces itself
            if self.role != FOLLOWER:
                self._fail_pending()
                self.role = FOLLOWER
                self._arm()

    def _lead(self) -> None:
        self.role = LEADER
        self.leader_id = self
        self.timer += 1  # stop the election timer
        self.log.append((self.term, None))  # no-op of the new term (§8)
        nxt = len(self.log) - 1
        self.next = {p.id: nxt for p in self.cluster.members if p is not self}
        self.match = {p.id: 0 for p in self.cluster.members if p is not self}
        self.cluster.checker.became_leader(self.term, self.id, self.k.now, self.log)
        self._advance()
        self._beat(self.timer)

    def _fail_pending(self) -> None:
        pending, self.pending = self.pending, {}
        for call in pending.values():
            self._answer(call, False)

    # RequestVote -----------------------------------------------------------------------------
    def _on_vote_req(self, msg: tuple) -> None:
        if not self.up:
            return
        term, cand, last, last_term = msg
        self._see(term)
        my_last = len(self.log) - 1
        my_term = self.log[my_last][0]
        ok = (
            term == self.term
            and self.voted_for in (None, cand.id)
            and (last_term > my_term or (last_term == my_term and last >= my_last))
        )
        if ok:
            self.voted_for = cand.id
            self._arm()
        self.cluster.mesh.send(self, cand, K_VOTE, cand._on_vote, (self.term, ok))

    def _on_vote(self, msg: tuple) -> None:
        if not self.up:
            return
        term, ok = msg
        self._see(term)
        if self.role == CANDIDATE and term == self.term and ok:
            self.votes += 1
            if self.votes == self.cluster.majority():
                self._lead()

    # AppendEntries ---------------------------------------------------------------------------
    def _replicate(self) -> None:
        """Send every follower what it lacks from its next index on (empty: a heartbeat)."""
        log = self.log
        last = len(log) - 1
        send = self.cluster.mesh.send
        for peer in self.cluster.members:
            if peer is self:
                continue
            nxt = self.next[peer.id]
            entries = log[nxt:]
            msg = (self.term, self, nxt - 1, log[nxt - 1][0], entries, self.commit)
            send(self, peer, K_REPLICATION if entries else K_HEARTBEAT, peer._on_append, msg)
            self.next[peer.id] = last + 1  # optimistic: a rejection moves it back

    def _on_append(self, msg: tuple) -> None:
        if not self.up:
            return
        term, leader, prev, prev_term, entries, leader_commit = msg
        self._see(term)
        mesh = self.cluster.mesh
        if term < self.term:
            mesh.send(self, leader, K_ACK, leader._on_append_ack, (self.term, self, False, 0))
            return
        if self.role != FOLLOWER:  # a candidate of this term meets its leader
            self.role = FOLLOWER
        self.leader_id = leader
        self._arm()
        log = self.log
        if prev >= len(log) or log[prev][0] != prev_term:
            hint = self._conflict(prev)
            mesh.send(self, leader, K_ACK, leader._on_append_ack, (term, self, False, hint))
            return
        i = prev + 1
        for e in entries:
            if i < len(log):
                if log[i][0] != e[0]:
                    del log[i:]
                    log.append(e)
            else:
                log.append(e)
            i += 1
        match = prev + len(entries)
        if leader_commit > self.commit:
            self._commit_to(min(leader_commit, match))
        mesh.send(self, leader, K_ACK, leader._on_append_ack, (term, self, True, match))

    def _conflict(self, prev: int) -> int:
        """Where the leader should retry: after our last entry, or at the start of the
        conflicting term (skips a whole term per round trip; any index >= 1 is safe)."""
        log = self.log
        if prev >= len(log):
            return len(log)
        bad = log[prev][0]
        h = prev
        while h > 1 and log[h - 1][0] == bad:
            h -= 1
        return h

    def _on_append_ack(self, msg: tuple) -> None:
        if not self.up:
            return
        term, peer, ok, idx = msg
        self._see(term)
        if self.role != LEADER or term != self.term:
            return
        if ok:
            if idx > self.match[peer.id]:
                self.match[peer.id] = idx
                self._advance()
            if self.next[peer.id] <= idx:
                self.next[peer.id] = idx + 1
        else:
            self.next[peer.id] = max(1, min(self.next[peer.id], idx))

    def _advance(self) -> None:
        """Commit the highest index a majority stores, if it is of the current term."""
        marks = sorted([len(self.log) - 1, *self.match.values()], reverse=True)
        n = marks[self.cluster.majority() - 1]
        if n > self.commit and self.log[n][0] == self.term:
            self.cluster.checker.commit(self.log, self.commit, n, self.k.now, self.id)
            self._commit_to(n)

    def _commit_to(self, n: int) -> None:
        self.commit = n
        checker = self.cluster.checker
        now = self.k.now
        log = self.log
        while self.applied < n:
            self.applied += 1
            checker.apply(self.applied, log[self.applied], now, self.id)
            call = self.pending.pop(self.applied, None)
            if call is not None:
                self._answer(call, log[self.applied][1] == call.req.id)

    # client commands -------------------------------------------------------------------------
    def on_request(self, call: Call) -> None:
        if not self.up:
            self.reply(call, False)
        elif self.role == LEADER:
            self._append(call)
        elif self.leader_id is not None:
            ld = self.leader_id
            self.cluster.mesh.send(self, ld, K_REQUEST, ld._on_forward, call)
        else:
            self.reply(call, False)

    def _on_forward(self, call: Call) -> None:
        proxy = call.link.dst
        if self.up and self.role == LEADER:
            self._append(call)
        elif self.up:
            self.cluster.mesh.send(self, proxy, K_ERROR, proxy._on_relay, call)

    def _append(self, call: Call) -> None:
        self.log.append((self.term, call.req.id))
        self.pending[len(self.log) - 1] = call
        self._replicate()
        self._advance()  # a one-server cluster commits at once

    def _mesh(self) -> Mesh:
        return self.cluster.mesh

    # observation -----------------------------------------------------------------------------
    def state(self) -> tuple[int, int, int]:
        return len(self.pending), 0, 1 if self.up else 0

    def result(self, end: float) -> dict:
        return {
            "kind": self.KIND,
            "role": ROLES[self.role],
            "up": self.up,
            "term": self.term,
            "log_length": len(self.log) - 1,
            "commit_index": self.commit,
        }

    @classmethod
    def protocol_result(cls, world: World, members: list[Node], end: float) -> dict[str, Any]:
        cluster = members[0].cluster  # type: ignore[attr-defined]
        return {"raft": cluster.result(end)} if cluster is not None else {}

    @classmethod
    def frame_state(cls, world: World, members: list[Node], t: float) -> dict[str, Any]:
        return {
            "raft": {
                "role": [ROLES[n.role] for n in members],  # type: ignore[attr-defined]
                "term": [n.term for n in members],  # type: ignore[attr-defined]
                "log": [len(n.log) - 1 for n in members],  # type: ignore[attr-defined]
                "commit": [n.commit for n in members],  # type: ignore[attr-defined]
            }
        }
