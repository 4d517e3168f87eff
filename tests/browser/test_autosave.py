"""Autosave: edits reach the server without pressing anything; a reload finds them; someone
else's scenario opens view only (tests/browser/test_sharing.py forks it)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.studio import drop_kind, open_studio, select_node
from tests.browser.test_live_faults import SCENARIO, open_saved

pytestmark = pytest.mark.browser


def test_edits_survive_a_reload(live_stack, page: Page, page_errors: list[str]) -> None:
    open_studio(page, live_stack.base_url)
    drop_kind(page, "client", 220, 240)
    drop_kind(page, "service", 600, 240)
    expect(page.get_by_test_id("save-status")).to_have_text("All changes saved", timeout=10_000)
    expect(page).to_have_url(re.compile(r"/s/[\w-]+"))
    select_node(page, "service-1")
    page.get_by_test_id("param-workers").fill("7")
    expect(page.get_by_test_id("save-status")).to_have_text("All changes saved", timeout=10_000)
    page.reload()
    expect(page.get_by_test_id("node-service-1")).to_contain_text("7 workers")
    expect(page.get_by_test_id("node-client-1")).to_be_visible()
    assert page_errors == []


def test_someone_elses_scenario_opens_view_only(
    live_stack, page: Page, page_errors: list[str]
) -> None:
    open_saved(page, live_stack.base_url, SCENARIO, edit=False)  # only the share link
    expect(page.get_by_test_id("read-only-banner")).to_be_visible()
    select_node(page, "api-1")
    expect(page.get_by_test_id("param-workers")).to_be_disabled()
    expect(page.get_by_test_id("palette-item-service")).to_be_disabled()
    assert page_errors == []
