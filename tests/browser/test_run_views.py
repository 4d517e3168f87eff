"""The run dock (issue #6): click a token to inspect it and its trace, the traces waterfall
with the playback cursor, the sequence diagram, and a partition of a box selection."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.studio import number_of

pytestmark = pytest.mark.browser

EDGE = {"latency_ms": 8}
SCENARIO = {
    "format": "topolab/1",
    "name": "Traced three tier",
    "nodes": [
        {"id": "users", "kind": "client", "label": "Users", "x": 60, "y": 200,
         "params": {"rate_rps": 30, "trace_sample": 0.5, "timeout_ms": 300}},
        {"id": "api", "kind": "service", "label": "API", "x": 420, "y": 120,
         "params": {"workers": 4, "service_time_ms": 5}},
        {"id": "db", "kind": "service", "label": "DB", "x": 780, "y": 200,
         "params": {"workers": 4, "service_time_ms": 3}},
    ],
    "edges": [
        {"id": "e1", "source": "users", "target": "api", "params": EDGE},
        {"id": "e2", "source": "api", "target": "db", "params": EDGE},
    ],
    "settings": {"duration_s": 60, "warmup_s": 0, "seed": 5},
}  # fmt: skip


ARROW_PIXEL = """c => {
    // A pixel of a request arrow (sky #56B4E9) with no other kind's arrow within 10 px: where
    // arrows meet at a lane (a response arriving as the next request leaves) the nearest arrow
    // to the click could be the other one (the panel's hit tolerance is 6 px).
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    const k = c.width / c.clientWidth;
    const at = (x, y) => 4 * (y * c.width + x);
    const sky = (i) => Math.abs(d[i] - 86) < 20 && Math.abs(d[i+1] - 180) < 20
        && Math.abs(d[i+2] - 233) < 20 && d[i+3] > 200;
    const other = (i) => {  // a saturated colour that is not sky blue, even half-blended
        const hi = Math.max(d[i], d[i+1], d[i+2]), lo = Math.min(d[i], d[i+1], d[i+2]);
        const skyish = d[i+2] >= d[i+1] && d[i+2] > d[i] + 60;
        return d[i+3] > 200 && hi - lo > 60 && !skyish;
    };
    const r = Math.round(10 * k);
    for (let y = Math.round(40 * k) + r; y < c.height - r; y += 2)
        for (let x = r; x < c.width - r; x += 2) {
            if (!sky(at(x, y))) continue;
            let clear = true;
            for (let v = -r; v <= r && clear; v++)
                for (let u = -r; u <= r; u++) if (other(at(x + u, y + v))) { clear = false; break; }
            if (clear) return [x / k, y / k];
        }
    return null;
}"""


def open_saved(page: Page, base_url: str) -> None:
    created = page.request.post(f"{base_url}/api/scenarios", data=SCENARIO)
    assert created.status == 201, created.text()
    body = created.json()
    # As its author (the edit token in the fragment): live faults need the edit right.
    page.goto(f"{base_url}{body['share_url']}#edit={body['edit_token']}")
    expect(page.get_by_test_id("node-db")).to_be_visible()


def traced_token(page: Page) -> dict | None:
    return page.evaluate(
        "window.__topolab.drawnTokens().find(t => t.trace !== null && t.src !== t.dst) ?? null"
    )


def _inside(item: Locator, box: Locator) -> bool:
    a, b = item.bounding_box(), box.bounding_box()
    assert a is not None
    assert b is not None
    return b["y"] - 1 <= a["y"] and a["y"] + a["height"] <= b["y"] + b["height"] + 1


def test_click_a_token_to_see_its_message_and_trace_then_browse_traces(
    live_stack, page: Page, page_errors: list[str], artifacts: Path
) -> None:
    open_saved(page, live_stack.base_url)
    expect(page.get_by_test_id("run-dock")).to_be_visible()
    page.get_by_test_id("run-button").click()
    # Half the requests are traced (10 per 10 s): wait for one in flight, then freeze it.
    page.wait_for_function(
        "window.__topolab.drawnTokens().some(t => t.trace !== null && t.src !== t.dst)",
        timeout=30_000,
    )
    page.get_by_test_id("pause-button").click()
    token = traced_token(page)
    assert token is not None
    layer = page.locator(".token-layer").bounding_box()
    assert layer is not None
    page.mouse.click(layer["x"] + token["x"], layer["y"] + token["y"])

    inspector = page.get_by_test_id("inspector")
    expect(inspector).to_be_visible()
    ids = ["users", "api", "db"]
    kind = page.get_by_test_id("inspector-kind").inner_text()
    assert kind in {"request", "response"}, kind
    route = f"{ids[token['src']]} → {ids[token['dst']]}"
    expect(page.get_by_test_id("inspector-route")).to_have_text(route)
    trace = page.get_by_test_id("inspector-trace")
    expect(trace).to_have_attribute("data-trace", str(token["trace"]))
    sent = float(page.get_by_test_id("inspector-sent").get_attribute("data-t") or "nan")
    arrived = float(page.get_by_test_id("inspector-arrived").get_attribute("data-t") or "nan")
    assert abs(arrived - sent - 0.008) < 1e-6  # the link's 8 ms
    assert 0 < sent <= page.evaluate("window.__topolab.playhead") + 1e-6
    # The request finishes within ~40 ms, so its trace arrives with the frames: the waterfall.
    page.get_by_test_id("pause-button").click()  # play on
    waterfall = inspector.get_by_test_id("waterfall")
    expect(waterfall).to_have_attribute("data-trace", str(token["trace"]), timeout=15_000)
    rows = waterfall.get_by_test_id("waterfall-row")
    expect(rows).to_have_count(3)
    assert rows.evaluate_all("rs => rs.map(r => [r.dataset.node, Number(r.dataset.depth)])") == [
        ["users", 0],
        ["api", 1],
        ["db", 2],
    ]
    page.screenshot(path=str(artifacts / "dock-inspector.png"))

    # Traces tab: the list fills as requests finish; double-click moves the cursor into one.
    page.get_by_test_id("pause-button").click()
    page.get_by_test_id("dock-tab-traces").click()
    items = page.locator("[data-testid^=trace-item-]")
    expect(items.first).to_be_visible()
    assert items.count() >= 5
    # Until one is picked, the tab shows the last request started by the playhead, in view.
    playhead = page.evaluate("window.__topolab.playhead")
    starts = items.evaluate_all(
        "bs => bs.map(b => [b.dataset.testid.slice('trace-item-'.length), parseFloat(b.innerText)])"
    )
    expected = [tid for tid, start in starts if start <= playhead + 1e-9][-1]
    shown = page.get_by_test_id("traces-panel").get_by_test_id("waterfall")
    expect(shown).to_have_attribute("data-trace", expected)
    listed = page.get_by_test_id("traces-list")
    assert _inside(page.get_by_test_id(f"trace-item-{expected}"), listed)
    third = items.nth(2)
    third.click()
    expect(third).to_have_attribute("aria-pressed", "true")
    third.dblclick()
    panel = page.get_by_test_id("traces-panel")
    cursor = panel.get_by_test_id("waterfall-cursor")  # a vertical line: zero width, so count
    expect(cursor).to_have_count(1)
    expect(panel.get_by_test_id("waterfall-cursor-state")).to_have_text("cursor inside")
    assert float(cursor.get_attribute("x1") or "nan") >= 150  # on the time axis, right of labels
    # stepping on past the request's end moves the cursor out of it
    page.get_by_test_id("step-button").click()
    expect(cursor).to_have_count(0)
    expect(panel.get_by_test_id("waterfall-cursor-state")).to_contain_text("ms after")
    page.screenshot(path=str(artifacts / "dock-traces.png"))
    assert page_errors == []


def test_sequence_diagram_follows_the_selection_and_partition_by_box(
    live_stack, page: Page, page_errors: list[str], artifacts: Path
) -> None:
    open_saved(page, live_stack.base_url)
    page.get_by_test_id("run-button").click()
    page.wait_for_function("window.__topolab.playhead > 1.5", timeout=30_000)
    page.get_by_test_id("dock-tab-sequence").click()
    seq = page.get_by_test_id("sequence-view")
    expect(seq).to_have_attribute("data-lanes", "users,api,db")  # few nodes: all of them
    page.get_by_test_id("sequence-window").select_option("1")
    page.wait_for_function(
        "Number(document.querySelector('[data-testid=sequence-view]').dataset.arrows) > 20",
        timeout=10_000,
    )
    page.screenshot(path=str(artifacts / "dock-sequence.png"))
    # Click an arrow (a request-blue pixel of the diagram): the inspector opens on that message.
    page.get_by_test_id("pause-button").click()
    spot = page.get_by_test_id("sequence-canvas").evaluate(ARROW_PIXEL)
    assert spot is not None
    canvas = page.get_by_test_id("sequence-canvas").bounding_box()
    assert canvas is not None
    page.mouse.click(canvas["x"] + spot[0], canvas["y"] + spot[1])
    expect(page.get_by_test_id("inspector-kind")).to_have_text("request")
    expect(page.get_by_test_id("inspector-route")).to_have_text(re.compile(r"^(users|api) → "))
    page.get_by_test_id("pause-button").click()  # play on
    page.get_by_test_id("dock-tab-sequence").click()

    # Box-select api and db, then partition them from the users.
    page.get_by_test_id("box-select-button").click()
    boxes = [page.get_by_test_id(f"node-{n}").bounding_box() for n in ("api", "db")]
    assert all(boxes)
    x0 = min(b["x"] for b in boxes) - 25
    y0 = min(b["y"] for b in boxes) - 25
    x1 = max(b["x"] + b["width"] for b in boxes) + 25
    y1 = max(b["y"] + b["height"] for b in boxes) + 25
    page.mouse.move(x0, y0)
    page.mouse.down()
    page.mouse.move((x0 + x1) / 2, (y0 + y1) / 2, steps=5)
    page.mouse.move(x1, y1, steps=5)
    page.mouse.up()
    expect(seq).to_have_attribute("data-lanes", "api,db")  # the sequence follows the selection
    partition = page.get_by_test_id("fault-partition")
    expect(partition).to_have_text("Partition 2 | 1")
    errors_before = number_of(page, "metric-errors")
    partition.click()
    expect(page.get_by_test_id("fault-status")).to_contain_text("partition 2 | 1")
    # users can no longer reach api: every request times out (300 ms) and fails
    page.wait_for_function(
        f"Number(document.querySelector('[data-testid=metric-errors]').textContent) > "
        f"{errors_before + 10}",
        timeout=20_000,
    )
    page.screenshot(path=str(artifacts / "dock-partition.png"))
    page.get_by_test_id("fault-heal").click()
    expect(page.get_by_test_id("fault-status")).to_contain_text("heal")
    expect(page.get_by_test_id("fault-heal")).to_have_count(0)
    healed_at = page.evaluate("window.__topolab.playhead")
    page.wait_for_function(f"window.__topolab.playhead > {healed_at + 4}", timeout=20_000)
    failed = number_of(page, "metric-errors")
    page.wait_for_function(f"window.__topolab.playhead > {healed_at + 7}", timeout=20_000)
    assert number_of(page, "metric-errors") == failed  # healed: no new failures
    assert page_errors == []
