"""The offline replay file opened from disk in headless Chromium: it plays with no server."""

from __future__ import annotations

import os
import shutil

import pytest

from tests.conftest import ARTIFACTS
from tests.reports.conftest import finish_run, scenario_with

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def test_replay_plays_from_file_without_a_server(api, tmp_path):
    run = finish_run(scenario_with())
    html = api.get(f"/api/runs/{run.pk}/replay.html").content
    path = tmp_path / "replay.html"
    path.write_bytes(html)

    from playwright.sync_api import sync_playwright

    requests: list[str] = []
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1000, "height": 600})
            page.on("request", lambda r: requests.append(r.url))
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(path.as_uri())
            page.wait_for_function("window.__replay && window.__replay.frames > 0")
            assert page.evaluate("window.__replay.t") == 0
            page.select_option("#speed", "2")
            page.click("[data-testid=replay-play]")
            page.wait_for_function("window.__replay.t > 1.0 && window.__replay.tokens > 0")
            state = page.evaluate("({t: __replay.t, tokens: __replay.tokens, end: __replay.end})")
            assert 1.0 < state["t"] <= state["end"] == 5
            assert state["tokens"] > 0
            assert "rps" in page.inner_text("#tput")
            assert page.inner_text("#tput") != "0 rps"
            page.screenshot(path=str(ARTIFACTS / "replay.png"))
            # Pause holds the playhead; scrubbing moves it.
            page.click("[data-testid=replay-play]")
            held = page.evaluate("__replay.t")
            page.wait_for_timeout(300)
            assert page.evaluate("__replay.t") == held
            page.fill("#scrub", "500")
            page.dispatch_event("#scrub", "input")
            assert page.evaluate("__replay.t") == pytest.approx(2.5)
        finally:
            browser.close()
    assert errors == []
    assert all(url.startswith("file://") for url in requests), requests
