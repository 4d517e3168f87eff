"""An LRU store with an optional TTL: the replacement policy of the `cache` kind.

Model: at most `capacity` keys (None: unbounded). A lookup of a present, unexpired key is a hit
and makes it the most recently used; an expired key is removed and the lookup is a miss. An
insert of a new key into a full store evicts the least recently used key. The TTL runs from
insertion (a hit does not extend it), which is the TTL cache of Jung, Berger and Balakrishnan
(2003) whose per-key hit ratio under Poisson requests of rate λ is λT / (1 + λT).
Backed by an insertion-ordered dict: `move_to_end` on a hit, `popitem(last=False)` to evict.
"""

from __future__ import annotations

from collections import OrderedDict


class LRU:
    """Keys (ints) -> expiry times (seconds; inf without a TTL), in recency order."""

    __slots__ = ("cap", "evictions", "items", "ttl")

    def __init__(self, capacity: int | None, ttl: float | None) -> None:
        self.cap = capacity
        self.ttl = float("inf") if ttl is None else ttl
        self.items: OrderedDict[int, float] = OrderedDict()
        self.evictions = 0

    def get(self, key: int, now: float) -> bool:
        """True on a hit (and refresh recency); an expired key is dropped."""
        items = self.items
        exp = items.get(key)
        if exp is None:
            return False
        if exp <= now:
            del items[key]
            return False
        items.move_to_end(key)
        return True

    def put(self, key: int, now: float) -> None:
        """Insert or refresh `key` (a new TTL), evicting the LRU key when full."""
        items = self.items
        if key in items:
            items.move_to_end(key)
        elif self.cap is not None and len(items) >= self.cap:
            if self.cap == 0:
                return
            items.popitem(last=False)
            self.evictions += 1
        items[key] = now + self.ttl

    def delete(self, key: int) -> None:
        self.items.pop(key, None)

    def clear(self) -> None:
        self.items.clear()

    def __len__(self) -> int:
        return len(self.items)


def che_hit_ratio(probs: list[float], capacity: int) -> float:
    """Che's approximation of the LRU hit ratio under the independent reference model.

    The characteristic time T solves Σ_k (1 − e^{−p_k T}) = C (bisection); key k hits with
    probability 1 − e^{−p_k T}, and the hit ratio is Σ_k p_k (1 − e^{−p_k T}).
    """
    from math import exp

    if capacity >= len(probs):
        return 1.0
    lo, hi = 0.0, 1.0
    while sum(1.0 - exp(-p * hi) for p in probs) < capacity:
        hi *= 2.0
    for _ in range(100):
        mid = (lo + hi) / 2.0
        if sum(1.0 - exp(-p * mid) for p in probs) < capacity:
            lo = mid
        else:
            hi = mid
    t = (lo + hi) / 2.0
    return sum(p * (1.0 - exp(-p * t)) for p in probs)


def ttl_hit_ratio(probs: list[float], rate: float, ttl: float) -> float:
    """Hit ratio of an unbounded TTL cache (TTL from insertion) under Poisson requests."""
    return sum(p * (p * rate * ttl) / (1.0 + p * rate * ttl) for p in probs)
