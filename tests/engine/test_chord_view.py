"""The Chord ring view in frames: the finger tables sent are the true successors of n + 2^i."""

import json
from bisect import bisect_left

import pytest

from apps.engine import simulate
from apps.engine.metrics import rnd
from apps.engine.patterns.chord import make_ids
from apps.engine.patterns.chord_view import VIEW_PEERS
from tests.engine.test_chord import ring


def frames_of(scenario: dict) -> list[dict]:
    out: list[dict] = []
    simulate(scenario, emit=out.append, frame_interval_s=0.5)
    return [m for m in out if m["type"] == "frame"]


def expand(runs: list[float], m: int) -> list[float]:
    """The flat [i, target, ...] runs back to one target position per finger 0..m-1."""
    targets: list[float] = []
    pairs = list(zip(runs[::2], runs[1::2], strict=True))
    for k, (i, pos) in enumerate(pairs):
        end = pairs[k + 1][0] if k + 1 < len(pairs) else m
        assert i == len(targets)  # runs start at 0 and are contiguous
        targets.extend([pos] * int(end - i))
    return targets


@pytest.mark.parametrize(("n", "bits"), [(40, 16), (1000, 32)])
def test_fingers_are_the_true_successors_of_n_plus_two_to_the_i(n, bits):
    frames = frames_of(ring(n, rate=1.0, duration=2, id_bits=bits))
    chord = frames[0]["protocols"]["chord"]
    ids = sorted(make_ids([("ring", i) for i in range(n)], bits))
    full = float(1 << bits)
    step = max(1, -(-n // VIEW_PEERS))
    shown = ids[::step]
    assert chord["ring"] == [rnd(x / full) for x in shown]
    assert chord["id_bits"] == bits
    assert len(chord["fingers"]) == len(shown)
    for x, runs in zip(shown, chord["fingers"], strict=True):
        got = expand(runs, bits)
        want = []
        for i in range(bits):
            start = (x + (1 << i)) % (1 << bits)
            want.append(rnd(ids[bisect_left(ids, start) % n] / full))
        assert got == want
        assert len(runs) // 2 < bits  # compressed: repeated targets are not sent
    # Later frames leave the ring and fingers out (nothing changed): only the live count.
    assert all("fingers" not in f["protocols"]["chord"] for f in frames[1:])


def test_fingers_are_sent_again_once_the_ring_has_settled_after_a_crash():
    peer = {"protocol": "chord", "count": 32, "lookups_per_s": 0.5, "id_bits": 16,
            "stabilize_ms": 50}  # fmt: skip
    sc = {
        "format": "topolab/1",
        "nodes": [{"id": h, "kind": "peer", "params": peer} for h in ("a", "b")],
        "edges": [],
        "faults": [{"at_s": 1.0, "action": "crash", "node": "b"}],
        "settings": {"duration_s": 4, "warmup_s": 0, "seed": 2},
    }
    frames = frames_of(sc)
    sent = [i for i, f in enumerate(frames) if "fingers" in f["protocols"]["chord"]]
    assert sent[0] == 0
    assert len(sent) == 2, sent  # again once stabilisation converged
    assert sent[1] > 2, sent
    full = float(1 << 16)
    a = {rnd(x / full) for x in make_ids([("a", i) for i in range(32)], 16)}
    view = frames[0]["protocols"]["chord"]
    again = frames[sent[1]]["protocols"]["chord"]["fingers"]
    live = [runs for pos, runs in zip(view["ring"], again, strict=True) if pos in a]
    assert len(live) == 32
    # after b's peers left, every live peer's fingers point at live peers only
    assert all(t in a for runs in live for t in runs[1::2])


def test_finger_tables_of_a_4096_peer_ring_stay_small():
    frames = frames_of(ring(4096, rate=0.01, duration=1))
    first = frames[0]["protocols"]["chord"]
    size = len(json.dumps(first["fingers"], separators=(",", ":")))
    assert len(first["fingers"]) == VIEW_PEERS
    # about log2(4096) = 12 distinct targets per shown peer, not 32 fingers
    mean_runs = sum(len(r) // 2 for r in first["fingers"]) / VIEW_PEERS
    assert 10 <= mean_runs <= 16, mean_runs
    assert size < 80_000, size
