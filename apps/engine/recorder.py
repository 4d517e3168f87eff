"""Compact recording of message transmissions for animation frames.

Model: while a run is recorded (`emit` given), the network appends one tuple
`(ts, dt, src, dst, edge, kind)` per transmission to a plain list (one allocation per message,
cheaper than six column appends). At each frame boundary `take_frame` empties that list into
the `frame` message's columns, evenly sampling down to `max_events_per_frame` (index
`floor(i * n / cap)` for i in 0..cap-1, so first, spread and order are kept) and reporting the
count before sampling as `total`. Node state columns (`q`, `busy`, `up`) are read at the
boundary. With recording off the list does not exist and the network skips the append.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def sample_rows(rows: list[tuple], cap: int) -> list[tuple]:
    """At most `cap` rows, evenly spread over `rows`, in order."""
    n = len(rows)
    if n <= cap:
        return rows
    return [rows[i * n // cap] for i in range(cap)]


def columns(rows: Sequence[tuple]) -> dict[str, list]:
    """Transmission rows as the frame's `events` columns (seconds rounded to 1 µs)."""
    return {
        "ts": [round(r[0], 6) for r in rows],
        "dt": [round(r[1], 6) for r in rows],
        "src": [r[2] for r in rows],
        "dst": [r[3] for r in rows],
        "edge": [r[4] for r in rows],
        "kind": [r[5] for r in rows],
    }


def node_columns(nodes: Sequence[Any]) -> dict[str, list[int]]:
    """`q`, `busy`, `up` of every node, in scenario order."""
    q: list[int] = []
    busy: list[int] = []
    up: list[int] = []
    for node in nodes:
        a, b, c = node.state()
        q.append(a)
        busy.append(b)
        up.append(c)
    return {"q": q, "busy": busy, "up": up}


def take_frame(rec: list[tuple], nodes: Sequence[Any], t0: float, t1: float, cap: int) -> dict:
    """The `frame` message for [t0, t1); empties `rec`."""
    rows = sample_rows(rec, cap)
    total = len(rec)
    msg = {
        "type": "frame",
        "t0": round(t0, 6),
        "t1": round(t1, 6),
        "events": columns(rows),
        "total": total,
        "nodes": node_columns(nodes),
    }
    rec.clear()
    return msg
