"""Protocol views: the Raft view and the Chord ring appear with their runs and follow the cursor."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.studio import open_studio, open_template
from tests.browser.test_playback import _seek

pytestmark = pytest.mark.browser


def _raft_rows(page: Page) -> list[dict]:
    return page.eval_on_selector_all(
        "[data-testid^=raft-row-]",
        "rows => rows.map(r => ({role: r.dataset.role, term: Number(r.dataset.term)}))",
    )


def test_raft_view_shows_one_leader_and_follows_the_scrubber(
    live_stack, page: Page, page_errors: list[str], artifacts: Path
) -> None:
    open_studio(page, live_stack.base_url)
    page.get_by_test_id("gallery-button").click()
    page.get_by_test_id("template-raft-leader-crash").click()
    expect(page.get_by_test_id("node-s1")).to_be_visible()
    expect(page.get_by_test_id("protocol-views")).to_have_count(0)  # nothing before a run
    page.get_by_test_id("speed").select_option("5")
    page.get_by_test_id("run-button").click()

    view = page.get_by_test_id("raft-view")
    expect(view).to_be_visible(timeout=30_000)
    expect(view).to_have_attribute("data-leaders", "1", timeout=10_000)
    rows = _raft_rows(page)
    assert len(rows) == 5
    assert sum(r["role"] == "leader" for r in rows) == 1
    assert all(r["term"] >= 1 for r in rows), rows
    page.screenshot(path=str(artifacts / "protocol-raft-running.png"))

    expect(page.get_by_test_id("run-status")).to_have_text("Finished", timeout=40_000)
    # The crashed leader (t=5 s) is replaced: after the crash, one leader in term 2.
    # (The end state is term 2 as well, so wait for the crashed server to show as down.)
    _seek(page, 7.0)
    expect(view.locator("[data-role=down]")).to_have_count(1, timeout=5_000)
    expect(view).to_have_attribute("data-max-term", "2")
    expect(view).to_have_attribute("data-leaders", "1")
    page.screenshot(path=str(artifacts / "protocol-raft-after-crash.png"))
    # ... and before it, the first leader in term 1: the view follows the cursor.
    _seek(page, 2.0)
    expect(view).to_have_attribute("data-max-term", "1", timeout=5_000)
    expect(view).to_have_attribute("data-leaders", "1")
    page.get_by_test_id("raft-view").screenshot(path=str(artifacts / "protocol-raft-view.png"))
    page.screenshot(path=str(artifacts / "protocol-raft-rewound.png"))
    assert page_errors == []


def test_chord_ring_draws_the_peers_and_lookup_paths(
    live_stack, page: Page, page_errors: list[str], artifacts: Path
) -> None:
    open_template(page, live_stack.base_url, "p2p-chord-ring", 15)
    expect(page.get_by_test_id("node-ring")).to_be_visible()
    page.get_by_test_id("run-button").click()

    view = page.get_by_test_id("chord-view")
    expect(view).to_be_visible(timeout=30_000)
    expect(view).to_have_attribute("data-peers", "256")
    page.wait_for_function(
        "Number(document.querySelector('[data-testid=chord-view]').dataset.lookups) > 0",
        timeout=20_000,
    )
    # The ring canvas really has the peers on it: light pixels all round the circle.
    lit = page.get_by_test_id("chord-ring").evaluate(
        """c => {
            const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            const cx = c.width / 2, r = c.width / 2 - 14 * (c.width / c.clientWidth);
            const seen = new Set();
            for (let y = 0; y < c.height; y++) for (let x = 0; x < c.width; x++) {
                const i = 4 * (y * c.width + x);
                if (d[i + 3] < 128 || d[i] + d[i + 1] + d[i + 2] < 450) continue; // bright: peers
                const dist = Math.hypot(x - cx, y - cx);
                if (Math.abs(dist - r) > 3 * (c.width / c.clientWidth)) continue;
                const a = (Math.atan2(y - cx, x - cx) + Math.PI) / (2 * Math.PI);
                seen.add(Math.floor(a * 12) % 12);
            }
            return seen.size;
        }"""
    )
    assert lit == 12, lit  # every 30 degree sector of the ring has peers drawn
    ring = page.get_by_test_id("chord-ring")
    box = ring.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + 14)  # the top of the ring: near id 0
    expect(page.get_by_test_id("chord-peer")).to_contain_text("successor")
    page.get_by_test_id("chord-view").screenshot(path=str(artifacts / "protocol-chord-view.png"))
    page.screenshot(path=str(artifacts / "protocol-chord.png"))
    assert page_errors == []


def test_bittorrent_swarm_paxos_and_replication_views(
    live_stack, page: Page, page_errors: list[str], artifacts: Path
) -> None:
    open_template(page, live_stack.base_url, "p2p-bittorrent-swarm", 90)
    page.get_by_test_id("speed").select_option("50")
    page.get_by_test_id("run-button").click()
    view = page.get_by_test_id("bittorrent-view")
    expect(view).to_be_visible(timeout=30_000)
    expect(page.get_by_test_id("run-status")).to_have_text("Finished", timeout=40_000)
    # By 90 s most of the 100 leechers are done (mean completion about 82 s), not all.
    done = int(view.get_attribute("data-completed") or 0)
    assert 10 <= done <= 101, done
    page.screenshot(path=str(artifacts / "protocol-bittorrent.png"))

    page.get_by_test_id("gallery-button").click()
    page.get_by_test_id("template-paxos-duel").click()
    expect(page.get_by_test_id("node-p1")).to_be_visible()
    page.get_by_test_id("run-button").click()
    expect(page.get_by_test_id("paxos-view")).to_be_visible(timeout=30_000)
    expect(page.get_by_test_id("paxos-chosen")).to_have_text("p3", timeout=30_000)
    page.screenshot(path=str(artifacts / "protocol-paxos.png"))

    # Any other protocol that names its nodes gets a per-node table (replication here).
    page.get_by_test_id("gallery-button").click()
    page.get_by_test_id("template-quorum-nrw").click()
    page.get_by_test_id("run-button").click()
    table = page.get_by_test_id("replication-view")
    expect(table).to_be_visible(timeout=30_000)
    expect(table.locator("th")).to_contain_text(["node", "ok", "errors", "stale"])
    expect(table.locator("tbody tr")).to_have_count(6)
    page.screenshot(path=str(artifacts / "protocol-replication.png"))
    assert page_errors == []
