"""Client-side resilience: retry backoff with jitter and a circuit breaker.

Backoff (AWS Architecture Blog, "Exponential Backoff And Jitter", Brooker 2015), for the n-th
retry (n = 1, 2, ...), base b and cap c:

- `none`:         sleep = min(c, b * 2^(n-1))
- `full`:         sleep = U(0, min(c, b * 2^(n-1)))
- `equal`:        t = min(c, b * 2^(n-1)); sleep = t/2 + U(0, t/2)
- `decorrelated`: sleep = min(c, U(b, 3 * previous sleep)), the previous sleep starting at b

Circuit breaker (count-based, as Resilience4j's COUNT_BASED window): CLOSED records the outcome
of each attempt in a ring of the last `window` outcomes; once at least `min_calls` are recorded
and the failure fraction reaches `failure_rate`, it goes OPEN. OPEN rejects every attempt at
once for `open_s`, then goes HALF_OPEN (a scheduled event, so the transition time does not
depend on arrivals). HALF_OPEN lets `probes` attempts through and rejects the rest; one failed
probe re-OPENs it, `probes` successful ones CLOSE it (with an empty window). Outcomes of
attempts sent in an earlier state are ignored (they describe the past). Every transition is
appended to `log` as (t, state) so a test can check the state machine on the trace.
"""

from __future__ import annotations

from collections.abc import Callable

CLOSED, OPEN, HALF_OPEN = 0, 1, 2
STATE_NAMES = ("closed", "open", "half_open")
MAX_LOG = 500  # transitions kept for the result (counts are exact regardless)


def backoff(
    kind: str, n: int, base: float, cap: float, prev: float, rand: Callable[[], float]
) -> float:
    """Seconds to wait before retry `n` (1-based); `prev`: the last sleep (decorrelated)."""
    if kind == "decorrelated":
        lo = base
        hi = max(lo, 3.0 * (prev if prev > 0 else base))
        return min(cap, lo + rand() * (hi - lo))
    t = min(cap, base * 2.0 ** (n - 1))
    if kind == "full":
        return rand() * t
    if kind == "equal":
        return t / 2.0 + rand() * (t / 2.0)
    return t


class Breaker:
    """One client's circuit breaker; `allow()` before an attempt, `record()` after it."""

    __slots__ = (
        "counts",
        "epoch",
        "fails",
        "k",
        "log",
        "min_calls",
        "open_s",
        "probes",
        "rate",
        "ring",
        "ring_i",
        "state",
        "trial_ok",
        "trials",
    )

    def __init__(
        self, kernel, rate: float, window: int, min_calls: int, open_s: float, probes: int
    ) -> None:
        self.k = kernel
        self.rate = rate
        self.min_calls = min(min_calls, window)
        self.open_s = open_s
        self.probes = probes
        self.ring: list[int] = [0] * window  # 1 = failure
        self.ring_i = 0
        self.fails = 0
        self.state = CLOSED
        self.epoch = 0  # bumped on every transition: tags which state an attempt was sent in
        self.trials = 0
        self.trial_ok = 0
        self.log: list[tuple[float, int]] = []
        # opened, half_opened, closed, rejected
        self.counts = [0, 0, 0, 0]

    def allow(self) -> int:
        """The epoch to tag the attempt with, or -1 when the breaker rejects it."""
        st = self.state
        if st == CLOSED:
            return self.epoch
        if st == HALF_OPEN and self.trials < self.probes:
            self.trials += 1
            return self.epoch
        self.counts[3] += 1
        return -1

    def record(self, epoch: int, ok: bool) -> None:
        if epoch != self.epoch:
            return  # sent in an earlier state
        if self.state == CLOSED:
            ring, i = self.ring, self.ring_i
            bad = 0 if ok else 1
            self.fails += bad - ring[i % len(ring)]
            ring[i % len(ring)] = bad
            self.ring_i = i + 1
            n = min(self.ring_i, len(ring))
            if n >= self.min_calls and self.fails >= self.rate * n:
                self._go(OPEN)
        elif self.state == HALF_OPEN:
            if not ok:
                self._go(OPEN)
            else:
                self.trial_ok += 1
                if self.trial_ok >= self.probes:
                    self._go(CLOSED)

    def _go(self, state: int) -> None:
        self.state = state
        self.epoch += 1
        if len(self.log) < MAX_LOG:
            self.log.append((self.k.now, state))
        if state == OPEN:
            self.counts[0] += 1
            self.k.schedule(self.open_s, self._half_open, self.epoch)
        elif state == HALF_OPEN:
            self.counts[1] += 1
            self.trials = self.trial_ok = 0
        else:
            self.counts[2] += 1
            self.ring = [0] * len(self.ring)
            self.ring_i = self.fails = 0

    def _half_open(self, epoch: int) -> None:
        if epoch == self.epoch and self.state == OPEN:
            self._go(HALF_OPEN)

    def result(self) -> dict:
        o, h, c, r = self.counts
        return {
            "state": STATE_NAMES[self.state],
            "opened": o,
            "half_opened": h,
            "closed": c,
            "rejected": r,
            "transitions": [[round(t, 6), STATE_NAMES[s]] for t, s in self.log],
        }
