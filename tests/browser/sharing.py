"""Helpers for the sharing browser tests: saved scenarios and finished runs made over HTTP."""

from __future__ import annotations

import time
from typing import Any

from playwright.sync_api import APIRequestContext, Page, expect

from tests.browser.test_live_faults import SCENARIO

SHORT = {**SCENARIO, "name": "Shared tier", "settings": {**SCENARIO["settings"], "duration_s": 20}}


def create(request: APIRequestContext, base_url: str, scenario: dict | None = None) -> dict:
    created = request.post(f"{base_url}/api/scenarios", data=scenario or SHORT)
    assert created.status == 201, created.text()
    return created.json()


def finished_run(
    request: APIRequestContext, base_url: str, scenario_id: str, seed: int = 1, csrf: str = ""
) -> dict[str, Any]:
    """Starts an unpaced run (the worker goes flat out) and waits until it is done."""
    started = request.post(
        f"{base_url}/api/scenarios/{scenario_id}/runs",
        data={"seed": seed},
        headers={"X-CSRFToken": csrf} if csrf else {},
    )
    assert started.status == 202, started.text()
    run_id = started.json()["run_id"]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        run = request.get(f"{base_url}/api/runs/{run_id}").json()
        if run["status"] in ("done", "failed", "cancelled"):
            assert run["status"] == "done", run
            return run
        time.sleep(0.2)
    raise AssertionError(f"run {run_id} did not finish in 60 s")


def open_moment(page: Page, base_url: str, t: float) -> tuple[dict, dict[str, Any]]:
    """Saves the short scenario, runs it to the end, and opens its moment link at ``t`` once the
    replay has its frames; returns (the saved scenario, the run)."""
    shared = create(page.request, base_url)
    run = finished_run(page.request, base_url, shared["id"])
    page.goto(f"{base_url}/r/{run['id']}?t={t:g}")
    expect(page.get_by_test_id("replay-banner")).to_contain_text("frames", timeout=15_000)
    return shared, run
