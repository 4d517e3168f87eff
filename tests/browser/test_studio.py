"""The studio end to end: draw a client and a service, run, watch tokens and metrics."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.studio import (
    connect,
    drop_kind,
    number_of,
    open_studio,
    select_node,
    select_nothing,
)

pytestmark = pytest.mark.browser


def test_draw_connect_run_and_watch(
    live_stack, page: Page, page_errors: list[str], artifacts: Path
) -> None:
    open_studio(page, live_stack.base_url)
    drop_kind(page, "client", 220, 240)
    drop_kind(page, "service", 620, 240)
    expect(page.get_by_test_id("node-client-1")).to_be_visible()
    expect(page.get_by_test_id("node-service-1")).to_be_visible()

    connect(page, "client-1", "service-1")
    expect(page.get_by_test_id("edge-e1")).to_have_count(1)

    select_node(page, "client-1")
    page.get_by_test_id("param-rate_rps").fill("60")
    select_node(page, "service-1")
    page.get_by_test_id("param-workers").fill("2")
    select_nothing(page)
    page.get_by_test_id("param-duration_s").fill("6")

    scene = page.evaluate("window.__topolab.scene()")
    assert [n["id"] for n in scene["nodes"]] == ["client-1", "service-1"]
    assert scene["nodes"][0]["params"]["rate_rps"] == 60
    assert scene["nodes"][1]["params"]["workers"] == 2
    assert scene["edges"] == [
        {"id": "e1", "source": "client-1", "target": "service-1", "params": {}}
    ]

    select_nothing(page)  # leave the field: shortcuts are ignored while typing
    page.keyboard.press("h")
    expect(page.get_by_test_id("hud-fps")).to_be_visible()
    page.get_by_test_id("run-button").click()

    # Tokens are drawn while the run plays (a 60 req/s client keeps dozens in flight).
    page.wait_for_function("window.__topolab.tokensDrawn > 0", timeout=30_000)
    page.wait_for_function(
        "Number(document.querySelector('[data-testid=hud-packets]').textContent) > 0",
        timeout=10_000,
    )
    # Metrics arrive as the playhead passes them.
    page.wait_for_function(
        "Number(document.querySelector('[data-testid=metric-throughput]').textContent) > 0",
        timeout=15_000,
    )
    page.wait_for_function(
        "Number(document.querySelector('[data-testid=metric-latency-p99]').textContent) > 0",
        timeout=15_000,
    )
    page.screenshot(path=str(artifacts / "studio-run.png"))
    assert number_of(page, "metric-throughput") > 0
    assert number_of(page, "metric-latency-p99") > 0

    # Pause holds the playhead; resume moves it on.
    page.get_by_test_id("pause-button").click()
    held = page.evaluate("window.__topolab.playhead")
    page.wait_for_timeout(400)
    assert page.evaluate("window.__topolab.playhead") == held
    page.get_by_test_id("pause-button").click()
    page.get_by_test_id("speed").select_option("5")

    summary = page.get_by_test_id("summary")
    expect(summary).to_be_visible(timeout=30_000)
    expect(summary).to_contain_text("Requests")
    expect(summary).to_contain_text("Latency p99")
    requests = int(
        summary.locator(".summary__row").first.locator("dd").inner_text().replace(",", "")
    )
    assert requests > 0
    page.screenshot(path=str(artifacts / "studio-done.png"))
    assert page_errors == []


def test_label_is_text_not_html(live_stack, page: Page) -> None:
    payload = "<img src=x onerror=window.__xss=1>"
    open_studio(page, live_stack.base_url)
    page.get_by_test_id("palette-item-client").click()
    node = page.get_by_test_id("node-client-1")
    expect(node).to_be_visible()
    select_node(page, "client-1")
    page.get_by_test_id("label-input").fill(payload)
    expect(node).to_contain_text(payload)
    assert node.locator("img").count() == 0
    page.wait_for_timeout(300)
    assert page.evaluate("window.__xss") is None


def test_server_validation_error_is_shown(live_stack, page: Page) -> None:
    """The server's 400 (warmup longer than the run) is shown next to the Run button."""
    open_studio(page, live_stack.base_url)
    page.get_by_test_id("palette-item-client").click()
    expect(page.get_by_test_id("node-client-1")).to_be_visible()
    select_nothing(page)
    page.get_by_test_id("param-duration_s").fill("5")
    page.get_by_test_id("param-warmup_s").fill("10")
    page.get_by_test_id("run-button").click()
    error = page.get_by_test_id("run-error")
    expect(error).to_be_visible(timeout=15_000)
    expect(error).to_contain_text("warmup_s")
    expect(page.get_by_test_id("run-status")).to_have_text("Failed")


def test_undo_redo_and_keyboard_add(live_stack, page: Page) -> None:
    open_studio(page, live_stack.base_url)
    page.get_by_test_id("palette-item-service").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("node-service-1")).to_be_visible()
    page.get_by_test_id("undo-button").click()
    expect(page.get_by_test_id("node-service-1")).to_have_count(0)
    page.get_by_test_id("redo-button").click()
    expect(page.get_by_test_id("node-service-1")).to_be_visible()


def test_share_export_and_reload(live_stack, page: Page, tmp_path: Path) -> None:
    """Share saves the scenario and shows its link; the link opens it again; export downloads it."""
    open_studio(page, live_stack.base_url)
    page.get_by_test_id("palette-item-client").click()
    page.get_by_test_id("palette-item-service").click()
    connect(page, "client-1", "service-1")
    select_node(page, "service-1")
    page.get_by_test_id("label-input").fill("API")

    page.get_by_test_id("share-button").click()
    link = page.get_by_test_id("share-link")
    expect(link).to_have_value(re.compile(r"/s/[A-Za-z0-9_-]+$"), timeout=10_000)
    url = link.input_value()
    assert url.startswith(live_stack.base_url)

    with page.expect_download() as info:
        page.get_by_test_id("export-button").click()
    saved = tmp_path / "scenario.json"
    info.value.save_as(saved)
    exported = json.loads(saved.read_text())
    assert exported["format"] == "topolab/1"
    assert [n["id"] for n in exported["nodes"]] == ["client-1", "service-1"]

    page.goto(url)
    expect(page.get_by_test_id("node-service-1")).to_contain_text("API")
    expect(page.get_by_test_id("edge-e1")).to_have_count(1)
