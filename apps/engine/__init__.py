"""Topolab's simulation engine: pure Python, deterministic, no Django.

Public API (docs/architecture.md §1): `parse_scenario`, `ScenarioError`, `simulate`,
`scenario_json_schema`, `Cancelled`, `MESSAGE_KINDS`, `LIMITS`, `Scenario`.
A scenario and a seed fully decide a result (except its `wall_s`). See README.md for the map.
"""

from apps.engine.errors import Cancelled, ScenarioError
from apps.engine.network import MESSAGE_KINDS
from apps.engine.params import LIMITS
from apps.engine.scenario import Scenario, parse_scenario, scenario_json_schema
from apps.engine.simulate import simulate

__all__ = [
    "LIMITS",
    "MESSAGE_KINDS",
    "Cancelled",
    "Scenario",
    "ScenarioError",
    "parse_scenario",
    "scenario_json_schema",
    "simulate",
]
