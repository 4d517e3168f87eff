"""The Raft safety checker: watches one cluster's trace and lists violations.

Model: the servers report three kinds of events as they happen: a server became leader of a
term (with its log at that instant), the leader committed up to an index, a server applied an
entry to its state machine. The checker tests the four Raft safety properties (Ongaro &
Ousterhout 2014, Fig. 3) on that trace, plus log matching on the final logs:

- election safety: at most one leader per term;
- leader completeness: every entry committed before a leader's term is in that leader's log
  when it is elected (entries are tracked as (index, term));
- state-machine safety: no two servers apply different entries at the same index;
- log matching: if two logs hold an entry with the same index and term, they are identical up
  to that index (checked on the final logs of every pair, and on every new leader's log against
  the committed prefix).

A violation is a short dict {"property", "at_s", "detail"}; a correct implementation produces
none (tests/engine/test_raft*.py assert that over many seeds with crashes and partitions).
"""

from __future__ import annotations

from typing import Any

MAX_VIOLATIONS = 50  # keep the result small if an experiment breaks everything


class RaftChecker:
    """Trace-level invariant checks for one Raft cluster."""

    __slots__ = ("applied", "committed", "leaders", "terms", "violations")

    def __init__(self) -> None:
        self.leaders: list[tuple[int, str, float]] = []  # (term, node id, at_s)
        self.terms: dict[int, str] = {}  # term -> its leader
        self.committed: list[int] = [0]  # committed[i]: term of the committed entry at index i
        self.applied: list[Any] = [None]  # applied[i]: (term, command) first applied at i
        self.violations: list[dict] = []

    def _violate(self, prop: str, t: float, detail: str) -> None:
        if len(self.violations) < MAX_VIOLATIONS:
            self.violations.append({"property": prop, "at_s": round(t, 6), "detail": detail})

    def became_leader(self, term: int, node: str, t: float, log: list[tuple[int, Any]]) -> None:
        """`node` won `term`; its log (index 0 is a sentinel) must hold every committed entry."""
        self.leaders.append((term, node, t))
        other = self.terms.get(term)
        if other is not None and other != node:
            self._violate("election_safety", t, f"term {term}: leaders {other} and {node}")
        self.terms.setdefault(term, node)
        committed = self.committed
        for i in range(1, len(committed)):
            if i >= len(log) or log[i][0] != committed[i]:
                self._violate(
                    "leader_completeness",
                    t,
                    f"{node} (term {term}) lacks committed entry {i} of term {committed[i]}",
                )
                return

    def commit(self, log: list[tuple[int, Any]], prev: int, upto: int, t: float, node: str) -> None:
        """The leader `node` moved its commit index from `prev` to `upto`.

        Only the newly committed range is compared (the leader's older prefix was checked when
        it was committed, at this leader's election and again on the final logs), so the check
        stays O(1) per entry.
        """
        committed = self.committed
        for i in range(prev + 1, min(upto, len(committed) - 1) + 1):
            if committed[i] != log[i][0]:
                what = f"{node} committed term {log[i][0]} at {i}, was {committed[i]}"
                self._violate("log_matching", t, what)
                return
        for i in range(len(committed), upto + 1):
            committed.append(log[i][0])

    def apply(self, index: int, entry: tuple[int, Any], t: float, node: str) -> None:
        """`node` applied `entry` (term, command) at `index` to its state machine."""
        applied = self.applied
        if index < len(applied):
            if applied[index] != entry:
                self._violate(
                    "state_machine_safety",
                    t,
                    f"{node} applied {entry} at {index}, another server applied {applied[index]}",
                )
        elif index == len(applied):
            applied.append(entry)
        else:  # applying out of order is itself a bug of the implementation
            self._violate("state_machine_safety", t, f"{node} applied index {index} out of order")

    def final_logs(self, logs: list[tuple[str, list[tuple[int, Any]]]], t: float) -> None:
        """Log matching over every pair of final logs."""
        for a in range(len(logs)):
            for b in range(a + 1, len(logs)):
                (na, la), (nb, lb) = logs[a], logs[b]
                # the highest index where both logs hold an entry of the same term
                top = 0
                for i in range(min(len(la), len(lb)) - 1, 0, -1):
                    if la[i][0] == lb[i][0]:
                        top = i
                        break
                if la[: top + 1] != lb[: top + 1]:
                    self._violate("log_matching", t, f"{na} and {nb} differ below index {top}")

    def max_leaders_per_term(self) -> int:
        per: dict[int, set[str]] = {}
        for term, node, _ in self.leaders:
            per.setdefault(term, set()).add(node)
        return max((len(v) for v in per.values()), default=0)
