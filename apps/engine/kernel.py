"""The event loop: a binary heap of callbacks keyed (time, priority, seq).

Model: an entry is the tuple `(t, prio, seq, fn, arg)`; popping it sets `now = t` and calls
`fn(arg)`. `seq` comes from one `itertools.count` per kernel, so entries with equal time and
priority run in the order they were scheduled, identically on every run (no comparison ever
reaches `fn`). Lower `prio` runs first at equal time: faults and boundaries use `PRIO_FAULT`
(0), model events `PRIO_MODEL` (1).

Callbacks instead of generator processes: FACTS.md measured this style ~6.6x faster than SimPy.
Hot model code pushes onto `kernel.heap` directly with aliased `heappush` and `kernel.seq`
(see kinds/service.py); `schedule`/`at` are the readable forms for everything else.
Keep the heap small: schedule the next arrival of a source lazily, one at a time.

`tick` is housekeeping the owner hands in (the world flushes its metric tapes, see
metrics.Tape): `run` calls it every TICK events and when it returns, so model code never has to
check buffer sizes per event.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from heapq import heappop, heappush
from typing import Any

PRIO_FAULT = 0
PRIO_MODEL = 1
# The loop runs events in chunks of CHUNK: `for i in range(CHUNK)` counts them for free
# (range(256) yields cached small ints, no allocation), and every TICK events it calls `tick`.
CHUNK = 256
TICK = 16 * CHUNK

Callback = Callable[[Any], object]


def _stop(_: object) -> None:
    """The sentinel callback that ends `Kernel.run`; never called."""


def _no_housekeeping() -> None:
    """The default `Kernel.tick`."""


class Kernel:
    """Simulated clock plus the event heap. `events` counts callbacks run so far."""

    __slots__ = ("events", "heap", "now", "seq", "tick")

    def __init__(self) -> None:
        self.now: float = 0.0
        self.heap: list[tuple[float, int, int, Callback, Any]] = []
        self.seq = itertools.count()
        self.events = 0
        self.tick: Callable[[], object] = _no_housekeeping

    def at(self, t: float, fn: Callback, arg: Any = None, prio: int = PRIO_MODEL) -> None:
        """Run `fn(arg)` at absolute simulated time `t` (never earlier than now)."""
        if t < self.now:
            t = self.now
        heappush(self.heap, (t, prio, next(self.seq), fn, arg))

    def schedule(self, delay: float, fn: Callback, arg: Any = None, prio: int = PRIO_MODEL) -> None:
        """Run `fn(arg)` after `delay` simulated seconds."""
        heappush(self.heap, (self.now + delay, prio, next(self.seq), fn, arg))

    def run(self, until: float) -> None:
        """Run every entry with t < until, then set the clock to `until`.

        A sentinel entry (until, -1, ...) sorts before every real entry at `until`, so the loop
        needs no bounds test per event: it stops when it pops the sentinel.
        """
        heap = self.heap
        pop = heappop
        stop = _stop
        heappush(heap, (until, -1, next(self.seq), stop, None))
        chunk = range(CHUNK)
        done = i = 0  # events run in full chunks; in the current chunk
        try:
            while True:
                for i in chunk:  # noqa: B007  (i is read after the loop)
                    t, _p, _s, fn, arg = pop(heap)
                    if fn is stop:
                        break
                    self.now = t
                    fn(arg)
                else:  # a full chunk ran
                    done += CHUNK
                    i = 0
                    if not done % TICK:
                        self.tick()
                    continue
                break  # the sentinel: i events of this chunk ran
        finally:
            self.events += done + i  # (an exception in event i: i ran to the end)
        self.tick()
        if until > self.now:
            self.now = until

    def __len__(self) -> int:
        return len(self.heap)
