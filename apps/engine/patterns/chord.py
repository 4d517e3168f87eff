"""Chord DHT (Stoica et al., SIGCOMM 2001): identifier ring, successor lists, fingers, lookups.

Model: every chord peer (a drawn `peer` node, or each of the `count` peers it stands for) gets
an `id_bits`-bit identifier: the top bits of SHA-1("<node id>:<index>"), re-hashed on the rare
collision. The ring starts stabilised (every successor list, predecessor and finger correct, as
if the peers had joined one by one and stabilisation had converged). A lookup for a uniformly
random key starts at a random live peer of the issuing node and is routed recursively: a peer
whose first live successor s has key in (self, s] answers with s; otherwise it forwards the
lookup to the closest live peer preceding the key among its fingers and successor list, one
overlay message per hop (latency from overlay.py).

`hops` counts the forwarding messages until the peer that answers (the key's predecessor); the
final step to the owner (the successor) is not counted, matching the Chord paper's path length
of about ½·log2 N. `hops_to_owner` adds that last step when the owner is another peer.

Churn (`churn_per_s` on a node): a random live peer of that node leaves without notice and a
random departed one rejoins with its old id, bootstrapping from a random live peer (its join
lookup is resolved at once). While anything changed, a stabilisation round runs every
`stabilize_ms`: each live peer adopts its successor's predecessor if closer, copies its
successor's list, notifies it, and refreshes one finger. Failure detection is perfect and
instant (dead entries are skipped), so a lookup fails only when it reaches a peer that left
while the message was in flight. Each completed lookup is checked against the true successor of
its key among the live peers at that moment (`correct`/`wrong`).
"""

from __future__ import annotations

import hashlib
import math
from array import array
from bisect import bisect_left, insort
from heapq import heappush
from typing import Any

from apps.engine.kernel import PRIO_MODEL
from apps.engine.metrics import mean_p99, rnd
from apps.engine.network import MESSAGE_KINDS
from apps.engine.patterns.chord_view import SAMPLE_PER_S, frame_view
from apps.engine.patterns.overlay import Overlay
from apps.engine.rng import substream

K_LOOKUP = MESSAGE_KINDS.index("lookup")


class Lookup:
    __slots__ = ("hops", "key", "origin", "path", "t0")

    def __init__(self, key: int, origin: int, t0: float, path: list[int] | None) -> None:
        self.key = key
        self.origin = origin
        self.t0 = t0
        self.hops = 0
        self.path = path


def make_ids(names: list[tuple[str, int]], bits: int) -> list[int]:
    """Distinct `bits`-bit ids from SHA-1 of "<node id>:<index>" (re-hashed on collision)."""
    taken: set[int] = set()
    ids = []
    for node_id, i in names:
        text = f"{node_id}:{i}"
        while True:
            h = int.from_bytes(
                hashlib.sha1(text.encode(), usedforsecurity=False).digest(), "big"
            ) >> (160 - bits)
            if h not in taken:
                break
            text += "'"
        taken.add(h)
        ids.append(h)
    return ids


class Chord:
    """The whole ring: flat arrays indexed by peer number, and the lookup machinery."""

    __slots__ = (
        "alive", "bits", "correct", "failed", "fing", "fingers_sent", "fix_next", "host", "hosts",
        "ids", "live_ids", "lookups_started", "mask", "n", "ov", "owner_of", "period", "pred",
        "r", "rec_hops", "rec_lat", "rec_own", "ring_sent", "sample", "samples", "settle",
        "step_cb", "succ", "world", "wrong",
    )  # fmt: skip

    def __init__(self, world: Any, hosts: list[Any]) -> None:
        p0 = hosts[0].params
        self.world = world
        self.hosts = hosts
        self.bits = m = p0.id_bits
        self.mask = (1 << m) - 1
        self.r = p0.successors
        self.period = p0.stabilize_ms / 1000.0
        names = [(h.id, i) for h in hosts for i in range(h.params.count)]
        self.n = n = len(names)
        self.host = array("i", [hi for hi, h in enumerate(hosts) for _ in range(h.params.count)])
        self.ids = make_ids(names, m)
        self.ov = Overlay(world, hosts, self.host, "chord")
        self.alive = bytearray(b"\x01") * n
        self.owner_of = {x: p for p, x in enumerate(self.ids)}
        self.live_ids = sorted(self.ids)
        self.pred = array("i", [0]) * n
        self.fing = array("i", [0]) * (n * m)
        self.fix_next = array("b", [0]) * n
        self._stabilised()
        self.rec_hops = array("i")
        self.rec_own = array("i")
        self.rec_lat = array("d")
        self.correct = self.wrong = self.failed = self.lookups_started = 0
        self.settle = 0
        total = sum(h.params.lookups_per_s * h.params.count for h in hosts)
        self.sample = max(1, round(total / SAMPLE_PER_S))
        self.samples: list[Lookup] = []
        self.ring_sent = False
        self.fingers_sent = False
        self.step_cb = self._step

    # ring construction -----------------------------------------------------------------------
    def _stabilised(self) -> None:
        """Successor lists, predecessors and fingers of a converged ring."""
        n, m, r, ids = self.n, self.bits, self.r, self.ids
        order = sorted(range(n), key=ids.__getitem__)
        sids = [ids[p] for p in order]
        succ = array("i", [0]) * (n * r)
        for pos, p in enumerate(order):
            self.pred[p] = order[pos - 1]
            for j in range(r):
                succ[p * r + j] = order[(pos + 1 + j) % n]
            base = ids[p]
            for i in range(m):
                k = bisect_left(sids, (base + (1 << i)) & self.mask)
                self.fing[p * m + i] = order[k % n]
        self.succ = succ

    # routing ---------------------------------------------------------------------------------
    def first_live(self, x: int) -> int:
        """x's first live successor; if its whole list died, its nearest live finger (-1: none)."""
        alive, succ, r = self.alive, self.succ, self.r
        for j in range(x * r, x * r + r):
            if alive[succ[j]]:
                return succ[j]
        m = self.bits
        for j in range(x * m, x * m + m):
            if alive[self.fing[j]] and self.fing[j] != x:
                return self.fing[j]
        return -1

    def next_hop(self, x: int, key: int) -> tuple[int, bool]:
        """(peer, done): the owner if x can answer for `key`, else the next hop (-1: stuck)."""
        ids, alive, mask, r = self.ids, self.alive, self.mask, self.r
        ix = ids[x]
        d = (key - ix) & mask
        if d == 0:
            return x, True
        succ = self.succ
        s = succ[x * r]
        if not alive[s]:
            s = self.first_live(x)
            if s < 0:
                return -1, False
        ds = (ids[s] - ix) & mask
        if d <= ds or s == x:  # (a peer alone on the ring owns every key)
            return s, True
        # closest preceding finger: start at the largest i with 2^i < d (fingers above it
        # point past the key), usually the first or second one tried is it
        fing = self.fing
        base = x * self.bits
        i = (d - 1).bit_length() - 1
        while i >= 0:
            f = fing[base + i]
            if ds < (ids[f] - ix) & mask < d and alive[f]:
                return f, False
            i -= 1
        best, bd = s, ds  # no finger helps (stale fingers after churn): the successor list may
        for j in range(x * r + 1, x * r + r):
            f = succ[j]
            if alive[f]:
                df = (ids[f] - ix) & mask
                if bd < df < d:
                    best, bd = f, df
        return best, False

    def find_local(self, x: int, key: int) -> int:
        """The owner of `key` as routing from x would find it, resolved at once (-1: stuck)."""
        for _ in range(2 * self.bits + 2):
            y, done = self.next_hop(x, key)
            if done or y < 0:
                return y
            x = y
        return -1

    def true_owner(self, key: int) -> int:
        live = self.live_ids
        return self.owner_of[live[bisect_left(live, key) % len(live)]]

    # lookups ---------------------------------------------------------------------------------
    def start_lookup(self, origin: int, key: int) -> None:
        now = self.ov.k.now
        self.lookups_started += 1
        path = [origin] if self.lookups_started % self.sample == 0 else None
        self._step((origin, Lookup(key, origin, now, path)))

    def _step(self, arg: tuple[int, Lookup]) -> None:
        x, lk = arg
        if not self.alive[x]:
            self._finish(lk, -1)
            return
        y, done = self.next_hop(x, lk.key)
        if done or y < 0:
            if y >= 0 and y != x and lk.path is not None:
                lk.path.append(y)
            self._finish(lk, y, y >= 0 and y != x)
            return
        lk.hops += 1
        if lk.hops > 2 * self.bits + self.r:  # a routing loop while the ring is broken
            self._finish(lk, -1)
            return
        if lk.path is not None:
            lk.path.append(y)
        self.ov.send(x, y, K_LOOKUP, self.step_cb, (y, lk))

    def _finish(self, lk: Lookup, owner: int, extra: bool = False) -> None:
        if lk.path is not None and len(self.samples) < 4 * SAMPLE_PER_S:
            self.samples.append(lk)
        if lk.t0 < self.world.warmup:
            return
        if owner < 0:
            self.failed += 1
            return
        if owner == self.true_owner(lk.key):
            self.correct += 1
        else:
            self.wrong += 1
        self.rec_hops.append(lk.hops)
        self.rec_own.append(lk.hops + (1 if extra else 0))
        self.rec_lat.append(self.ov.k.now - lk.t0)

    # churn and stabilisation -----------------------------------------------------------------
    def leave(self, p: int) -> None:
        if self.alive[p]:
            self.alive[p] = 0
            live = self.live_ids
            del live[bisect_left(live, self.ids[p])]
            self._unsettle()

    def join(self, p: int, rng: Any) -> None:
        """Rejoin p with its old id through a random live peer."""
        if self.alive[p] or not self.live_ids:
            return
        boot = self.owner_of[self.live_ids[int(rng() * len(self.live_ids))]]
        s = self.find_local(boot, self.ids[p])
        if s < 0:
            return
        r, m = self.r, self.bits
        self.succ[p * r] = s
        for j in range(1, r):
            self.succ[p * r + j] = self.succ[s * r + j - 1]
        for i in range(m):
            self.fing[p * m + i] = s
        self.pred[p] = -1
        self.alive[p] = 1
        insort(self.live_ids, self.ids[p])
        self._unsettle()

    def _unsettle(self) -> None:
        if self.settle == 0:
            k = self.ov.k
            heappush(k.heap, (k.now + self.period, PRIO_MODEL, next(k.seq), self._round, None))
        self.settle = self.bits + self.r + 2  # rounds until fingers have all been refreshed

    def _round(self, _: object) -> None:
        alive = self.alive
        for x in range(self.n):
            if alive[x]:
                self._stabilise(x)
        self.settle -= 1
        if self.settle == 0:
            self.fingers_sent = False  # converged again: the ring view gets the new fingers
        if self.settle > 0:
            k = self.ov.k
            heappush(k.heap, (k.now + self.period, PRIO_MODEL, next(k.seq), self._round, None))

    def _stabilise(self, x: int) -> None:
        ids, alive, mask, r, succ, pred = (
            self.ids,
            self.alive,
            self.mask,
            self.r,
            self.succ,
            self.pred,
        )
        s = self.first_live(x)
        if s < 0:
            return
        ix = ids[x]
        p = pred[s]
        if p >= 0 and alive[p] and 0 < (ids[p] - ix) & mask < (ids[s] - ix) & mask:
            s = p
        succ[x * r] = s
        for j in range(1, r):
            succ[x * r + j] = succ[s * r + j - 1]
        p = pred[s]
        if p < 0 or not alive[p] or 0 < (ix - ids[p]) & mask < (ids[s] - ids[p]) & mask:
            pred[s] = x
        i = self.fix_next[x]
        self.fix_next[x] = (i + 1) % self.bits
        f = self.find_local(x, (ix + (1 << i)) & mask)
        if f >= 0:
            self.fing[x * self.bits + i] = f

    def host_down(self, host: Any) -> None:
        for p in range(host.first, host.first + host.params.count):
            self.leave(p)

    def host_up(self, host: Any) -> None:
        rng = substream(self.world.seed, f"chord-rejoin:{host.id}").random
        for p in range(host.first, host.first + host.params.count):
            self.join(p, rng)

    # results and views -----------------------------------------------------------------------
    def result(self) -> dict[str, Any]:
        hops = list(self.rec_hops)
        own = self.rec_own
        n_live = len(self.live_ids)
        return {
            "lookups": len(hops),
            "hops": mean_p99([float(h) for h in hops]),
            "hops_to_owner": {"mean": rnd(sum(own) / len(own)) if own else 0.0},
            "latency_ms": mean_p99(list(self.rec_lat), 1000.0),
            "correct": self.correct,
            "wrong": self.wrong,
            "failed": self.failed,
            "peers": self.n,
            "live_peers": n_live,
            "id_bits": self.bits,
            "theory_hops": rnd(0.5 * math.log2(n_live)) if n_live > 1 else 0.0,
            "messages": self.ov.sent,
        }

    def frame(self) -> dict[str, Any]:
        return frame_view(self)


def lookup_source(chord: Chord, host: Any, first: int, rate: float, churn: float) -> None:
    """Start the host's Poisson lookups (and churn) over its peers first..first+count-1."""
    rng = substream(chord.world.seed, f"chord:{host.id}").random
    count = host.params.count
    k = chord.ov.k
    heap, seq = k.heap, k.seq
    alive = chord.alive
    gone: list[int] = []

    def later(fn: Any, per_s: float) -> None:  # the next event of a Poisson stream
        heappush(heap, (k.now - math.log(1.0 - rng()) / per_s, PRIO_MODEL, next(seq), fn, None))

    def arrive(_: object) -> None:
        later(arrive, rate)
        for _try in range(4):
            p = first + int(rng() * count)
            if alive[p]:
                chord.start_lookup(p, int(rng() * (chord.mask + 1)))
                return

    def churn_event(_: object) -> None:
        later(churn_event, churn)
        # one leave and one rejoin (of an earlier leaver) per event keeps the population steady
        if gone:
            q = gone.pop(int(rng() * len(gone)))
            chord.join(q, rng)
        p = first + int(rng() * count)
        if alive[p] and len(chord.live_ids) > 2:
            chord.leave(p)
            gone.append(p)

    if rate > 0:
        later(arrive, rate)
    if churn > 0:
        later(churn_event, churn)
