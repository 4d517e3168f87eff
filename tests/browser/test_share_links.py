"""The Share box: a view link, an edit link (token in the fragment), and replacing or stopping them.

A second browser (its own cookies) plays the co-author who gets the edit link and the reader who
gets the view link, so every check goes through the server's real permission logic.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.studio import connect, open_studio

pytestmark = pytest.mark.browser


def _other_browser(browser: Browser) -> BrowserContext:
    return browser.new_context(viewport={"width": 1280, "height": 800}, bypass_csp=True)


def _can_edit(context: BrowserContext, url: str) -> bool:
    page = context.new_page()  # a new page: a link differing only in its fragment must load
    page.goto(url)
    expect(page.get_by_test_id("canvas")).to_be_visible()
    page.wait_for_function("window.__topolab && window.__topolab.scene().nodes.length > 0")
    editable = page.get_by_test_id("read-only-banner").count() == 0
    return editable


def test_share_box_links_can_be_replaced_and_stopped(
    live_stack, page: Page, browser: Browser, artifacts: Path
) -> None:
    open_studio(page, live_stack.base_url)
    page.get_by_test_id("palette-item-client").click()
    page.get_by_test_id("palette-item-service").click()
    connect(page, "client-1", "service-1")
    page.get_by_test_id("share-button").click()
    view = page.get_by_test_id("share-link")
    expect(view).to_have_value(re.compile(r"/s/[A-Za-z0-9_-]+$"), timeout=10_000)
    edit = page.get_by_test_id("edit-link")
    expect(edit).to_have_value(re.compile(r"/s/[A-Za-z0-9_-]+#edit=[A-Za-z0-9_-]{43}$"))
    page.screenshot(path=str(artifacts / "share-box.png"))
    first_view, first_edit = view.input_value(), edit.input_value()

    other = _other_browser(browser)
    assert not _can_edit(other, first_view)  # the view link is read-only
    assert _can_edit(other, first_edit)  # the edit link edits
    assert all("#edit=" not in p.url for p in other.pages)  # the token leaves the address bar

    # A new edit link retires the old one (a fresh browser tries the old link).
    page.get_by_test_id("rotate-edit-link").click()
    expect(edit).not_to_have_value(first_edit)
    second_edit = edit.input_value()
    late = _other_browser(browser)
    assert not _can_edit(late, first_edit)
    assert _can_edit(late, second_edit)

    # Stop edit links: none works; the owner keeps editing through the session.
    page.get_by_test_id("revoke-edit-link").click()
    expect(edit).to_have_count(0)
    latest = _other_browser(browser)
    assert not _can_edit(latest, second_edit)

    # A new view link: the old one is gone (404), the page moves to the new address.
    page.get_by_test_id("rotate-view-link").click()
    expect(view).not_to_have_value(first_view)
    assert page.url.endswith(view.input_value().split(live_stack.base_url)[1])
    assert latest.new_page().goto(first_view).status == 404
    assert page.get_by_test_id("read-only-banner").count() == 0
