"""The tour editor: open the Raft template (it carries a tour), add a step that highlights the
selected nodes and asks a question, reload (autosave) and find it; preview the tour alone and
see the highlight, the run_to action on one's own run and the revealed answer."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.browser.studio import open_studio, select_node

pytestmark = pytest.mark.browser

OUTLINE_JS = """(id) => {
  const el = document.querySelector(`.react-flow__node[data-id="${id}"]`);
  return el ? getComputedStyle(el).outlineStyle : null;
}"""


def _open_raft(page: Page, base_url: str) -> None:
    open_studio(page, base_url)
    page.get_by_test_id("gallery-button").click()
    page.get_by_test_id("template-raft-leader-crash").click()
    expect(page.get_by_test_id("node-s3")).to_be_visible()
    expect(page.get_by_test_id("tour-button")).to_have_text("Tour (6)")


def _add_step(page: Page) -> None:
    select_node(page, "s3")
    page.get_by_test_id("tour-button").click()
    editor = page.get_by_test_id("tour-editor")
    expect(editor.get_by_test_id("tour-step-count")).to_have_text("6 steps")
    editor.get_by_test_id("tour-step-5").get_by_role("button").first.click()
    editor.get_by_test_id("tour-add-step").click()  # after step 6, highlighting the selection
    expect(editor.get_by_test_id("tour-step-count")).to_have_text("7 steps")
    expect(editor.get_by_test_id("tour-chip-s3")).to_be_visible()
    editor.get_by_test_id("tour-step-text").fill("Server 3 and server 4: who leads now?")
    select_node(page, "s4")
    editor.get_by_test_id("tour-use-selection").click()
    expect(editor.get_by_test_id("tour-chip-s4")).to_be_visible()
    editor.get_by_test_id("tour-action").select_option("run_to")
    editor.get_by_test_id("tour-run-to").fill("3")
    editor.get_by_test_id("tour-question-toggle").check()
    editor.get_by_test_id("tour-question-prompt").fill("How many servers must store a command?")
    editor.get_by_test_id("tour-choice-0").fill("2 of 5")
    editor.get_by_test_id("tour-choice-1").fill("3 of 5")
    editor.get_by_test_id("tour-add-choice").click()
    editor.get_by_test_id("tour-choice-2").fill("all 5")
    editor.get_by_test_id("tour-choice-correct-1").check()


def test_add_a_step_reload_and_preview(
    live_stack, page: Page, page_errors: list[str], artifacts: Path
) -> None:
    base = live_stack.base_url
    _open_raft(page, base)
    _add_step(page)
    expect(page.get_by_test_id("save-status")).to_have_text("All changes saved", timeout=10_000)
    expect(page).to_have_url(re.compile(r"/s/[\w-]+"))
    page.screenshot(path=str(artifacts / "tour-editor.png"))

    page.reload()
    expect(page.get_by_test_id("tour-button")).to_have_text("Tour (7)")
    page.get_by_test_id("tour-button").click()
    editor = page.get_by_test_id("tour-editor")
    editor.get_by_test_id("tour-step-6").get_by_role("button").first.click()
    expect(editor.get_by_test_id("tour-step-text")).to_have_value(
        "Server 3 and server 4: who leads now?"
    )
    expect(editor.get_by_test_id("tour-chip-s3")).to_be_visible()
    expect(editor.get_by_test_id("tour-chip-s4")).to_be_visible()
    expect(editor.get_by_test_id("tour-run-to")).to_have_value("3")
    expect(editor.get_by_test_id("tour-choice-correct-1")).to_be_checked()
    saved = page.evaluate("window.__topolab.scene().tour[6]")
    assert saved == {
        "text": "Server 3 and server 4: who leads now?",
        "highlight": ["s3", "s4"],
        "action": {"run_to": 3},
        "question": {
            "prompt": "How many servers must store a command?",
            "choices": ["2 of 5", "3 of 5", "all 5"],
            "answer": 1,
        },
    }

    editor.get_by_test_id("tour-preview-button").click()
    preview = page.get_by_test_id("tour-preview")
    expect(preview.get_by_test_id("tour-preview-step")).to_have_text("Preview · step 7 of 7")
    expect(page.get_by_test_id("tour-editor")).to_have_count(0)
    expect(page.get_by_test_id("tour-preview-highlight")).to_have_count(1)
    assert page.evaluate(OUTLINE_JS, "s3") == "solid"
    assert page.evaluate(OUTLINE_JS, "s4") == "solid"
    assert page.evaluate(OUTLINE_JS, "s1") == "none"
    # run_to 3: the author's own run starts and pauses at 3 s
    page.wait_for_function(
        "window.__topolab.playhead >= 2.99 && window.__topolab.phase !== 'idle'", timeout=30_000
    )
    page.wait_for_timeout(600)
    assert 2.99 <= page.evaluate("window.__topolab.playhead") < 3.6
    preview.get_by_test_id("tour-preview-choice-0").click()
    preview.get_by_test_id("tour-preview-reveal").click()
    expect(preview.get_by_test_id("tour-preview-verdict")).to_have_text("The answer: 3 of 5.")
    expect(preview.get_by_test_id("tour-preview-choice-1")).to_have_text("3 of 5 ✓")
    page.screenshot(path=str(artifacts / "tour-preview.png"))

    preview.get_by_test_id("tour-preview-prev").click()
    expect(preview.get_by_test_id("tour-preview-step")).to_have_text("Preview · step 6 of 7")
    assert page.evaluate(OUTLINE_JS, "s1") == "solid"  # step 6 highlights all five servers
    preview.get_by_test_id("tour-preview-exit").click()
    expect(page.get_by_test_id("tour-preview-highlight")).to_have_count(0)
    expect(page.get_by_test_id("tour-editor")).to_be_visible()
    assert page_errors == []


def test_present_uses_the_scenarios_tour(
    live_stack, page: Page, page_errors: list[str], artifacts: Path
) -> None:
    _open_raft(page, live_stack.base_url)
    expect(page.get_by_test_id("save-status")).to_have_text("All changes saved", timeout=10_000)
    page.get_by_test_id("present-button").click()
    expect(page.get_by_test_id("present-own-tour")).to_contain_text("6 steps")
    page.screenshot(path=str(artifacts / "tour-present-dialog.png"))
    page.get_by_test_id("present-start").click()
    expect(page.get_by_test_id("tour-step")).to_have_text("6 steps")
    page.get_by_test_id("tour-next").click()
    expect(page.get_by_test_id("tour-step")).to_have_text("Step 1 of 6")
    expect(page.get_by_test_id("tour-text")).to_contain_text("Five Raft servers")
    assert page_errors == []


def test_tour_edits_are_undoable_scene_changes(
    live_stack, page: Page, page_errors: list[str], artifacts: Path
) -> None:
    open_studio(page, live_stack.base_url)
    page.get_by_test_id("gallery-button").click()
    page.get_by_test_id("template-client-server").click()  # a template without a tour
    expect(page.get_by_test_id("tour-button")).to_have_text("Tour")
    page.get_by_test_id("tour-button").click()
    editor = page.get_by_test_id("tour-editor")
    expect(editor).to_contain_text("No tour yet")
    expect(editor.get_by_test_id("tour-preview-button")).to_be_disabled()
    page.screenshot(path=str(artifacts / "tour-editor-empty.png"))
    editor.get_by_test_id("tour-add-step").click()
    editor.get_by_test_id("tour-add-step").click()
    expect(editor.get_by_test_id("tour-step-count")).to_have_text("2 steps")
    editor.get_by_test_id("tour-step-text").fill("Second")
    editor.get_by_test_id("tour-up-1").click()
    texts = page.evaluate("window.__topolab.scene().tour.map((s) => s.text)")
    assert texts[0] == "Second"
    page.get_by_test_id("undo-button").click()  # the move
    page.get_by_test_id("undo-button").click()  # the typing (one step)
    page.get_by_test_id("undo-button").click()  # the second add
    expect(editor.get_by_test_id("tour-step-count")).to_have_text("1 step")
    editor.get_by_test_id("tour-remove-0").click()
    expect(editor).to_contain_text("No tour yet")
    assert page.evaluate("window.__topolab.scene().tour") is None
    assert page_errors == []


def test_a_reader_can_step_through_the_tour_but_not_edit_it(live_stack, page: Page) -> None:
    """Someone else's share link: the Tour button previews; there is no editor to open."""
    raft = httpx.get(f"{live_stack.base_url}/api/templates/raft-leader-crash", timeout=10).json()
    created = httpx.post(f"{live_stack.base_url}/api/scenarios", json=raft, timeout=10).json()
    page.goto(f"{live_stack.base_url}{created['share_url']}")
    expect(page.get_by_test_id("read-only-banner")).to_be_visible()
    page.get_by_test_id("tour-button").click()
    preview = page.get_by_test_id("tour-preview")
    expect(preview.get_by_test_id("tour-preview-step")).to_contain_text("step 1 of")
    expect(page.get_by_test_id("tour-editor")).to_have_count(0)
    preview.get_by_test_id("tour-preview-exit").click()
    expect(preview).to_have_count(0)
    expect(page.get_by_test_id("tour-editor")).to_have_count(0)
