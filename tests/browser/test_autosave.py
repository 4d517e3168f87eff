"""Autosave: edits reach the server without pressing anything; a reload finds them; someone
else's scenario is saved as one's own copy (the PUT is refused with 403)."""

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


def test_someone_elses_scenario_is_saved_as_a_copy(
    live_stack, page: Page, page_errors: list[str]
) -> None:
    open_saved(page, live_stack.base_url, SCENARIO)  # created by a cookie-less request
    original = page.url
    select_node(page, "api-1")
    page.get_by_test_id("param-workers").fill("5")
    expect(page.get_by_test_id("save-status")).to_have_text("All changes saved", timeout=10_000)
    assert page.url != original
    theirs = page.request.get(f"{live_stack.base_url}/api/scenarios/{original.rsplit('/', 1)[-1]}")
    # the owner's scenario is untouched (looked up by slug or id, whichever the API takes)
    if theirs.status == 200:
        assert theirs.json()["scenario"]["nodes"][1]["params"]["workers"] == 2
    page.reload()
    expect(page.get_by_test_id("node-api-1")).to_contain_text("5 workers")
    assert page_errors == []
