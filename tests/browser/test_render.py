"""Rendering under load: dense traffic turns into flows; chart series can be switched."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_live_faults import SCENARIO, open_saved

pytestmark = pytest.mark.browser


def test_dense_traffic_is_drawn_as_flows(
    live_stack, page: Page, page_errors: list[str], artifacts: Path
) -> None:
    open_saved(page, live_stack.base_url, SCENARIO)
    page.evaluate("window.__topolab.benchTokens(800)")
    page.wait_for_function("window.__topolab.tokensInFlight === 800", timeout=5_000)
    page.wait_for_timeout(500)
    # every token is accounted for by the one flow on the single link
    assert page.evaluate("window.__topolab.tokensDrawn") >= 790
    page.screenshot(path=str(artifacts / "studio-flows.png"))
    page.evaluate("window.__topolab.benchTokens(0)")

    page.get_by_test_id("chart-pick-latency").select_option("p95")
    expect(page.get_by_test_id("chart-latency")).to_contain_text("p95")
    page.get_by_test_id("chart-pick-rate").select_option("errors")
    expect(page.get_by_test_id("chart-throughput")).to_contain_text("Errors")
    assert page_errors == []
