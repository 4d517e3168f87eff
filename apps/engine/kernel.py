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
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from heapq import heappop, heappush
from typing import Any

PRIO_FAULT = 0
PRIO_MODEL = 1

Callback = Callable[[Any], object]


def _stop(_: object) -> None:
    """The sentinel callback that ends `Kernel.run`; never called."""


class Kernel:
    """Simulated clock plus the event heap. `events` counts callbacks run so far."""

    __slots__ = ("events", "heap", "now", "seq")

    def __init__(self) -> None:
        self.now: float = 0.0
        self.heap: list[tuple[float, int, int, Callback, Any]] = []
        self.seq = itertools.count()
        self.events = 0

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
        n = 0
        try:
            while True:
                t, _p, _s, fn, arg = pop(heap)
                if fn is stop:
                    break
                self.now = t
                fn(arg)
                n += 1
        finally:
            self.events += n
        if until > self.now:
            self.now = until

    def __len__(self) -> int:
        return len(self.heap)
