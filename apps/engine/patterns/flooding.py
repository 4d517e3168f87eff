"""Unstructured flooding (Gnutella-style) and super-peers (KaZaA/Skype-style hybrids).

Model: the overlay's neighbours are the drawn edges between flooding `peer` nodes (an edge joins
the first peers of its two nodes, with the edge's one-way latency) plus, inside a node with
`count: N`, a generated random `degree`-regular graph: the union of degree/2 random Hamiltonian
cycles (and one random perfect matching for an odd degree), repaired (endpoints swapped) until
no edge repeats, so every peer has exactly `degree` neighbours. A query starts at a random live
peer of its node (Poisson, `queries_per_s`) with `ttl` hops: the origin sends it to all
neighbours; a peer that receives a query for the first time records it and, if the remaining ttl
allows, forwards it to every neighbour except the one it came from; later copies are dropped
(duplicate suppression) but were still sent, so they count as messages.

Exact expectation with one constant latency (first copies arrive along shortest paths):
messages = deg(origin) + Σ_{v: 1 ≤ dist(origin, v) ≤ ttl-1} (deg(v) − 1) and reach
= |{v: dist(origin, v) ≤ ttl}| (origin included) ≤ 1 + d·Σ_{i<ttl} (d−1)^i (the tree bound,
reached when the ball around the origin has no cycle).

Super-peers (`superpeers: S > 0` on a node with `count: N`): peers 0..S-1 of the node are
super-peers forming the random regular graph; every other peer is a leaf attached to one
super-peer chosen at random, which indexes its leaves' content. A leaf's query costs one message
to its super-peer, which then floods among super-peers as above; a reached super-peer answers for
itself and its leaves, so `covered` counts peers whose content was searched.
"""

from __future__ import annotations

from array import array
from heapq import heappush
from math import log
from typing import Any

from apps.engine.kernel import PRIO_MODEL
from apps.engine.metrics import rnd
from apps.engine.network import MESSAGE_KINDS
from apps.engine.patterns.overlay import Overlay
from apps.engine.rng import substream

K_QUERY = MESSAGE_KINDS.index("query")


class Query:
    __slots__ = ("covered", "depth", "msgs", "origin", "reach", "seen", "t0", "ttl")

    def __init__(self, origin: int, ttl: int, t0: float) -> None:
        self.origin = origin
        self.ttl = ttl
        self.t0 = t0
        self.seen: set[int] = set()
        self.msgs = self.reach = self.covered = self.depth = 0


def regular_graph(n: int, d: int, rng: Any) -> list[list[int]]:
    """A random d-regular simple graph on n nodes (complete graph when n <= d)."""
    if n <= d:
        return [[j for j in range(n) if j != i] for i in range(n)]
    adj: list[list[int]] = [[] for _ in range(n)]
    edges: set[tuple[int, int]] = set()
    layers = [2] * (d // 2) + ([1] if d % 2 and n % 2 == 0 else [])
    for kind in layers:
        perm = list(range(n))
        rng.shuffle(perm)
        step, span = (1, n) if kind == 2 else (2, n - 1)  # a Hamiltonian cycle / a matching
        for _try in range(200):  # repair: move the far end of every repeated edge elsewhere
            bad, seen = [], set()
            for i in range(0, span, step):
                a, b = perm[i], perm[(i + 1) % n]
                key = (a, b) if a < b else (b, a)
                if key in edges or key in seen:
                    bad.append((i + 1) % n)
                seen.add(key)
            if not bad:
                break
            for j in bad:
                t = int(rng.random() * n)
                perm[j], perm[t] = perm[t], perm[j]
        for i in range(0, span, step):
            a, b = perm[i], perm[(i + 1) % n]
            key = (a, b) if a < b else (b, a)
            if key not in edges:  # only if the repair gave up can an edge repeat
                edges.add(key)
                adj[a].append(b)
                adj[b].append(a)
    return adj


class Flooding:
    """Every flooding peer of a scenario, its neighbour lists and the queries' records."""

    __slots__ = (
        "adj",
        "alive",
        "deliver_cb",
        "host",
        "hosts",
        "leaves",
        "life",
        "n",
        "ov",
        "q_cov",
        "q_depth",
        "q_msgs",
        "q_origin",
        "q_reach",
        "super_of",
        "world",
    )  # fmt: skip

    def __init__(self, world: Any, hosts: list[Any]) -> None:
        self.world = world
        self.hosts = hosts
        self.n = n = sum(h.params.count for h in hosts)
        self.host = array("i", [hi for hi, h in enumerate(hosts) for _ in range(h.params.count)])
        self.ov = Overlay(world, hosts, self.host, "flooding")
        self.alive = bytearray(b"\x01") * n
        self.adj: list[list[int]] = [[] for _ in range(n)]
        self.super_of = array("i", [-1]) * n
        self.leaves = array("i", [0]) * n
        self._generate()
        self._drawn_edges(world)
        self.q_origin, self.q_msgs = array("i"), array("i")
        self.q_reach, self.q_cov, self.q_depth = array("i"), array("i"), array("i")
        self.deliver_cb = self._deliver
        ttl = max(h.params.ttl for h in hosts)
        p0 = hosts[0].params
        # a flood is over after ttl hops (+1 for a leaf's hop to its super-peer)
        hop = max([(p0.latency_ms + p0.latency_spread_ms) / 1000.0, *self.ov.pair_lat.values()])
        self.life = (ttl + 2) * hop + 1e-6

    def _generate(self) -> None:
        first = 0
        for h in self.hosts:
            p = h.params
            rng = substream(self.world.seed, f"flooding:{h.id}")
            s = min(p.superpeers, p.count) if p.superpeers else p.count
            for i, nbrs in enumerate(regular_graph(s, p.degree, rng)):
                self.adj[first + i].extend(first + j for j in nbrs)
            if s < p.count:
                for i in range(s, p.count):
                    sp = first + int(rng.random() * s)
                    self.super_of[first + i] = sp
                    self.leaves[sp] += 1
            first += p.count

    def _drawn_edges(self, world: Any) -> None:
        pos, first = {}, 0
        for h in self.hosts:
            pos[id(h)] = first
            first += h.params.count
        for link in world.links:
            a, b = pos.get(id(link.src)), pos.get(id(link.dst))
            if a is not None and b is not None and a != b and b not in self.adj[a]:
                self.adj[a].append(b)
                self.adj[b].append(a)
                self.ov.pair_lat[(a, b)] = self.ov.pair_lat[(b, a)] = link.lat

    def start_host(self, host: Any) -> None:
        rate = host.params.queries_per_s
        if rate <= 0:
            return
        rng = substream(self.world.seed, f"flooding-q:{host.id}").random
        k = self.ov.k
        first, count, ttl = host.first, host.params.count, host.params.ttl

        def arrive(_: object) -> None:
            heappush(k.heap, (k.now - log(1.0 - rng()) / rate, PRIO_MODEL, next(k.seq), arrive, 0))
            if host.up:
                self.start_query(first + int(rng() * count), ttl)

        heappush(k.heap, (k.now - log(1.0 - rng()) / rate, PRIO_MODEL, next(k.seq), arrive, 0))

    def start_query(self, origin: int, ttl: int) -> None:
        k = self.ov.k
        q = Query(origin, ttl, k.now)
        q.seen.add(origin)
        q.reach = 1
        q.covered = 1 + self.leaves[origin]
        sp = self.super_of[origin]
        if sp >= 0:  # a leaf asks its super-peer, which floods with the full ttl
            q.msgs += 1
            self.ov.send(origin, sp, K_QUERY, self.deliver_cb, (q, sp, origin, ttl + 1))
        else:
            self._forward(q, origin, -1, ttl)
        heappush(k.heap, (k.now + self.life, PRIO_MODEL, next(k.seq), self._close, q))

    def _forward(self, q: Query, x: int, came: int, ttl: int) -> None:
        send, cb = self.ov.send, self.deliver_cb
        for y in self.adj[x]:
            if y != came:
                q.msgs += 1
                send(x, y, K_QUERY, cb, (q, y, x, ttl))

    def _deliver(self, arg: tuple[Query, int, int, int]) -> None:
        q, x, came, ttl = arg
        if x in q.seen or not self.alive[x]:
            return
        q.seen.add(x)
        q.reach += 1
        q.covered += 1 + self.leaves[x]
        q.depth += q.ttl - ttl + 1
        if ttl > 1:
            self._forward(q, x, came, ttl - 1)

    def _close(self, q: Query) -> None:
        q.seen = set()
        if q.t0 >= self.world.warmup:
            self.q_origin.append(q.origin)
            self.q_msgs.append(q.msgs)
            self.q_reach.append(q.reach)
            self.q_cov.append(q.covered)
            self.q_depth.append(q.depth)

    def host_down(self, host: Any) -> None:
        for p in range(host.first, host.first + host.params.count):
            self.alive[p] = 0

    def host_up(self, host: Any) -> None:
        for p in range(host.first, host.first + host.params.count):
            self.alive[p] = 1

    def _fold(self, idx: list[int]) -> dict[str, Any]:
        nq = len(idx)
        if not nq:
            return {"queries": 0, "messages_per_query": 0.0, "reach": {"mean": 0.0, "max": 0},
                    "covered": {"mean": 0.0}, "hops": {"mean": 0.0}}  # fmt: skip
        reach = [self.q_reach[i] for i in idx]
        depth = sum(self.q_depth[i] for i in idx)
        return {
            "queries": nq,
            "messages_per_query": rnd(sum(self.q_msgs[i] for i in idx) / nq),
            "reach": {"mean": rnd(sum(reach) / nq), "max": max(reach)},
            "covered": {"mean": rnd(sum(self.q_cov[i] for i in idx) / nq)},
            "hops": {"mean": rnd(depth / max(1, sum(reach) - nq))},
        }

    def result(self) -> dict[str, Any]:
        out = self._fold(list(range(len(self.q_origin))))
        out["peers"] = self.n
        if len(self.hosts) > 1:
            by_host: dict[str, list[int]] = {h.id: [] for h in self.hosts}
            for i, o in enumerate(self.q_origin):
                by_host[self.hosts[self.host[o]].id].append(i)
            out["groups"] = {hid: self._fold(idx) for hid, idx in sorted(by_host.items())}
        return out

    def frame(self) -> dict[str, Any]:
        return {"queries": len(self.q_origin), "messages": self.ov.sent}
