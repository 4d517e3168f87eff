"""Deterministic random substreams.

Model: every consumer of randomness (a client's arrivals, a service's service times, an edge's
jitter and loss) owns a `random.Random` seeded from SHA-256 of `(seed, stable name)`, e.g.
`substream(42, "node:api-1")`. Streams are independent of each other and of creation order, so
adding a node does not shift the numbers any other node draws. Never `hash()` (salted per
process) and never the module-level `random` functions.
"""

from __future__ import annotations

import hashlib
import random


def derive_seed(seed: int, name: str) -> int:
    """A 64-bit seed from (seed, name), stable across processes and Python versions."""
    digest = hashlib.sha256(f"topolab/1:{seed}:{name}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


def substream(seed: int, name: str) -> random.Random:
    """A fresh `random.Random` for the consumer called `name` in a run seeded `seed`."""
    return random.Random(derive_seed(seed, name))
