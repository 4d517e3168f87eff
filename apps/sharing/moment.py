"""The ``t`` of a moment link (``/r/<run_id>?t=12.5``): parsed, validated and clamped.

A bad ``t`` never fails the page: the viewer lands on the nearest valid moment and is told why.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Moment:
    """Where the replay opens (simulated seconds) and, when ``t`` had to change, why."""

    t: float
    message: str = ""


def parse_moment(raw: str | None, end: float) -> Moment:
    """``raw`` from the query string; ``end`` is the run's last simulated second."""
    if raw is None or raw.strip() == "":
        return Moment(0.0)
    shown = raw.strip()[:32]
    try:
        t = float(shown)
    except ValueError:
        return Moment(0.0, f"t={shown!r} is not a number of seconds; showing the start (0 s).")
    if not math.isfinite(t):
        return Moment(
            0.0, f"t={shown!r} is not a finite number of seconds; showing the start (0 s)."
        )
    if t < 0:
        return Moment(0.0, f"t={shown} s is before the start of the run; showing 0 s.")
    if t > end:
        return Moment(
            end, f"t={shown} s is beyond the end of this run ({end:g} s); showing its end."
        )
    return Moment(t)
