"""What requests are about: key popularity (uniform or Zipf) for caches, shards and hot keys.

Model: keys are 0..n-1. Uniform picks each with probability 1/n. Zipf with exponent s picks key
k with probability proportional to 1/(k+1)^s, so key 0 is the hottest; draws invert the
cumulative weights by bisection (O(log n) per draw, the table built once per client).

`ReqFields` derives a request's (op, key, session) from its id alone: a splitmix64 hash of
(the client's 64-bit stream key + id) gives three uniforms, so the fields are the same whoever
reads them first and whenever (lazy `Req`s, see kinds/base.py), and cost nothing when unread.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable
from itertools import accumulate

M64 = (1 << 64) - 1
INV53 = 1.0 / (1 << 53)


class KeySampler:
    """Draws keys from one client's random stream."""

    __slots__ = ("cdf", "n", "random", "total")

    def __init__(self, n: int, dist: str, s: float, random: Callable[[], float]) -> None:
        self.n = n
        self.random = random
        self.cdf: list[float] | None = None
        self.total = 0.0
        if dist == "zipf" and n > 1:
            self.cdf = list(accumulate(1.0 / (k + 1) ** s for k in range(n)))
            self.total = self.cdf[-1]

    def draw(self) -> int:
        if self.cdf is None:
            return int(self.random() * self.n)
        return min(bisect_left(self.cdf, self.random() * self.total), self.n - 1)

    def key_at(self, u: float) -> int:
        """The key at uniform `u` in [0, 1) (what `draw` does with its own draw)."""
        if self.cdf is None:
            return int(u * self.n)
        return min(bisect_left(self.cdf, u * self.total), self.n - 1)

    def probability(self, key: int) -> float:
        """The probability of drawing `key` (for tests and for theory, e.g. hit ratios)."""
        if self.cdf is None:
            return 1.0 / self.n
        prev = self.cdf[key - 1] if key else 0.0
        return (self.cdf[key] - prev) / self.total


def _mix(z: int) -> int:
    """splitmix64's finaliser: a 64-bit bijection with good avalanche."""
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
    return z ^ (z >> 31)


class ReqFields:
    """(op, key, session) of request `id` of one client, as a pure function of the id."""

    __slots__ = ("base", "keys", "read", "sessions")

    def __init__(self, base: int, read_ratio: float, keys: KeySampler, sessions: int) -> None:
        self.base = base & M64
        self.read = read_ratio
        self.keys = keys
        self.sessions = sessions

    def fields(self, id: int) -> tuple[int, int, int]:
        z = (self.base + id * 0x9E3779B97F4A7C15) & M64
        u1 = (_mix(z) >> 11) * INV53
        u2 = (_mix(z + 1) >> 11) * INV53
        u3 = (_mix(z + 2) >> 11) * INV53
        op = 0 if self.read >= 1.0 or u1 < self.read else 1
        return op, self.keys.key_at(u2), int(u3 * self.sessions)
