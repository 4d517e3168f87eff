"""BitTorrent-style swarm: pieces, rarest-first, tit-for-tat choking, optimistic unchoke.

Model: the file (`file_mb` on the tracker, rounded up to whole pieces) is P pieces of
`piece_kb`. The tracker gives every peer `neighbours` random others (the relation is made
symmetric). Bandwidth is a fluid model stepped every `tick_ms`: each peer splits its upload
capacity evenly over the unchoked neighbours that are interested in it (it has a piece they
lack); each peer's total inflow is then capped at its download capacity (every incoming flow
scaled down alike). Bytes on a connection fill one piece at a time; the piece is chosen rarest-
first (fewest copies in the swarm, ties broken at random) among those the uploader has, the
downloader lacks and no other connection of the downloader is fetching; bytes left over when a
piece completes flow into the next one. Every `choke_s` a leecher unchokes the `unchoke_slots -
1` interested neighbours that sent it the most in the last period (tit-for-tat) plus one
optimistic unchoke rotated every `optimistic_s`; a seeder unchokes interested neighbours at
random; a peer whose unchoked set has nobody left to serve re-chokes at once. Finished leechers
stay and seed. All peers join at t = 0 (a flash crowd) and the swarm stops stepping once every
peer has the file.

Checked against the file-distribution lower bound (Kurose & Ross) for N leechers:
max(F/u_s, F/d_min, N·F/(u_s + Σu_i)), u_s the seeders' total upload, and the client-server time
max(N·F/u_s, F/d_min) of the same seeders serving the file alone.
"""

from __future__ import annotations

from array import array
from heapq import heappush
from typing import Any

from apps.engine.kernel import PRIO_MODEL
from apps.engine.metrics import rnd
from apps.engine.network import MESSAGE_KINDS
from apps.engine.patterns.overlay import Overlay
from apps.engine.rng import substream

K_PIECE = MESSAGE_KINDS.index("piece")
VIEW_PEERS = 256


class Swarm:
    """One swarm: per-peer bitfields (Python ints), rates, choke state and piece progress."""

    __slots__ = (
        "alive",
        "avail",
        "cfg",
        "choke_at",
        "cur",
        "done_t",
        "down",
        "dt",
        "finished",
        "full",
        "got",
        "have",
        "host",
        "hosts",
        "inflight",
        "leechers",
        "n",
        "nbrs",
        "ndone",
        "opt",
        "opt_at",
        "order",
        "ov",
        "part",
        "piece_b",
        "pieces",
        "rng",
        "unch",
        "up",
        "world",
    )  # fmt: skip

    def __init__(self, world: Any, hosts: list[Any]) -> None:
        from apps.engine.kinds.tracker import Tracker, TrackerParams

        trackers = [n for n in world.nodes if isinstance(n, Tracker)]
        self.cfg = cfg = trackers[0].params if trackers else TrackerParams()
        self.world, self.hosts = world, hosts
        self.n = n = sum(h.params.count for h in hosts)
        self.host = array("i", [hi for hi, h in enumerate(hosts) for _ in range(h.params.count)])
        self.ov = Overlay(world, hosts, self.host, "bittorrent")
        self.rng = substream(world.seed, "bittorrent").random
        size = cfg.file_mb * 1e6
        self.piece_b = cfg.piece_kb * 1e3
        self.pieces = p = max(1, -(-int(size) // int(self.piece_b)))
        self.full = (1 << p) - 1
        per_peer = [h.params for h in hosts for _ in range(h.params.count)]
        self.up = [q.upload_kbps * 125.0 for q in per_peer]  # kbit/s -> bytes/s
        self.down = [q.download_kbps * 125.0 for q in per_peer]
        self.have = [self.full if q.seed else 0 for q in per_peer]
        self.ndone = array("i", [p if q.seed else 0 for q in per_peer])
        self.leechers = [i for i, q in enumerate(per_peer) if not q.seed]
        self.avail = array("i", [n - len(self.leechers)]) * p
        self.alive = bytearray(b"\x01") * n
        self.done_t = array("d", [0.0 if q.seed else -1.0 for q in per_peer])
        self.inflight = [0] * n
        self.cur: list[dict[int, int]] = [{} for _ in range(n)]  # v: u -> piece being fetched
        self.part: list[dict[int, float]] = [{} for _ in range(n)]  # v: piece -> bytes so far
        self.got: list[dict[int, float]] = [{} for _ in range(n)]  # v: u -> bytes this period
        self.unch: list[list[int]] = [[] for _ in range(n)]
        self.opt = array("i", [-1]) * n
        self.nbrs = self._neighbours()
        self.finished = 0
        self.order: list[int] = []
        self.dt = cfg.tick_ms / 1000.0
        self.choke_at = self.opt_at = 0.0
        k = world.kernel
        heappush(k.heap, (0.0, PRIO_MODEL, next(k.seq), self._tick, None))

    def _neighbours(self) -> list[list[int]]:
        n, want = self.n, self.cfg.neighbours
        sets: list[set[int]] = [set() for _ in range(n)]
        for a in range(n):
            if n - 1 <= want:
                sets[a].update(b for b in range(n) if b != a)
                continue
            while len(sets[a]) < want:
                b = int(self.rng() * n)
                if b != a:
                    sets[a].add(b)
                    sets[b].add(a)
        return [sorted(s) for s in sets]

    # choking ---------------------------------------------------------------------------------
    def _interested(self, u: int) -> list[int]:
        hu, have, alive, full = self.have[u], self.have, self.alive, self.full
        return [v for v in self.nbrs[u] if alive[v] and have[v] != full and hu & ~have[v]]

    def _choke(self, u: int, rotate: bool) -> None:
        old = self.unch[u]
        self._unchoke(u, rotate)
        new = self.unch[u]
        for v in old:
            if v not in new:  # choked: v keeps the partial piece and may finish it elsewhere
                i = self.cur[v].pop(u, -1)
                if i >= 0:
                    self.inflight[v] &= ~(1 << i)

    def _unchoke(self, u: int, rotate: bool) -> None:
        cand = self._interested(u)
        slots = self.cfg.unchoke_slots
        if len(cand) <= slots:
            self.unch[u] = cand
            return
        if self.have[u] == self.full:  # a seeder: random interested peers
            self.unch[u] = sorted(cand, key=lambda _v: self.rng())[:slots]
            return
        got = self.got[u]
        best = sorted(cand, key=lambda v: (-got.get(v, 0.0), v))[: slots - 1]
        opt = self.opt[u]
        if rotate or opt < 0 or opt in best or opt not in cand:
            rest = [v for v in cand if v not in best]
            opt = rest[int(self.rng() * len(rest))]
            self.opt[u] = opt
        self.unch[u] = [*best, opt]

    # the fluid step --------------------------------------------------------------------------
    def _tick(self, _: object) -> None:
        now = self.ov.k.now
        if now >= self.choke_at:
            rotate = now >= self.opt_at
            if rotate:
                self.opt_at = now + self.cfg.optimistic_s
            for u in range(self.n):
                if self.alive[u] and self.have[u]:
                    self._choke(u, rotate)
            self.got = [{} for _ in range(self.n)]
            self.choke_at = now + self.cfg.choke_s
        rng, avail = self.rng, self.avail
        tie = [rng() for _ in range(self.pieces)]
        self.order = sorted(range(self.pieces), key=lambda i: (avail[i], tie[i]))
        flows = self._offers()
        for v, offers in enumerate(flows):
            if offers:
                total = sum(b for _u, b in offers)
                cap = self.down[v] * self.dt
                scale = cap / total if total > cap else 1.0
                for u, b in offers:
                    self._receive(u, v, b * scale, now)
        if self.finished < len(self.leechers):
            k = self.ov.k
            heappush(k.heap, (now + self.dt, PRIO_MODEL, next(k.seq), self._tick, None))

    def _offers(self) -> list[list[tuple[int, float]]]:
        have, alive, full, dt = self.have, self.alive, self.full, self.dt
        flows: list[list[tuple[int, float]]] = [[] for _ in range(self.n)]
        for u in range(self.n):
            hu = have[u]
            if not hu or not alive[u]:
                continue
            act = [v for v in self.unch[u] if alive[v] and have[v] != full and hu & ~have[v]]
            if not act:
                self._choke(u, False)
                act = self.unch[u]
                if not act:
                    continue
            share = self.up[u] * dt / len(act)
            for v in act:
                flows[v].append((u, share))
        return flows

    def _receive(self, u: int, v: int, b: float, now: float) -> None:
        got = self.got[v]
        got[u] = got.get(u, 0.0) + b
        cur, part = self.cur[v], self.part[v]
        pb = self.piece_b
        while b > 0.0:
            i = cur.get(u, -1)
            if i < 0:
                i = self._pick(u, v)
                if i < 0:
                    return
                cur[u] = i
                self.inflight[v] |= 1 << i
            need = pb - part.get(i, 0.0)
            if b < need:
                part[i] = pb - need + b
                return
            b -= need
            del cur[u]
            part.pop(i, None)
            self._complete(u, v, i, now)

    def _pick(self, u: int, v: int) -> int:
        """Rarest piece u has, v lacks and v is not fetching; random among the rarest; -1: none.

        Scans the pieces in this step's rarity order (ties shuffled) and picks at random among
        the first (at most 8) equally rare candidates.
        """
        cand = self.have[u] & ~self.have[v] & ~self.inflight[v]
        if not cand:
            return -1
        best, best_a, ties = -1, 0, 0
        avail = self.avail
        if cand.bit_count() <= 16:  # few candidates: visit them directly
            while cand:
                low = cand & -cand
                cand ^= low
                i = low.bit_length() - 1
                a = avail[i]
                if best < 0 or a < best_a:
                    best, best_a, ties = i, a, 1
                elif a == best_a:
                    ties += 1
                    if self.rng() * ties < 1.0:
                        best = i
            return best
        for i in self.order:
            if cand >> i & 1:
                a = avail[i]
                if best < 0:
                    best, best_a, ties = i, a, 1
                elif a == best_a:
                    ties += 1
                    if self.rng() * ties < 1.0:  # reservoir sampling: uniform among ties
                        best = i
                    if ties == 8:
                        break
                else:
                    break
        return best

    def _complete(self, u: int, v: int, i: int, now: float) -> None:
        bit = 1 << i
        self.inflight[v] &= ~bit
        if self.have[v] & bit:
            return
        self.have[v] |= bit
        self.avail[i] += 1
        self.ndone[v] += 1
        self.ov.note(u, v, K_PIECE)
        if self.ndone[v] == self.pieces:
            self.done_t[v] = now + self.dt  # the piece's bytes arrived during this step
            self.finished += 1

    # faults, results, views ------------------------------------------------------------------
    def host_down(self, host: Any) -> None:
        for p in range(host.first, host.first + host.params.count):
            self.alive[p] = 0
            self.cur[p].clear()
            self.inflight[p] = 0
        for v in range(self.n):  # connections from the departed peers end
            for u in [u for u in self.cur[v] if not self.alive[u]]:
                self.inflight[v] &= ~(1 << self.cur[v].pop(u))

    def host_up(self, host: Any) -> None:
        for p in range(host.first, host.first + host.params.count):
            self.alive[p] = 1

    def bounds(self) -> dict[str, float]:
        f = self.pieces * self.piece_b
        seeds = [i for i in range(self.n) if self.done_t[i] == 0.0]
        u_s = sum(self.up[i] for i in seeds)
        lee = self.leechers
        if not lee or u_s <= 0:
            return {"lower_bound_s": 0.0, "client_server_s": 0.0}
        d_min = min(self.down[i] for i in lee)
        nn = len(lee)
        lb = max(f / u_s, f / d_min, nn * f / (u_s + sum(self.up[i] for i in lee)))
        return {"lower_bound_s": lb, "client_server_s": max(nn * f / u_s, f / d_min)}

    def result(self) -> dict[str, Any]:
        times = [self.done_t[i] for i in self.leechers if self.done_t[i] >= 0.0]
        b = self.bounds()
        worst = max(times) if times else 0.0
        lb = b["lower_bound_s"]
        return {
            "peers": len(self.leechers),
            "seeders": self.n - len(self.leechers),
            "completed": len(times),
            "completion_s": {
                "mean": rnd(sum(times) / len(times)) if times else 0.0,
                "max": rnd(worst),
            },
            "lower_bound_s": rnd(lb),
            "client_server_s": rnd(b["client_server_s"]),
            "max_over_bound": rnd(worst / lb) if lb and len(times) == len(self.leechers) else 0.0,
            "pieces": self.pieces,
        }

    def frame(self) -> dict[str, Any]:
        """Swarm view: fraction complete of ≤ VIEW_PEERS leechers, evenly sampled."""
        lee = self.leechers
        step = max(1, -(-len(lee) // VIEW_PEERS))
        p = self.pieces
        return {
            "peers": len(lee),
            "completed": self.finished,
            "done": [rnd(self.ndone[i] / p) for i in lee[::step]],
        }
