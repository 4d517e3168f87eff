"""Reports from the studio: the Report menu's files, WebM and GIF animation export, comparing
two runs and a parameter sweep with its confidence-interval chart."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.sharing import create, finished_run, open_moment

pytestmark = pytest.mark.browser

EBML = bytes.fromhex("1A45DFA3")


def gif_frames(data: bytes) -> int:
    """Images in a GIF: each of ours is a graphic control extension then an image descriptor."""
    return len(re.findall(rb"\x21\xf9\x04.{4}\x00\x2c", data, flags=re.DOTALL))


def video_seconds(page: Page, webm: bytes) -> float:
    """How long Chromium says the video plays (MediaRecorder files carry no duration: seek to
    the end to make the browser find it)."""
    return page.evaluate(
        """async (bytes) => {
            const v = document.createElement('video');
            v.muted = true;
            v.src = URL.createObjectURL(new Blob([new Uint8Array(bytes)], {type: 'video/webm'}));
            await new Promise((ok, fail) => {
                v.onloadedmetadata = ok;
                v.onerror = () => fail(new Error('the WebM does not decode'));
            });
            if (!Number.isFinite(v.duration)) {
                v.currentTime = 1e9;
                await new Promise((ok) => { v.ondurationchange = ok; });
            }
            return v.duration;
        }""",
        list(webm),
    )


def _download(page: Page, test_id: str, timeout: float) -> bytes:
    with page.expect_download(timeout=timeout) as info:
        page.get_by_test_id(test_id).click()
    path = info.value.path()
    return Path(path).read_bytes()


def test_report_menu_and_animation_export(
    live_stack, page: Page, page_errors: list[str], artifacts: Path
) -> None:
    base = live_stack.base_url
    _, run = open_moment(page, base, 2)

    page.get_by_test_id("report-menu").locator("summary").click()
    page.screenshot(path=str(artifacts / "reports-menu.png"))
    expected = {
        "html": "text/html",
        "pdf": "application/pdf",
        "csv": "text/csv",
        "json": "application/json",
        "replay": "text/html",
    }
    for fmt, ctype in expected.items():
        href = page.get_by_test_id(f"report-{fmt}").get_attribute("href")
        assert href is not None
        assert run["id"] in href
        resp = page.request.get(f"{base}{href}")
        assert resp.status == 200, (fmt, resp.text()[:200])
        assert resp.headers["content-type"].startswith(ctype), fmt

    page.get_by_test_id("report-animation").click()
    dialog = page.get_by_test_id("animation-dialog")
    expect(dialog).to_be_visible()
    page.get_by_test_id("anim-t1").fill("25")
    expect(page.get_by_test_id("anim-problem")).to_contain_text("the run ends at 20.0 s")
    expect(page.get_by_test_id("anim-webm")).to_be_disabled()
    page.get_by_test_id("anim-t0").fill("2")
    page.get_by_test_id("anim-t1").fill("7")
    page.get_by_test_id("anim-fps").fill("12")

    webm = _download(page, "anim-webm", timeout=60_000)
    assert webm[:4] == EBML
    assert len(webm) > 2000
    webm_status = page.get_by_test_id("anim-status").inner_text()
    seconds = video_seconds(page, webm)
    assert 4.0 < seconds < 6.5, seconds  # a 5 s segment at 1x plays for about 5 s
    expect(page.get_by_test_id("anim-gif")).to_be_enabled()
    gif = _download(page, "anim-gif", timeout=60_000)
    assert gif[:6] == b"GIF89a"
    assert gif_frames(gif) == 60  # 5 simulated s at 1x and 12 frames/s
    gif_status = page.get_by_test_id("anim-status").inner_text()
    (artifacts / "reports-animation.gif").write_bytes(gif)
    (artifacts / "reports-animation.webm").write_bytes(webm)
    print(f"\nWebM {len(webm)} bytes, plays {seconds:.2f} s: {webm_status}")
    print(f"GIF {len(gif)} bytes: {gif_status}")
    page.screenshot(path=str(artifacts / "reports-animation-dialog.png"))
    assert page_errors == []


def test_compare_two_runs_and_sweep_a_param(
    live_stack, page: Page, page_errors: list[str], artifacts: Path
) -> None:
    base = live_stack.base_url
    shared = create(page.request, base)
    first = finished_run(page.request, base, shared["id"], seed=1)
    second = finished_run(page.request, base, shared["id"], seed=2)
    page.goto(f"{base}/r/{second['id']}?t=20")
    expect(page.get_by_test_id("replay-banner")).to_contain_text("frames", timeout=15_000)

    page.get_by_test_id("report-menu").locator("summary").click()
    page.get_by_test_id("compare-button").click()
    table = page.get_by_test_id("compare-summary")
    expect(table).to_be_visible(timeout=10_000)
    expect(page.get_by_test_id("compare-a")).to_have_value(first["id"])
    expect(page.get_by_test_id("compare-b")).to_have_value(second["id"])
    row = table.locator("tr[data-metric='throughput_rps'] td")
    a_tp = first["result"]["summary"]["throughput_rps"]
    b_tp = second["result"]["summary"]["throughput_rps"]
    assert float(row.nth(0).inner_text()) == pytest.approx(a_tp, rel=0.01)
    assert float(row.nth(1).inner_text()) == pytest.approx(b_tp, rel=0.01)
    expect(page.get_by_test_id("compare-node-api-1")).to_be_visible()
    page.screenshot(path=str(artifacts / "reports-compare.png"))
    page.get_by_test_id("compare-dialog-close").click()

    page.get_by_test_id("report-menu").locator("summary").click()
    page.get_by_test_id("sweep-button").click()
    page.get_by_test_id("sweep-node").select_option("api-1")
    page.get_by_test_id("sweep-param").select_option("workers")
    page.get_by_test_id("sweep-values").fill("1,,2")
    expect(page.get_by_test_id("sweep-problem")).to_contain_text("value 2 is empty")
    page.get_by_test_id("sweep-values").fill("1, 2, 4")
    page.get_by_test_id("sweep-seeds").fill("2")
    page.get_by_test_id("sweep-metric").select_option("summary.latency_ms.mean")
    page.get_by_test_id("sweep-start").click()
    expect(page.get_by_test_id("sweep-status")).to_contain_text("Done: 6 of 6", timeout=60_000)
    points = page.get_by_test_id("sweep-point")
    expect(points).to_have_count(3)
    means = [float(points.nth(i).get_attribute("data-mean") or "nan") for i in range(3)]
    assert means[0] > means[1] > means[2] > 0, means  # more workers, less waiting
    page.screenshot(path=str(artifacts / "reports-sweep.png"))
    assert page_errors == []
