"""Far zoom on a large scene: tiles and edges on one canvas, the cards come back when zooming in."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from bench.bench_browser import grid_scenario

pytestmark = pytest.mark.browser

LIT = """c => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < d.length; i += 4) if (d[i] > 100) n++;
    return n;
}"""


def test_a_2000_node_scene_is_drawn_on_a_canvas_when_zoomed_out(
    live_stack, page: Page, page_errors: list[str], artifacts: Path
) -> None:
    created = page.request.post(
        f"{live_stack.base_url}/api/scenarios", data=grid_scenario(2000, 40, "far")
    )
    assert created.status == 201, created.text()
    page.goto(f"{live_stack.base_url}{created.json()['share_url']}")
    far = page.get_by_test_id("far-layer")
    expect(far).to_be_visible(timeout=20_000)  # fit view of 2 000 cards is far out
    expect(page.get_by_test_id("node-n0")).to_be_hidden()
    lit = far.evaluate(LIT)
    box = far.bounding_box()
    assert box is not None
    assert lit > 0.05 * box["width"] * box["height"], lit  # the tiles are painted
    page.screenshot(path=str(artifacts / "far-zoom-canvas.png"))

    # Zoom in on the first card: past the threshold the DOM cards are back, the canvas gone.
    page.get_by_test_id("fit-button").click()
    for _ in range(12):
        page.mouse.move(box["x"] + 40, box["y"] + 40)
        page.mouse.wheel(0, -300)
        page.wait_for_timeout(60)
        if far.count() == 0:
            break
    expect(far).to_have_count(0)
    expect(page.locator("[data-testid^=node-]").first).to_be_visible()
    page.screenshot(path=str(artifacts / "far-zoom-back.png"))
    assert page_errors == []
