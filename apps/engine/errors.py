"""Exceptions the engine raises across its API.

`ScenarioError` carries a one-line message naming the first problem (node id and param) and a
list of details, one per problem: {"loc": "nodes[2].params.workers", "node": "api-1" | None,
"msg": "must be >= 1"}. `Cancelled` is raised by `simulate` when a live control command asks for
it; the partial run is discarded.
"""

from __future__ import annotations


class ScenarioError(ValueError):
    """An invalid scenario: `message` names the first problem, `details` lists them all."""

    def __init__(self, message: str, details: list[dict] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details: list[dict] = list(details or [])


class Cancelled(Exception):
    """A run was cancelled by a live `{"action": "cancel"}` command."""

    def __init__(self, sim_time_s: float) -> None:
        super().__init__(f"cancelled at t={sim_time_s:g}s")
        self.sim_time_s = sim_time_s
