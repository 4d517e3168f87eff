"""Saga traces and the atomicity checker shared by orchestrated and choreographed sagas.

Model: every saga leaves a `SagaRecord`: its outcome (`completed`, `compensated`, `stuck`, or
`running` at the end of the run), the order in which its steps were compensated, and for each
step whether its effect holds at the end (`applied`), derived from the participants' own
answers: a step holds when its participant processed it, did not reject it, and no
compensation of it was processed. A compensation processed before a late forward request
makes that request a no-op (the participant remembers the saga id), so it counts as undone.

The checker verifies the saga guarantee on those traces: a completed saga has every step
applied and no compensation; a compensated saga has no step left applied and its
compensations ran in reverse step order. Anything else is a violation. Stuck and running sagas
are not finished; they are counted (with how many are half-applied), not judged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from apps.engine.metrics import mean_p99

UNFINISHED = ("stuck", "running")
MAX_VIOLATIONS = 20  # listed in the result; the count covers all of them


@dataclass(slots=True)
class SagaRecord:
    id: int
    outcome: str
    applied: list[bool]
    comps: list[int] = field(default_factory=list)  # step indexes in compensation order
    t0: float = 0.0
    t1: float = -1.0


def violation(r: SagaRecord) -> str | None:
    """Why `r` breaks the saga guarantee, or None."""
    if r.outcome == "completed":
        if not all(r.applied):
            return f"completed but step {r.applied.index(False)} not applied"
        if r.comps:
            return "completed but compensated"
    elif r.outcome == "compensated":
        if any(r.applied):
            return f"compensated but step {r.applied.index(True)} still applied"
        if any(a <= b for a, b in zip(r.comps, r.comps[1:], strict=False)):
            return f"compensations out of reverse order: {r.comps}"
    return None


def report(records: list[SagaRecord], since: float, style: str) -> dict[str, Any]:
    """result["protocols"]["saga"] for sagas started at or after `since`."""
    recs = [r for r in records if r.t0 >= since]
    counts = {k: 0 for k in ("completed", "compensated", "stuck", "running")}
    for r in recs:
        counts[r.outcome] += 1
    bad = [(r.id, why) for r in recs if (why := violation(r)) is not None]
    lat = {
        k: mean_p99([r.t1 - r.t0 for r in recs if r.outcome == k], 1000.0)
        for k in ("completed", "compensated")
    }
    return {
        "style": style,
        "sagas": len(recs),
        **counts,
        "half_applied": sum(1 for r in recs if r.outcome in UNFINISHED and any(r.applied)),
        "compensations": sum(len(r.comps) for r in recs),
        "latency_ms": lat,
        "violation_count": len(bad),
        "violations": [{"saga": i, "why": w} for i, w in bad[:MAX_VIOLATIONS]],
    }
