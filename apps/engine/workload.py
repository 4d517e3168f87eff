"""What requests are about: key popularity (uniform or Zipf) for caches, shards and hot keys.

Model: keys are 0..n-1. Uniform picks each with probability 1/n. Zipf with exponent s picks key
k with probability proportional to 1/(k+1)^s, so key 0 is the hottest; draws invert the
cumulative weights by bisection (O(log n) per draw, the table built once per client).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable
from itertools import accumulate


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

    def probability(self, key: int) -> float:
        """The probability of drawing `key` (for tests and for theory, e.g. hit ratios)."""
        if self.cdf is None:
            return 1.0 / self.n
        prev = self.cdf[key - 1] if key else 0.0
        return (self.cdf[key] - prev) / self.total
