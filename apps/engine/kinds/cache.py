"""`cache`: an LRU/TTL key cache in front of a database, with four write strategies.

Model: a cache holds up to `capacity` keys (LRU eviction, patterns/lru.py) that expire
`ttl_ms` after they were stored. Every request takes `lookup_ms` (a fixed delay, no queue: a
cache is rarely the bottleneck), then depends on `strategy` and the request's `req.op`; the
database is the cache's first outgoing edge (a cache with no edge answers misses itself).

- `read_through`: a read miss is fetched from the database by the cache, stored, answered.
  Writes go to the database and invalidate the key (write-around).
- `cache_aside`: the application checks the cache, on a miss reads the database itself and
  stores the value. Topolab's `service` calls its targets unconditionally, so the cache node
  plays the application's part: on a miss it waits one round trip of the edge it was called on
  (the miss answer going back and the application turning to the database) before reading the
  database over its own edge, so the caller pays exactly one extra round trip per miss compared
  with read-through. Writes go to the database and invalidate the key.
- `write_through`: reads as read-through; a write goes to the database and, once it succeeds,
  into the cache: the key is warm for the next read.
- `write_behind`: reads as read-through; a write is stored and answered at once, marked dirty.
  Every `flush_interval_ms` up to `flush_batch` dirty keys (oldest first; repeated writes to a
  dirty key coalesce) go to the database as one batch write. Dirty keys are data at risk: a
  crash of the cache loses them (counted as `lost_writes`); a failed flush puts them back.

A crash empties the cache (cold restart) and answers requests in flight with an error. Hit ratio
counts reads looked up in the window after warmup (a dirty key counts as a hit).
"""

from __future__ import annotations

from array import array
from typing import Literal

from apps.engine.kinds.base import Call, Node, Req, World
from apps.engine.kinds.database import BatchReq
from apps.engine.metrics import mean_p99, rnd, spans
from apps.engine.network import K_REQUEST
from apps.engine.params import LIMITS, Strict, param
from apps.engine.patterns.lru import LRU

Strategy = Literal["cache_aside", "read_through", "write_through", "write_behind"]
_FLUSH = object()  # ctx of a flush batch call


class CacheParams(Strict):
    strategy: Strategy = param(
        "read_through",
        "cache_aside (the caller reads the database on a miss: one extra round trip), "
        "read_through, write_through (writes go to the database, then the cache) or "
        "write_behind (writes are acknowledged at once and flushed in batches)",
    )
    capacity: int | None = param(
        1000,
        "Keys the cache holds; the least recently used is evicted (none: unbounded)",
        ge=0,
        le=LIMITS["max_keys"],
    )
    ttl_ms: float | None = param(
        None,
        "A stored key expires this long after it was stored (none: never)",
        unit="ms",
        gt=0,
        le=LIMITS["max_time_ms"],
    )
    lookup_ms: float = param(
        0.5, "Time of one cache operation", unit="ms", ge=0, le=LIMITS["max_time_ms"]
    )
    flush_interval_ms: float = param(
        100.0, "write_behind: time between flushes", unit="ms", gt=0, le=LIMITS["max_time_ms"]
    )
    flush_batch: int = param(100, "write_behind: most keys in one flush", ge=1, le=100_000)
    response_bytes: int = param(
        1024, "Response size", unit="B", ge=0, le=LIMITS["max_message_bytes"]
    )


class Cache(Node):
    KIND = "cache"
    Params = CacheParams

    __slots__ = (
        "active",
        "armed",
        "dirty",
        "evict0",
        "f_arr",
        "f_en",
        "failed_flushes",
        "flushed_keys",
        "flushes",
        "hits",
        "inflight",
        "lookup",
        "lost",
        "lru",
        "misses",
        "nflush",
        "rarea",
        "rlast",
        "rmax",
        "strategy",
    )  # fmt: skip

    def __init__(self, world: World, spec, index: int) -> None:
        super().__init__(world, spec, index)
        p: CacheParams = spec.params
        self.strategy = p.strategy
        self.lru = LRU(p.capacity, None if p.ttl_ms is None else p.ttl_ms / 1000.0)
        self.lookup = p.lookup_ms / 1000.0
        self.active: dict[Call, None] = {}
        self.dirty: dict[int, float] = {}  # write_behind: key -> first unflushed write time
        self.inflight = 0  # keys in flush batches not yet acknowledged
        self.armed = False
        self.nflush = 0
        self.f_arr, self.f_en = array("d"), array("d")
        self.rarea = self.rlast = 0.0
        self.lost = 0
        self.reset_window()

    def reset_window(self) -> None:
        self.hits = self.misses = 0
        self.evict0 = self.lru.evictions
        self.flushes = self.flushed_keys = self.failed_flushes = 0
        self._risk_mark()
        self.rarea = 0.0
        self.rmax = len(self.dirty)

    def _risk_mark(self) -> None:
        """Integrate the number of dirty keys over time (data at risk)."""
        now = self.k.now
        self.rarea += len(self.dirty) * (now - self.rlast)
        self.rlast = now

    # request path --------------------------------------------------------------------------------
    def on_request(self, call: Call) -> None:
        if not self.up:
            self.reply(call, False)
            return
        call.t_arr = self.k.now
        self.active[call] = None
        if self.lookup > 0.0:
            self.k.schedule(self.lookup * self.slow, self._looked_up, call)
        else:
            self._looked_up(call)

    def _looked_up(self, call: Call) -> None:
        if call not in self.active:
            return  # crashed meanwhile
        key, now = call.req.key, self.k.now
        if call.req.op == Req.READ:
            if self.lru.get(key, now) or key in self.dirty:
                self.hits += 1
                self._answer(call, True)
            else:
                self.misses += 1
                if self.strategy == "cache_aside" and self.out:
                    # the miss goes back to the caller, which then turns to the database
                    self.k.schedule(2.0 * call.link.lat, self._to_db, call)
                else:
                    self._to_db(call)
            return
        if self.strategy == "write_behind":
            self.lru.put(key, now)
            self._risk_mark()
            self.dirty.setdefault(key, now)
            self.rmax = max(self.rmax, len(self.dirty))
            if not self.armed:
                self.armed = True
                self.k.schedule(self.params.flush_interval_ms / 1000.0, self._flush, None)
            self._answer(call, True)
            return
        if self.strategy != "write_through":
            self.lru.delete(key)  # invalidate, then write around the cache
        self._to_db(call)

    def _to_db(self, call: Call) -> None:
        if call not in self.active:
            return
        if not self.out:  # no database drawn: the value comes from nowhere, at once
            if call.req.op == Req.READ or self.strategy == "write_through":
                self.lru.put(call.req.key, self.k.now)
            self._answer(call, True)
            return
        link = self.out[0]
        self.request(link, Call(self, link, call, call.req), K_REQUEST, 1024)

    def on_reply(self, sub: Call) -> None:
        if sub.done:
            return
        sub.done = True
        parent = sub.ctx
        if parent is _FLUSH:
            self._flushed(sub)
            return
        if parent not in self.active:
            return
        if sub.ok and (parent.req.op == Req.READ or self.strategy == "write_through"):
            self.lru.put(parent.req.key, self.k.now)
        self._answer(parent, sub.ok)

    def _answer(self, call: Call, ok: bool) -> None:
        del self.active[call]
        self.f_arr.append(call.t_arr)
        self.f_en.append(self.k.now)
        self.reply(call, ok, self.params.response_bytes)

    # write-behind --------------------------------------------------------------------------------
    def _flush(self, _: object) -> None:
        self.armed = False
        if not self.up or not self.dirty or not self.out:
            return
        self._risk_mark()
        keys = tuple(list(self.dirty)[: self.params.flush_batch])
        for key in keys:
            del self.dirty[key]
        self.inflight += len(keys)
        self.nflush += 1
        req = BatchReq((self.index << 40) | (1 << 39) | self.nflush, keys)
        link = self.out[0]
        self.request(link, Call(self, link, _FLUSH, req), K_REQUEST, 64 * len(keys))
        if self.dirty and not self.armed:
            self.armed = True
            self.k.schedule(self.params.flush_interval_ms / 1000.0, self._flush, None)

    def _flushed(self, sub: Call) -> None:
        keys = sub.req.keys
        self.inflight -= len(keys)
        if sub.ok:
            self.flushes += 1
            self.flushed_keys += len(keys)
            return
        self.failed_flushes += 1
        if self.up:  # put them back: they are still only here
            self._risk_mark()
            for key in keys:
                self.dirty.setdefault(key, self.k.now)
            if not self.armed:
                self.armed = True
                self.k.schedule(self.params.flush_interval_ms / 1000.0, self._flush, None)

    # faults --------------------------------------------------------------------------------------
    def crash(self) -> None:
        if not self.up:
            return
        self.up = False
        self._risk_mark()
        self.lost += len(self.dirty)
        self.dirty.clear()
        self.lru.clear()
        for call in list(self.active):
            self.reply(call, False)
        self.active.clear()

    # observation ---------------------------------------------------------------------------------
    def state(self) -> tuple[int, int, int]:
        return len(self.dirty), len(self.active), 1 if self.up else 0

    def result(self, end: float) -> dict:
        w = min(self.world.warmup, end)
        span = end - w
        lat = spans(self.f_arr, self.f_en, w)
        looked = self.hits + self.misses
        out = {
            "kind": self.KIND,
            "strategy": self.strategy,
            "throughput_rps": rnd(len(lat) / span) if span > 0 else 0.0,
            "latency_ms": mean_p99(lat, 1000.0),
            "hits": self.hits,
            "misses": self.misses,
            "hit_ratio": rnd(self.hits / looked) if looked else 0.0,
            "evictions": self.lru.evictions - self.evict0,
            "size": len(self.lru),
        }
        if self.strategy == "write_behind":
            area = self.rarea + len(self.dirty) * (end - self.rlast)
            out["write_behind"] = {
                "pending": len(self.dirty),
                "in_flight": self.inflight,
                "flushed_batches": self.flushes,
                "flushed_keys": self.flushed_keys,
                "failed_batches": self.failed_flushes,
                "at_risk": {"mean": rnd(area / span) if span > 0 else 0.0, "max": self.rmax},
                "lost_writes": self.lost,
            }
        return out
