"""Hostile labels: shown as text in the viewer, a run, SVG/PNG exports, HTML report and PDF.

Every payload tries to set ``window.__xss``; Chromium must never see it set, the payload must
appear literally, and the page's Content-Security-Policy must report no violation (the studio has
no inline script at all, so a violation would mean injected markup tried to run).
"""

from __future__ import annotations

import http.server
import io
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pypdfium2
import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

IMG = "<img src=x onerror=window.__xss=1>"
SCRIPT = "</script><script>window.__xss=2</script>"
SVG = '"><svg onload=window.__xss=3>'
CSP_WATCH = """
window.__violations = [];
document.addEventListener('securitypolicyviolation',
  (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
"""


def hostile_scenario(fetch_url: str) -> dict[str, Any]:
    pixel = f'<img src="{fetch_url}"/>'
    return {
        "format": "topolab/1",
        "name": f"{SVG} {pixel}",
        "nodes": [
            {"id": "users", "kind": "client", "label": IMG, "x": 60, "y": 200,
             "params": {"rate_rps": 40, "arrival": "poisson"}},
            {"id": "api", "kind": "service", "label": SCRIPT, "x": 360, "y": 200,
             "params": {"workers": 1, "service_time_ms": 10}},
            {"id": "db", "kind": "database", "label": pixel, "x": 660, "y": 200, "params": {}},
        ],
        "edges": [
            {"id": "e1", "source": "users", "target": "api", "params": {"latency_ms": 2}},
            {"id": "e2", "source": "api", "target": "db", "params": {"latency_ms": 1}},
        ],
        "settings": {"duration_s": 3, "warmup_s": 0, "seed": 5},
    }  # fmt: skip


class _Hits(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []  # noqa: RUF012 (one server per test module)

    def do_GET(self) -> None:
        _Hits.hits.append(self.path)
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def tripwire() -> Iterator[str]:
    """A loopback URL that counts fetches: no renderer may ever request it."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Hits)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/pixel.png"
    server.shutdown()


def _clean(page: Page) -> None:
    assert page.evaluate("window.__xss") is None
    assert page.evaluate("window.__violations || []") == []


def _finished_run(base: str, scenario_id: str) -> str:
    with httpx.Client(base_url=base, timeout=10) as client:
        run_id = client.post(f"/api/scenarios/{scenario_id}/runs").json()["run_id"]
        for _ in range(300):
            status = client.get(f"/api/runs/{run_id}").json()["status"]
            if status in ("done", "failed", "cancelled"):
                break
            time.sleep(0.2)
        assert status == "done", status
    return run_id


def test_hostile_labels_stay_text_everywhere(
    live_stack, strict_page: Page, artifacts: Path, tripwire
):
    page = strict_page
    base = live_stack.base_url
    created = httpx.post(f"{base}/api/scenarios", json=hostile_scenario(tripwire), timeout=10)
    assert created.status_code == 201, created.text
    body = created.json()
    page.add_init_script(CSP_WATCH)

    # The viewer: someone else's share link.
    page.goto(f"{base}{body['share_url']}")
    for node_id, payload in (("users", IMG), ("api", SCRIPT)):
        expect(page.get_by_test_id(f"node-{node_id}")).to_contain_text(payload)
    assert page.locator("[data-testid=canvas] img").count() == 0
    expect(page.get_by_test_id("run-button")).to_be_enabled()

    # A run animates and summarises the same labels.
    page.get_by_test_id("run-button").click()
    expect(page.get_by_test_id("run-status")).to_have_text("Finished", timeout=60_000)
    _clean(page)

    # SVG and PNG exports of the canvas.
    with page.expect_download() as svg_download:
        page.get_by_test_id("export-menu").select_option("svg")
    svg = Path(svg_download.value.path()).read_text()
    root = ET.fromstring(svg)  # noqa: S314 (our own export, parsed to inspect it)
    for element in root.iter():
        assert not element.tag.endswith(("script", "foreignObject", "img"))
        assert not [name for name in element.attrib if name.lower().startswith("on")]
    assert IMG[:20] in "".join(root.itertext())  # long labels are cut with an ellipsis
    page.set_content(svg)  # the exported SVG as a live document: nothing in it may run
    _clean(page)
    page.goto(f"{base}{body['share_url']}")
    expect(page.get_by_test_id("node-users")).to_be_visible()
    with page.expect_download() as png_download:
        page.get_by_test_id("export-menu").select_option("png")
    assert Path(png_download.value.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    _clean(page)
    page.screenshot(path=str(artifacts / "xss-viewer.png"))

    # The HTML report, opened in the browser from the server.
    run_id = _finished_run(base, body["id"])
    page.goto(f"{base}/api/runs/{run_id}/report?format=html")
    expect(page.locator("body")).to_contain_text(IMG)
    assert page.evaluate("window.__xss") is None

    # The PDF: the payloads are text, and the renderer fetched nothing.
    pdf = httpx.get(f"{base}/api/runs/{run_id}/report?format=pdf", timeout=30).content
    doc = pypdfium2.PdfDocument(io.BytesIO(pdf))
    text = "".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    assert "onerror" in text
    assert _Hits.hits == []


@pytest.mark.parametrize(
    "path", ["/", "{share}", "/embed/{slug}", "/join", "/me", "/accounts/login/", "/api/docs"]
)
def test_every_page_runs_under_the_site_csp(live_stack, strict_page: Page, path: str):
    base = live_stack.base_url
    created = httpx.post(f"{base}/api/scenarios", json=hostile_scenario("x"), timeout=10).json()
    errors: list[str] = []
    strict_page.on("pageerror", lambda exc: errors.append(str(exc)))
    strict_page.add_init_script(CSP_WATCH)
    strict_page.goto(base + path.format(share=created["share_url"], slug=created["slug"]))
    strict_page.wait_for_load_state("networkidle")
    if "{" in path:
        expect(strict_page.get_by_test_id("node-users")).to_contain_text(IMG)
    if path == "/api/docs":
        expect(strict_page.locator(".swagger-ui .info")).to_be_visible()
    _clean(strict_page)
    assert errors == []
