"""Guided tours in a classroom session: which tour a session takes, and what students see.

The tour's model and validation live in the engine (`apps/engine/tour.py`, the scenario's
optional `tour` key): a tour sent with `POST /api/sessions` is checked by parsing the saved
scenario with that tour in place of its own, so both paths give the same messages
(`tour[2].highlight: unknown node 'x'`). Without one, the session takes the scenario's tour.
The correct answer of a question stays on the server until the presenter reveals it.
"""

from __future__ import annotations

from typing import Any

from apps.engine import ScenarioError, parse_scenario
from apps.engine.tour import tour_dicts
from apps.scenarios.http import ApiError


def session_tour(scenario_data: dict[str, Any], raw: Any = None) -> list[dict[str, Any]]:
    """The tour for a session on this scenario: `raw` (validated) if given, else its own
    (`[]` given is no tour at all).

    ApiError 400 names the first bad step and field.
    """
    data = dict(scenario_data)
    if raw is not None:
        data["tour"] = raw
    try:
        scenario = parse_scenario(data)
    except ScenarioError as exc:
        raise ApiError(400, str(exc), exc.details) from None
    return tour_dicts(scenario)


def public_step(tour: list[dict[str, Any]], k: int) -> dict[str, Any]:
    """Step ``k`` as students see it: without the correct answer."""
    step = dict(tour[k])
    if "question" in step:
        step["question"] = {key: v for key, v in step["question"].items() if key != "answer"}
    return step
