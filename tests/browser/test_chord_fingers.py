"""Chord finger tables on hover (issue #5): each listed finger is the true successor of n + 2^i,
and the fingers are drawn as chords on the ring."""

from __future__ import annotations

from bisect import bisect_left
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from apps.engine.metrics import rnd
from apps.engine.patterns.chord import make_ids
from tests.browser.studio import open_template

pytestmark = pytest.mark.browser

FINGER_PIXELS = """c => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;  // pixels near the finger colour #9ad0ff
    for (let i = 0; i < d.length; i += 4) {
        const near = Math.abs(d[i] - 154) < 30 && Math.abs(d[i+1] - 208) < 30;
        if (near && d[i+2] > 220 && d[i+3] > 150) n++;
    }
    return n;
}"""


def test_hovering_a_peer_lists_and_draws_its_true_fingers(
    live_stack, page: Page, page_errors: list[str], artifacts: Path
) -> None:
    open_template(page, live_stack.base_url, "p2p-chord-ring", 10)
    expect(page.get_by_test_id("node-ring")).to_be_visible()
    page.get_by_test_id("run-button").click()
    view = page.get_by_test_id("chord-view")
    expect(view).to_have_attribute("data-fingers", "256", timeout=30_000)

    ring = page.get_by_test_id("chord-ring")
    box = ring.bounding_box()
    assert box is not None
    before = ring.evaluate(FINGER_PIXELS)
    # a peer on the right of the ring (about a quarter of the way round)
    page.mouse.move(box["x"] + box["width"] - 14, box["y"] + box["height"] / 2)
    peer = page.get_by_test_id("chord-peer")
    expect(peer).to_be_visible()
    rows = page.get_by_test_id("chord-finger")
    expect(rows.first).to_be_visible()
    position = float(peer.get_attribute("data-position") or "nan")
    assert 0.2 < position < 0.3, position
    drawn = ring.evaluate(FINGER_PIXELS)
    assert drawn > before + 100, (before, drawn)  # the finger chords appeared

    # The truth: the template's 256 peers, ids from SHA-1 of "ring:<i>" on a 32-bit ring.
    bits = 32
    full = float(1 << bits)
    ids = sorted(make_ids([("ring", i) for i in range(256)], bits))
    x = next(i for i in ids if rnd(i / full) == position)
    table = rows.evaluate_all(
        "rs => rs.map(r => [Number(r.dataset.from), Number(r.dataset.to), Number(r.dataset.succ)])"
    )
    assert table[0][0] == 0
    assert table[-1][1] == bits - 1
    assert len(table) < 12  # distinct targets only (about log2 256 = 8)
    for lo, hi, succ in table:
        for i in range(lo, hi + 1):
            start = (x + (1 << i)) % (1 << bits)
            assert succ == rnd(ids[bisect_left(ids, start) % len(ids)] / full), (i, succ)
    view.screenshot(path=str(artifacts / "chord-fingers.png"))

    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)  # off the ring
    expect(page.get_by_test_id("chord-fingers")).to_have_count(0)
    assert page_errors == []
