"""Drawing: copy/paste, duplicate, select all, delete, undo/redo, snap, fit, the `?` sheet."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.studio import connect, drop_kind, open_studio, select_node, select_nothing

pytestmark = pytest.mark.browser


def _ids(page: Page) -> tuple[list[str], list[str]]:
    scene = page.evaluate("window.__topolab.scene()")
    return [n["id"] for n in scene["nodes"]], [e["id"] for e in scene["edges"]]


def test_copy_paste_duplicate_delete_undo(
    live_stack, page: Page, page_errors: list[str], artifacts: Path
) -> None:
    open_studio(page, live_stack.base_url)
    drop_kind(page, "client", 200, 200)
    drop_kind(page, "service", 520, 200)
    connect(page, "client-1", "service-1")
    expect(page.get_by_test_id("edge-e1")).to_have_count(1)

    select_nothing(page)
    page.keyboard.press("Control+a")  # both nodes and the edge
    page.keyboard.press("Control+c")
    page.keyboard.press("Control+v")
    expect(page.get_by_test_id("node-client-2")).to_be_visible()
    assert _ids(page) == (["client-1", "service-1", "client-2", "service-2"], ["e1", "e2"])
    source = page.evaluate("window.__topolab.scene().edges[1]")
    assert (source["source"], source["target"]) == ("client-2", "service-2")

    page.keyboard.press("Control+z")  # the paste is one undo step
    assert _ids(page) == (["client-1", "service-1"], ["e1"])
    page.keyboard.press("Control+Shift+z")
    assert _ids(page)[0] == ["client-1", "service-1", "client-2", "service-2"]

    select_node(page, "service-1")
    page.keyboard.press("Control+d")
    expect(page.get_by_test_id("node-service-3")).to_be_visible()

    page.keyboard.press("Delete")  # the duplicate is selected: it goes
    expect(page.get_by_test_id("node-service-3")).to_have_count(0)

    page.keyboard.press("g")
    expect(page.get_by_test_id("snap-button")).to_have_attribute("aria-pressed", "true")
    page.keyboard.press("f")

    before = page.evaluate("window.__topolab.scene().nodes.map(n => [n.x, n.y])")
    page.keyboard.press("l")  # auto layout: sources in layer 0, their targets in layer 1
    nodes = page.evaluate("window.__topolab.scene().nodes")
    xs = {n["id"]: n["x"] for n in nodes}
    assert xs["client-1"] == xs["client-2"] == 0
    assert xs["service-1"] == xs["service-2"] == 260
    page.keyboard.press("Control+z")  # one undo step
    assert page.evaluate("window.__topolab.scene().nodes.map(n => [n.x, n.y])") == before

    page.keyboard.press("?")
    sheet = page.get_by_test_id("help-sheet")
    expect(sheet).to_be_visible()
    expect(sheet).to_contain_text("Duplicate")
    page.screenshot(path=str(artifacts / "studio-help.png"))
    page.keyboard.press("Escape")
    expect(sheet).to_have_count(0)
    page.screenshot(path=str(artifacts / "studio-editing.png"))
    assert page_errors == []
