"""The Paxos safety checker: at most one value is chosen per slot.

Model: acceptors report every accept `(slot, ballot, value)` as it happens; a value is *chosen*
in a slot once a majority of acceptors has accepted it in the same ballot (Lamport, "Paxos Made
Simple": the definition, observed with global knowledge no node has). Learners report what they
learn. A violation is a second, different value chosen in a slot, or a learner learning a value
that is not the chosen one. Single-decree Paxos is slot 0.
"""

from __future__ import annotations

from typing import Any

MAX_VIOLATIONS = 50


class PaxosChecker:
    """Trace-level check of Paxos safety for one group of acceptors."""

    __slots__ = ("chosen", "majority", "tally", "violations")

    def __init__(self, majority: int) -> None:
        self.majority = majority
        self.tally: dict[tuple[int, int], tuple[Any, int]] = {}  # (slot, ballot) -> (value, n)
        self.chosen: dict[int, tuple[Any, float, int]] = {}  # slot -> (value, at_s, ballot)
        self.violations: list[dict] = []

    def _violate(self, t: float, detail: str) -> None:
        if len(self.violations) < MAX_VIOLATIONS:
            self.violations.append(
                {"property": "one_value_per_slot", "at_s": round(t, 6), "detail": detail}
            )

    def accepted(self, slot: int, ballot: int, value: Any, t: float) -> None:
        """One acceptor accepted `value` in `ballot` (each acceptor reports a ballot once)."""
        key = (slot, ballot)
        old = self.tally.get(key)
        if old is not None and old[0] != value:
            self._violate(t, f"slot {slot} ballot {ballot}: values {old[0]!r} and {value!r}")
            return
        n = 1 if old is None else old[1] + 1
        self.tally[key] = (value, n)
        if n == self.majority:
            prev = self.chosen.get(slot)
            if prev is None:
                self.chosen[slot] = (value, t, ballot)
            elif prev[0] != value:
                self._violate(t, f"slot {slot}: chose {prev[0]!r} then {value!r}")

    def learned(self, slot: int, value: Any, t: float, node: str) -> None:
        ch = self.chosen.get(slot)
        if ch is None or ch[0] != value:
            self._violate(t, f"{node} learned {value!r} in slot {slot}, chosen: {ch and ch[0]!r}")
