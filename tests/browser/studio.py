"""Page helpers for the studio: what a person does with the mouse, spelled once."""

from __future__ import annotations

import json
from pathlib import Path

from playwright.sync_api import Page, expect

TEMPLATES = Path(__file__).resolve().parents[2] / "apps" / "scenarios" / "templates_data"


def open_studio(page: Page, base_url: str, query: str = "") -> None:
    page.goto(f"{base_url}/{query}")
    expect(page.get_by_test_id("canvas")).to_be_visible()
    # The palette is filled from /api/schema/scenario.json; wait until it has the service too.
    expect(page.get_by_test_id("palette-item-service")).to_be_visible()


def open_template(page: Page, base_url: str, name: str, duration_s: float) -> None:
    """Saves the gallery template ``name`` (shortened to ``duration_s``) and opens it."""
    scenario = json.loads((TEMPLATES / f"{name}.json").read_text())
    scenario.pop("meta", None)
    scenario["settings"]["duration_s"] = duration_s
    created = page.request.post(f"{base_url}/api/scenarios", data=scenario)
    assert created.status == 201, created.text()
    page.goto(f"{base_url}{created.json()['share_url']}")


def drop_kind(page: Page, kind: str, x: float, y: float) -> None:
    """HTML5 drag and drop of a palette item onto the canvas at (x, y) inside the canvas."""
    page.get_by_test_id(f"palette-item-{kind}").drag_to(
        page.get_by_test_id("canvas"), target_position={"x": x, "y": y}
    )


def connect(page: Page, source: str, target: str) -> None:
    page.get_by_test_id(f"handle-out-{source}").drag_to(page.get_by_test_id(f"handle-in-{target}"))


def select_node(page: Page, node_id: str) -> None:
    page.get_by_test_id(f"node-{node_id}").click()


def select_nothing(page: Page) -> None:
    """A click on empty canvas clears the selection: the panel shows the scenario settings."""
    page.get_by_test_id("canvas").click(position={"x": 30, "y": 30})


def number_of(page: Page, test_id: str) -> float:
    text = page.get_by_test_id(test_id).inner_text().strip().replace(",", "")
    try:
        return float(text)
    except ValueError:
        return float("nan")
