"""Fixtures for the runs tests (the scenario and client fixtures live in tests/conftest.py)."""

from __future__ import annotations

import pytest


@pytest.fixture
def saved_scenario(db, scenario_data):
    """A saved scenario (2 simulated seconds)."""
    from apps.scenarios.services import scenario_create

    scenario, _ = scenario_create(data=scenario_data, session_key=None)
    return scenario


@pytest.fixture
def queued_run(saved_scenario):
    """A queued run; inside the test transaction no task is sent (on_commit never fires)."""
    from apps.runs.services import run_start

    return run_start(scenario=saved_scenario)
