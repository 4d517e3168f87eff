"""Sharing flows: a view-only link that runs and forks, the edit token in the URL fragment,
moment links, the embed player inside another origin's iframe, and /me after signing in."""

from __future__ import annotations

import contextlib
import copy
import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from scripts.stack import manage
from tests.browser.sharing import SHORT, create, finished_run, open_moment
from tests.browser.studio import select_node

pytestmark = pytest.mark.browser


def test_view_only_link_runs_and_forks(
    live_stack, page: Page, page_errors: list[str], artifacts: Path
) -> None:
    base = live_stack.base_url
    shared = create(page.request, base)
    page.goto(f"{base}{shared['share_url']}")
    expect(page.get_by_test_id("read-only-banner")).to_be_visible()
    expect(page.get_by_test_id("palette-item-service")).to_be_disabled()
    before = page.evaluate("window.__topolab.scene().nodes[1]")
    page.get_by_test_id("node-api-1").drag_to(
        page.get_by_test_id("canvas"), target_position={"x": 700, "y": 500}
    )
    assert page.evaluate("window.__topolab.scene().nodes[1]") == before  # no drags
    select_node(page, "api-1")
    expect(page.get_by_test_id("param-workers")).to_be_disabled()
    page.screenshot(path=str(artifacts / "sharing-view-only.png"))

    page.get_by_test_id("speed").select_option("25")
    page.get_by_test_id("run-button").click()  # anyone may run it: no copy is made
    expect(page.get_by_test_id("run-status")).to_have_text("Finished", timeout=30_000)
    assert page.url.endswith(shared["share_url"])
    runs = page.request.get(f"{base}/api/runs?scenario={shared['id']}").json()["runs"]
    assert len(runs) == 1

    page.get_by_test_id("fork-button").click()
    page.wait_for_url(lambda url: "/s/" in url and shared["share_url"] not in url)
    assert "#" not in page.url  # the token left the address bar
    assert "edit" not in page.url
    expect(page.get_by_test_id("node-api-1")).to_be_visible()
    expect(page.get_by_test_id("read-only-banner")).to_have_count(0)
    select_node(page, "api-1")
    page.get_by_test_id("param-workers").fill("6")
    expect(page.get_by_test_id("save-status")).to_have_text("All changes saved", timeout=10_000)
    slug = page.url.rsplit("/", 1)[-1]
    assert slug != shared["slug"]
    original = page.request.get(f"{base}/api/scenarios/{shared['id']}").json()
    assert original["scenario"]["nodes"][1]["params"]["workers"] == 2  # untouched
    assert page_errors == []


def test_edit_token_in_the_fragment_grants_editing(
    live_stack, browser: Browser, page_errors: list[str]
) -> None:
    base = live_stack.base_url
    context = browser.new_context(viewport={"width": 1280, "height": 800}, bypass_csp=True)
    page = context.new_page()
    try:
        shared = create(page.request, base)
        seen: list[str] = []
        page.on("request", lambda r: seen.append(r.url))
        page.goto(f"{base}{shared['share_url']}#edit={shared['edit_token']}")
        expect(page.get_by_test_id("node-api-1")).to_be_visible()
        expect(page.get_by_test_id("read-only-banner")).to_have_count(0)
        assert page.url == f"{base}{shared['share_url']}"
        assert all(shared["edit_token"] not in url for url in seen)  # never in a URL sent
        stored = page.evaluate(f"localStorage.getItem('topolab:edit-token:{shared['id']}')")
        assert stored == shared["edit_token"]
        select_node(page, "api-1")
        page.get_by_test_id("param-workers").fill("3")
        expect(page.get_by_test_id("save-status")).to_have_text("All changes saved")
        assert page.url.endswith(shared["share_url"])  # saved in place, not as a copy
        after = page.request.get(f"{base}/api/scenarios/{shared['id']}").json()
        assert after["scenario"]["nodes"][1]["params"]["workers"] == 3
    finally:
        context.close()


def test_moment_link_opens_the_replay_paused_at_t(
    live_stack, page: Page, page_errors: list[str], artifacts: Path
) -> None:
    base = live_stack.base_url
    shared, run = open_moment(page, base, 12.5)
    page.wait_for_function("Math.abs(window.__topolab.playhead - 12.5) < 0.01")
    page.wait_for_timeout(500)
    assert abs(page.evaluate("window.__topolab.playhead") - 12.5) < 0.01  # paused there
    expect(page.get_by_test_id("run-status")).to_have_text("Paused")
    expect(page.get_by_test_id("playhead")).to_contain_text("12.5")
    assert float(page.get_by_test_id("metric-throughput").inner_text()) > 0
    page.screenshot(path=str(artifacts / "sharing-moment.png"))

    page.get_by_test_id("moment-button").click()
    expect(page.get_by_test_id("moment-link")).to_have_value(f"{base}/r/{run['id']}?t=12.5")

    page.get_by_test_id("pause-button").click()  # Resume plays on from the moment
    page.wait_for_function("window.__topolab.playhead > 13", timeout=10_000)

    page.goto(f"{base}/r/{run['id']}?t=999")
    expect(page.get_by_test_id("moment-message")).to_contain_text("beyond the end of this run")
    page.wait_for_function("Math.abs(window.__topolab.playhead - 20) < 0.01")
    page.goto(f"{base}/r/{run['id']}?t=NaN")
    expect(page.get_by_test_id("moment-message")).to_contain_text("not a finite number")
    resp = page.goto(f"{base}/r/00000000-0000-4000-8000-000000000000")
    assert resp is not None
    assert resp.status == 404

    # The owner edits the scenario after the run; Fork on the moment copies what ran.
    edited = copy.deepcopy(SHORT)
    edited["nodes"][1]["params"]["workers"] = 9
    put = page.request.put(
        f"{base}/api/scenarios/{shared['id']}",
        data=edited,
        headers={"X-Edit-Token": shared["edit_token"], "X-CSRFToken": _csrf(page)},
    )
    assert put.ok, put.text()
    page.goto(f"{base}/r/{run['id']}?t=3")
    page.get_by_test_id("fork-button").click()
    page.wait_for_url(lambda url: "/s/" in url and shared["share_url"] not in url)
    expect(page.get_by_test_id("read-only-banner")).to_have_count(0)
    assert page.evaluate("window.__topolab.scene().nodes[1].params.workers") == 2
    assert page_errors == []


def _csrf(page: Page) -> str:
    return next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")


@contextlib.contextmanager
def course_page(html: str) -> Iterator[str]:
    """Serves ``html`` from a second loopback port: another origin, as a course site would be
    (Chromium's local-network checks forbid a public page from framing a loopback one)."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = html.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/week3.html"
    finally:
        server.shutdown()
        server.server_close()


def test_embed_plays_inside_another_origins_iframe(
    live_stack, page: Page, page_errors: list[str], artifacts: Path
) -> None:
    base = live_stack.base_url
    shared = create(page.request, base)
    html = (
        "<!doctype html><title>Course</title><h1>Week 3: load balancing</h1>"
        f'<iframe id="player" src="{base}/embed/{shared["slug"]}" width="720" height="420">'
        "</iframe>"
        f'<iframe id="studio" src="{base}{shared["share_url"]}" width="300" height="200"></iframe>'
    )
    with course_page(html) as url:
        assert not url.startswith(base)
        page.goto(url)
        _play_embedded(page, artifacts)
    assert page_errors == []


def _play_embedded(page: Page, artifacts: Path) -> None:
    player = page.frame_locator("#player")
    expect(player.get_by_test_id("embed-player")).to_be_visible(timeout=15_000)
    expect(player.get_by_test_id("node-api-1")).to_be_visible()
    expect(player.get_by_test_id("palette-item-service")).to_have_count(0)
    player.get_by_test_id("speed").select_option("10")
    player.get_by_test_id("run-button").click()
    frame = page.frame(url=re.compile(r"/embed/"))
    assert frame is not None
    frame.wait_for_function("window.__topolab.tokensDrawnTotal > 0", timeout=30_000)
    expect(player.get_by_test_id("pause-button")).to_be_enabled()
    page.screenshot(path=str(artifacts / "sharing-embed-iframe.png"))
    # The studio page itself refuses to be framed (X-Frame-Options: DENY): no studio inside.
    expect(page.frame_locator("#studio").get_by_test_id("canvas")).to_have_count(0)
    studio = page.frame(url=re.compile(r"/s/"))
    assert studio is None or studio.locator("[data-testid=canvas]").count() == 0


def test_me_lists_scenarios_after_sign_in(live_stack, page: Page, artifacts: Path) -> None:
    base = live_stack.base_url
    env = {**live_stack.env, "DJANGO_SUPERUSER_PASSWORD": "a long passphrase 42"}
    manage(["createsuperuser", "--noinput", "--username", "grace", "--email", "g@x.test"], env)
    page.goto(f"{base}/me")
    expect(page.get_by_test_id("me-signin-prompt")).to_be_visible()
    page.get_by_role("link", name="Sign in").first.click()
    page.get_by_test_id("login-username").fill("grace")
    page.get_by_test_id("login-password").fill("a long passphrase 42")
    page.get_by_test_id("login-submit").click()
    page.wait_for_url(f"{base}/me")
    # A scenario saved by the signed-in browser belongs to the user.
    page.goto(base)
    saved = page.evaluate(
        """async (s) => {
            const csrf = document.cookie.match(/csrftoken=([^;]+)/)[1];
            const r = await fetch('/api/scenarios', {method: 'POST', body: JSON.stringify(s),
              headers: {'Content-Type': 'application/json', 'X-CSRFToken': csrf}});
            return r.json();
        }""",
        {**SHORT, "name": "Grace's tier"},
    )
    csrf = _csrf(page)
    run = finished_run(page.request, base, saved["id"], csrf=csrf)
    page.goto(f"{base}/me")
    expect(page.get_by_test_id(f"my-scenario-{saved['id']}")).to_contain_text("Grace's tier")
    expect(page.get_by_test_id(f"my-run-{run['id']}")).to_contain_text("done")
    page.screenshot(path=str(artifacts / "sharing-me.png"))
    page.get_by_test_id(f"my-run-{run['id']}").get_by_role("link", name="Grace's tier").click()
    expect(page.get_by_test_id("replay-banner")).to_be_visible()
    page.goto(f"{base}/me")
    page.get_by_test_id("logout-button").click()
    page.goto(f"{base}/me")
    expect(page.get_by_test_id("me-signin-prompt")).to_be_visible()
