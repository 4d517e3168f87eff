"""The pattern gallery and Mermaid import/export from the studio."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.studio import open_studio

pytestmark = pytest.mark.browser


def test_gallery_card_opens_an_editable_template_with_its_explanation(
    live_stack, page: Page, page_errors: list[str], artifacts: Path
) -> None:
    open_studio(page, live_stack.base_url)
    page.get_by_test_id("gallery-button").click()
    card = page.get_by_test_id("template-client-server")
    expect(card).to_be_visible()
    expect(card.locator("svg rect")).to_have_count(2)  # the thumbnail draws both nodes
    expect(page.get_by_test_id("template-three-services-chain")).to_be_visible()
    page.screenshot(path=str(artifacts / "studio-gallery.png"))
    card.click()
    expect(page.get_by_test_id("gallery")).to_have_count(0)
    expect(page.get_by_test_id("node-client")).to_be_visible()
    expect(page.get_by_test_id("node-server")).to_be_visible()
    expect(page.get_by_test_id("explain-panel")).to_contain_text("M/M/1")
    # editable: the template is now ours
    page.get_by_test_id("node-server").click()
    page.get_by_test_id("param-workers").fill("3")
    scene = page.evaluate("window.__topolab.scene()")
    assert scene["nodes"][1]["params"]["workers"] == 3
    page.screenshot(path=str(artifacts / "studio-template.png"))
    assert page_errors == []


def test_import_mermaid_then_export_svg_and_mermaid(
    live_stack, page: Page, page_errors: list[str], artifacts: Path
) -> None:
    open_studio(page, live_stack.base_url)
    page.get_by_test_id("import-button").click()
    page.get_by_test_id("mermaid-text").fill(
        "flowchart LR\n  U([Browser]) --> A[Orders service] --> W[Thing]\n"
    )
    page.get_by_test_id("mermaid-import").click()
    expect(page.get_by_test_id("node-U")).to_be_visible()
    expect(page.get_by_test_id("node-A")).to_contain_text("Orders service")
    expect(page.get_by_test_id("explain-panel")).to_contain_text("Thing")  # flagged
    scene = page.evaluate("window.__topolab.scene()")
    assert [n["kind"] for n in scene["nodes"]] == ["client", "service", "service"]
    assert len(scene["edges"]) == 2
    page.screenshot(path=str(artifacts / "studio-imported.png"))

    with page.expect_download() as svg:
        page.get_by_test_id("export-menu").select_option("svg")
    text = Path(svg.value.path()).read_text()
    assert "<svg" in text
    assert "Orders service" in text
    with page.expect_download() as mmd:
        page.get_by_test_id("export-menu").select_option("mermaid")
    assert Path(mmd.value.path()).read_text().startswith("flowchart LR")
    with page.expect_download() as png:
        page.get_by_test_id("export-menu").select_option("png")
    assert Path(png.value.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    page.get_by_test_id("import-button").click()
    page.get_by_test_id("mermaid-text").fill("pie\n")
    page.get_by_test_id("mermaid-import").click()
    expect(page.get_by_test_id("import-error")).to_contain_text("expected 'graph' or 'flowchart'")
    assert page_errors == []
