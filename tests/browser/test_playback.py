"""Playback control: rewind a finished run with the scrubber, replay it, step while paused."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_live_faults import SCENARIO, open_saved

pytestmark = pytest.mark.browser


def _seek(page: Page, t: float) -> None:
    page.get_by_test_id("scrubber").evaluate(
        """(el, t) => {
            const set = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
            set.call(el, String(t));
            el.dispatchEvent(new Event('input', { bubbles: true }));
        }""",
        t,
    )


def test_rewind_replay_and_step(
    live_stack, page: Page, page_errors: list[str], artifacts: Path
) -> None:
    short = {**SCENARIO, "settings": {**SCENARIO["settings"], "duration_s": 4}}
    open_saved(page, live_stack.base_url, short)
    page.get_by_test_id("speed").select_option("5")
    page.get_by_test_id("run-button").click()
    expect(page.get_by_test_id("run-status")).to_have_text("Finished", timeout=30_000)
    assert page.evaluate("window.__topolab.playhead") >= 3.9

    _seek(page, 1.0)  # rewind a finished run: everything received is kept
    held = page.evaluate("window.__topolab.playhead")
    assert abs(held - 1.0) < 0.05
    page.get_by_test_id("step-button").click()
    page.wait_for_timeout(200)
    stepped = page.evaluate("window.__topolab.playhead")
    assert 1.0 < stepped < 2.0, stepped
    page.wait_for_timeout(300)
    assert page.evaluate("window.__topolab.playhead") == stepped  # paused after a step
    page.screenshot(path=str(artifacts / "studio-rewound.png"))

    page.get_by_test_id("pause-button").click()  # resume: replays the rest with tokens
    page.wait_for_function("window.__topolab.tokensDrawn > 0", timeout=10_000)
    expect(page.get_by_test_id("run-status")).to_have_text("Finished", timeout=20_000)
    assert page_errors == []
