"""Faults by click during a live run: crash a node, see it marked down and errors appear."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.studio import number_of, select_node

pytestmark = pytest.mark.browser

SCENARIO = {
    "format": "topolab/1",
    "name": "Crash me",
    "nodes": [
        {"id": "users", "kind": "client", "label": "Users", "x": 80, "y": 200,
         "params": {"rate_rps": 40, "arrival": "poisson"}},
        {"id": "api-1", "kind": "service", "label": "API", "x": 420, "y": 200,
         "params": {"workers": 2, "service_time_ms": 10}},
    ],
    "edges": [{"id": "e1", "source": "users", "target": "api-1", "params": {"latency_ms": 2}}],
    "settings": {"duration_s": 60, "warmup_s": 0, "seed": 3},
}  # fmt: skip


def open_saved(page: Page, base_url: str, scenario: dict, *, edit: bool = True) -> None:
    """Saves ``scenario`` with a cookie-less request and opens it; with ``edit`` as its author
    (the edit token in the URL fragment), else as anyone holding the share link (view only)."""
    created = page.request.post(f"{base_url}/api/scenarios", data=scenario)
    assert created.status == 201, created.text()
    body = created.json()
    page.goto(f"{base_url}{body['share_url']}" + (f"#edit={body['edit_token']}" if edit else ""))
    expect(page.get_by_test_id("node-api-1")).to_be_visible()


def test_crash_a_node_during_a_run(
    live_stack, page: Page, page_errors: list[str], artifacts: Path
) -> None:
    open_saved(page, live_stack.base_url, SCENARIO)
    page.get_by_test_id("run-button").click()
    page.wait_for_function("window.__topolab.playhead > 1.5", timeout=30_000)
    assert number_of(page, "metric-errors") == 0

    select_node(page, "api-1")
    page.get_by_test_id("fault-crash").click()
    expect(page.get_by_test_id("fault-status")).to_contain_text("crash api-1")
    crashed_at = page.evaluate("window.__topolab.playhead")

    # Paced: the worker is only a few seconds ahead, so the crash lands soon after the click.
    expect(page.get_by_test_id("node-api-1")).to_contain_text("down", timeout=20_000)
    page.wait_for_function(
        "Number(document.querySelector('[data-testid=metric-errors]').textContent) > 0",
        timeout=20_000,
    )
    down_at = page.evaluate("window.__topolab.playhead")
    assert down_at - crashed_at < 8, (crashed_at, down_at)
    expect(page.get_by_test_id("fault-restart")).to_be_visible()
    page.screenshot(path=str(artifacts / "studio-live-crash.png"))

    page.get_by_test_id("fault-restart").click()
    expect(page.get_by_test_id("node-api-1")).not_to_contain_text("down", timeout=20_000)
    assert page_errors == []
