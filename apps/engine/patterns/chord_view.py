"""What the Chord ring view is sent in frames (`frame["protocols"]["chord"]`).

Model: positions on the ring are ids divided by 2^m, in [0, 1). The ring (at most VIEW_PEERS
peers, evenly sampled in id order) is sent once, in the first frame, with each shown peer's
finger table; the finger tables are sent again after each stabilisation episode (churn changes
them). A finger table is compressed to its distinct targets: finger i points to the successor of
n + 2^i, and for a ring of N peers the first m - log2(N) fingers or so all point to the
immediate successor, so only `[i, target position]` where the target changes from finger i - 1
is sent (about log2 N pairs instead of m). The browser expands it back to m rows. Every frame
carries the live count and this window's sampled lookup paths.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from apps.engine.metrics import rnd

if TYPE_CHECKING:
    from apps.engine.patterns.chord import Chord

VIEW_PEERS = 256
SAMPLE_PER_S = 16  # lookups per simulated second whose path is kept for the ring view


def shown_peers(chord: Chord) -> list[int]:
    """The peers the ring view draws: every step-th in id order, at most VIEW_PEERS."""
    order = sorted(range(chord.n), key=chord.ids.__getitem__)
    step = max(1, -(-chord.n // VIEW_PEERS))
    return order[::step]


def finger_runs(chord: Chord, p: int, full: float) -> list[float]:
    """Peer p's fingers as a flat `[i, target position, ...]` list, one pair per new target."""
    m = chord.bits
    fing, ids = chord.fing, chord.ids
    out: list[float] = []
    last = -1
    for i in range(m):
        f = fing[p * m + i]
        if f != last:
            out.append(i)
            out.append(rnd(ids[f] / full))
            last = f
    return out


def frame_view(chord: Chord) -> dict[str, Any]:
    """Ring positions and fingers when due, the live count, then sampled lookup paths."""
    full = float(1 << chord.bits)
    out: dict[str, Any] = {}
    if not chord.ring_sent or not chord.fingers_sent:
        shown = shown_peers(chord)
        if not chord.ring_sent:
            chord.ring_sent = True
            out["ring"] = [rnd(chord.ids[p] / full) for p in shown]
            out["peers"] = chord.n
            out["id_bits"] = chord.bits
        chord.fingers_sent = True
        out["fingers"] = [finger_runs(chord, p, full) for p in shown]
    out["live"] = len(chord.live_ids)
    out["lookups"] = [
        {"key": rnd(lk.key / full), "path": [rnd(chord.ids[p] / full) for p in lk.path],
         "hops": lk.hops}
        for lk in chord.samples[:SAMPLE_PER_S]
    ]  # fmt: skip
    chord.samples.clear()
    return out
