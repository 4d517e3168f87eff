"""Browser fixtures: one headless Chromium per session, a fresh page per test.

The studio is served by the live stack (`live_stack` in tests/conftest.py) from the built
front end in static/app/ (`make build`, or `cd frontend && npm ci && npm run build`).
Chromium is the system one (`apt-get install chromium`): Playwright's own download is not used.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def built_frontend() -> Path:
    bundle = ROOT / "static" / "app" / "studio.js"
    if not bundle.exists():
        pytest.fail(
            "static/app/studio.js is missing: run `make build` (or npm run build in frontend/)"
        )
    return bundle


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    # Package scope, not session: Playwright's sync API keeps an event loop running in the main
    # thread while it is open, and later packages (tests/runs, tests/drills) call asyncio.run.
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: apt-get install chromium (or set CHROMIUM_PATH)"
        )
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def _close_leftover_contexts(request: pytest.FixtureRequest) -> Iterator[None]:
    """Close every context a test opened (extra viewers, presenters...) when it ends: a page
    left open keeps animating and takes CPU from every later test."""
    yield
    if "browser" in request.fixturenames:
        for context in list(request.getfixturevalue("browser").contexts):
            context.close()


@pytest.fixture
def page(browser: Browser, built_frontend: Path) -> Iterator[Page]:
    # Playwright's wait_for_function compiles its predicate with eval, which the site's CSP
    # (script-src 'self') refuses; most tests poll that way, so their pages bypass the CSP.
    # `strict_page` keeps it, for the tests that check what the CSP must hold.
    context = browser.new_context(viewport={"width": 1440, "height": 900}, bypass_csp=True)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def strict_page(browser: Browser, built_frontend: Path) -> Iterator[Page]:
    """A page under the site's real Content-Security-Policy (no wait_for_function here)."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def page_errors(page: Page) -> list[str]:
    """Uncaught exceptions of the page, for tests that assert it ran clean."""
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
