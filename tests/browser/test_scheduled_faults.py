"""Scheduled faults placed before a run go into the scenario's `faults` and take effect."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.studio import select_nothing
from tests.browser.test_live_faults import SCENARIO, open_saved

pytestmark = pytest.mark.browser


def test_a_scheduled_crash_fails_requests(
    live_stack, page: Page, page_errors: list[str], artifacts: Path
) -> None:
    short = {**SCENARIO, "settings": {**SCENARIO["settings"], "duration_s": 4}}
    open_saved(page, live_stack.base_url, short)
    select_nothing(page)
    page.get_by_test_id("fault-add").click()
    page.get_by_test_id("fault-at-0").fill("1")
    expect(page.get_by_test_id("fault-target-0")).to_have_value("api-1")
    faults = page.evaluate("window.__topolab.scene().faults")
    assert faults == [{"at_s": 1, "action": "crash", "node": "api-1"}]
    expect(page.get_by_test_id("fault-track").locator("rect")).to_have_count(2)
    page.screenshot(path=str(artifacts / "studio-scheduled-fault.png"))

    page.get_by_test_id("speed").select_option("5")
    page.get_by_test_id("run-button").click()
    expect(page.get_by_test_id("run-status")).to_have_text("Finished", timeout=30_000)
    expect(page.get_by_test_id("node-api-1")).to_contain_text("down")
    assert float(page.get_by_test_id("metric-errors").inner_text()) > 0
    assert page_errors == []
