"""Browser benchmark of the studio: drawing fps, pan/zoom smoothness, time to the first token.

Starts its own stack like the test harness (scripts/stack.py: a Celery worker and Daphne on a
free port, a fresh SQLite database, Redis from REDIS_URL; wrap it in scripts/with_redis.py when
none runs) and drives Debian's Chromium headless through Playwright:

1. fps with 2 000 tokens in flight on a 200-node scenario (synthetic load through
   ``window.__topolab.benchTokens``: drawing cost alone, no network);
2. pan/zoom smoothness on a 2 000-node scenario (frame times while the mouse wheels and drags);
3. fps of a real run with the run dock closed, then open on the sequence diagram;
4. time from a click on Run to the first token drawn (a small client-server scenario, real run).

Usage: ``python scripts/with_redis.py .venv/bin/python bench/bench_browser.py [--seconds 5]``.
Headless Chromium renders in software: the figures are a floor for a desktop GPU browser.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import Page, sync_playwright

from scripts.stack import (
    Stack,
    free_port,
    manage,
    redis_url_with_db,
    start_daphne,
    start_worker,
)

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-background-networking", "--no-first-run", "--disable-sync"]

FRAME_TIMES_JS = """async (ms) => {
  const times = [];
  let last = performance.now();
  const end = last + ms;
  await new Promise((done) => {
    const tick = (now) => {
      times.push(now - last);
      last = now;
      now < end ? requestAnimationFrame(tick) : done();
    };
    requestAnimationFrame(tick);
  });
  return times;
}"""


def grid_scenario(n: int, cols: int, name: str) -> dict:
    """n services in a grid fed by clients in the first column; edges to the right neighbour."""
    nodes, edges = [], []
    for i in range(n):
        r, c = divmod(i, cols)
        kind = "client" if c == 0 else "service"
        params = {"rate_rps": 5} if kind == "client" else {"workers": 4, "service_time_ms": 5}
        nodes.append({"id": f"n{i}", "kind": kind, "x": c * 240, "y": r * 110, "params": params})
        if c + 1 < cols and i + 1 < n:
            edges.append({"id": f"e{i}", "source": f"n{i}", "target": f"n{i + 1}", "params": {}})
    return {"format": "topolab/1", "name": name, "nodes": nodes, "edges": edges,
            "settings": {"duration_s": 10, "warmup_s": 0, "seed": 1}}  # fmt: skip


def open_scenario(page: Page, base: str, scenario: dict) -> None:
    csrf = {c["name"]: c["value"] for c in page.context.cookies()}.get("csrftoken")
    headers = {"X-CSRFToken": csrf, "Referer": base + "/"} if csrf else {}
    created = page.request.post(f"{base}/api/scenarios", data=scenario, headers=headers)
    assert created.status == 201, created.text()
    page.goto(f"{base}{created.json()['share_url']}")
    # attached, not visible: zoomed far out on a large scene the cards are drawn on a canvas
    page.wait_for_selector(f"[data-testid=node-{scenario['nodes'][0]['id']}]", state="attached")


def stats(times: list[float]) -> dict:
    times = sorted(times[1:]) or [0.0]
    mean = sum(times) / len(times)
    return {"fps": round(1000 / mean, 1) if mean else 0.0,
            "frame_ms_p50": round(times[len(times) // 2], 1),
            "frame_ms_p95": round(times[int(len(times) * 0.95)], 1),
            "frames": len(times)}  # fmt: skip


def bench_tokens(page: Page, base: str, seconds: float) -> dict:
    open_scenario(page, base, grid_scenario(200, 10, "bench 200 nodes"))
    page.evaluate("window.__topolab.benchTokens(2000)")
    page.wait_for_timeout(1000)
    out = stats(page.evaluate(FRAME_TIMES_JS, seconds * 1000))
    out["tokens_in_flight"] = page.evaluate("window.__topolab.tokensInFlight")
    out["tokens_drawn"] = page.evaluate("window.__topolab.tokensDrawn")
    page.evaluate("window.__topolab.benchTokens(0)")
    return out


def bench_pan_zoom(page: Page, base: str, seconds: float) -> dict:
    open_scenario(page, base, grid_scenario(2000, 40, "bench 2000 nodes"))
    page.wait_for_timeout(1000)
    box = page.get_by_test_id("canvas").bounding_box()
    assert box
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    # started, not awaited: the gestures below run while the page records frame times
    page.evaluate(f"ms => {{ window.__benchTimes = ({FRAME_TIMES_JS})(ms); }}", seconds * 1000)
    end = time.monotonic() + seconds
    step = 0
    while time.monotonic() < end:
        page.mouse.move(cx, cy)
        page.mouse.wheel(0, -120 if step % 8 < 4 else 120)
        page.mouse.down()
        page.mouse.move(cx + (40 if step % 2 else -40), cy + 20, steps=4)
        page.mouse.up()
        step += 1
    times = page.evaluate("window.__benchTimes")
    out = stats(times)
    out["gestures"] = step
    return out


def bench_dock(page: Page, base: str, seconds: float) -> dict:
    """fps of a real run (2 000 req/s through a balancer to 4 services), dock closed then open
    on the sequence diagram (1 s window, all 6 lifelines, arrows capped at 400)."""
    svc = {"workers": 4, "service_time_ms": 1.5}
    nodes = [
        {"id": "users", "kind": "client", "x": 0, "y": 150, "params": {"rate_rps": 2000}},
        {"id": "lb", "kind": "load_balancer", "x": 300, "y": 150, "params": {}},
    ]
    nodes += [
        {"id": f"api-{i}", "kind": "service", "x": 600, "y": i * 100, "params": svc}
        for i in range(4)
    ]
    edges = [{"id": "e0", "source": "users", "target": "lb", "params": {"latency_ms": 5}}]
    edges += [
        {"id": f"e{i + 1}", "source": "lb", "target": f"api-{i}", "params": {"latency_ms": 5}}
        for i in range(4)
    ]
    scenario = {"format": "topolab/1", "name": "dock bench", "nodes": nodes, "edges": edges,
                "settings": {"duration_s": 15, "warmup_s": 0, "seed": 1}}  # fmt: skip
    open_scenario(page, base, scenario)
    page.get_by_test_id("run-button").click()
    page.wait_for_function("window.__topolab.playhead > 1", timeout=30_000)
    closed = stats(page.evaluate(FRAME_TIMES_JS, seconds * 1000))
    page.get_by_test_id("dock-tab-sequence").click()
    page.get_by_test_id("sequence-window").select_option("1")
    page.wait_for_timeout(500)
    opened = stats(page.evaluate(FRAME_TIMES_JS, seconds * 1000))
    opened["arrows"] = int(page.get_by_test_id("sequence-view").get_attribute("data-arrows") or 0)
    page.get_by_test_id("dock-tab-sequence").click()  # fold it again
    # (15 s of simulated time: the run is over before the next figure needs the worker)
    page.wait_for_function("window.__topolab.phase === 'done'", timeout=60_000)
    return {"dock_closed": closed, "dock_open_sequence": opened}


def bench_first_token(page: Page, base: str, repeats: int = 3) -> dict:
    client = {"id": "c", "kind": "client", "x": 0, "y": 0, "params": {"rate_rps": 50}}
    service = {"id": "s", "kind": "service", "x": 300, "y": 0, "params": {"service_time_ms": 5}}
    scenario = {"format": "topolab/1", "name": "first token", "nodes": [client, service],
                "edges": [{"id": "e1", "source": "c", "target": "s", "params": {}}],
                "settings": {"duration_s": 5, "seed": 1}}  # fmt: skip
    open_scenario(page, base, scenario)
    samples = []
    for _ in range(repeats):
        ms = page.evaluate(
            """async () => {
              const before = window.__topolab.tokensDrawnTotal;
              const t0 = performance.now();
              document.querySelector('[data-testid=run-button]').click();
              const t = window.__topolab;
              while (t.tokensDrawnTotal === before || t.phase !== 'running') {
                await new Promise((r) => requestAnimationFrame(r));
                if (performance.now() - t0 > 30000) return -1;
              }
              return performance.now() - t0;
            }"""
        )
        samples.append(round(ms))
        page.wait_for_timeout(500)
    return {"ms": samples, "median_ms": sorted(samples)[len(samples) // 2]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="measuring time per figure")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ)
        env.update(
            DATABASE_URL=f"sqlite:///{tmp}/bench.sqlite3",
            REDIS_URL=redis_url_with_db(os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"), 4),
            DEBUG="true", ALLOWED_HOSTS="127.0.0.1,localhost", PYTHONUNBUFFERED="1",
        )  # fmt: skip
        env.pop("DJANGO_SETTINGS_MODULE", None)
        manage(["migrate", "--noinput", "-v", "0"], env)
        port = free_port()
        stack = Stack(base_url=f"http://127.0.0.1:{port}", env=env)
        try:
            stack.children.append(start_worker(env, Path(tmp) / "worker.log", concurrency=1))
            stack.children.append(start_daphne(env, "127.0.0.1", port, Path(tmp) / "daphne.log"))
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
                page = browser.new_page(viewport={"width": 1440, "height": 900}, bypass_csp=True)
                results = {
                    "tokens_2000_on_200_nodes": bench_tokens(page, stack.base_url, args.seconds),
                    "pan_zoom_2000_nodes": bench_pan_zoom(page, stack.base_url, args.seconds),
                    "run_with_dock": bench_dock(page, stack.base_url, args.seconds),
                    "run_to_first_token": bench_first_token(page, stack.base_url),
                }
                browser.close()
        finally:
            stack.stop()
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
