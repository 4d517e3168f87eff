"""Compact recording of message transmissions for animation frames.

Model: while a run is recorded (`emit` given), the network appends one tuple
`(ts, dt, code, kind)` per transmission to a plain list (one allocation per message, cheaper
than six column appends); `code` packs the link and direction (see network.py). At each frame
boundary `take_frame` empties that list into the `frame` message's columns, evenly sampling
down to `max_events_per_frame` (index `floor(i * n / cap)` for i in 0..cap-1, so the first row,
the spread and the order are kept) and reporting the count before sampling as `total`. Node
state columns (`q`, `busy`, `up`) are read at the boundary. With recording off the list does
not exist and nothing is appended.

Tracing: a row of a traced request has two more fields, its trace id and span id; the frame
then carries them sparsely as `traced` (`row`: indexes into the events columns, `trace`,
`span`), and `traces` lists the sampled requests that finished in the window, in the same shape
as `result["traces"]`, so the browser can show a token's trace while the run plays.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from apps.engine.kinds.base import trace_spans


def sample_rows(rows: list[tuple], cap: int) -> list[tuple]:
    """At most `cap` rows, evenly spread over `rows`, in order."""
    n = len(rows)
    if n <= cap:
        return rows
    return [rows[i * n // cap] for i in range(cap)]


def columns(rows: Sequence[tuple], ends: EndsTable) -> dict[str, list]:
    """Transmission rows as the frame's `events` columns; seconds rounded to the microsecond.

    `ends.table[code + ends.offset]` is `(src, dst, edge)`: codes `2 * link + direction` for
    messages on links, `-1 - node` for local marks at a node (edge -1).
    """
    table, off = ends.table, ends.offset
    triples = [table[r[2] + off] for r in rows]
    return {
        # int(x * 1e6 + 0.5) / 1e6 is round(x, 6) for x >= 0, 2.5x cheaper
        "ts": [int(r[0] * 1e6 + 0.5) / 1e6 for r in rows],
        "dt": [int(r[1] * 1e6 + 0.5) / 1e6 for r in rows],
        "src": [t[0] for t in triples],
        "dst": [t[1] for t in triples],
        "edge": [t[2] for t in triples],
        "kind": [r[3] for r in rows],
    }


class EndsTable:
    """The decoding table of `columns`, built once per run from the nodes and links."""

    __slots__ = ("offset", "table")

    def __init__(self, nodes: Sequence[Any], links: Sequence[Any]) -> None:
        n = len(nodes)
        self.offset = n
        # codes -n .. -1 are marks at node n-1 .. 0; then both directions of every link
        self.table: list[tuple[int, int, int]] = [(i, i, -1) for i in range(n - 1, -1, -1)]
        for link in links:
            self.table.append((link.src.index, link.dst.index, link.index))
            self.table.append((link.dst.index, link.src.index, link.index))


def traced_columns(rows: Sequence[tuple]) -> dict[str, list[int]] | None:
    """Row index, trace id and span id of the rows of traced requests (None when there are none)."""
    row: list[int] = []
    trace: list[int] = []
    span: list[int] = []
    for i, r in enumerate(rows):
        if len(r) > 4:
            row.append(i)
            trace.append(r[4])
            span.append(r[5])
    return {"row": row, "trace": trace, "span": span} if row else None


class TraceFeed:
    """Hands out each sampled request's spans once, in the first frame after it finished."""

    __slots__ = ("pending", "seen")

    def __init__(self) -> None:
        self.seen = 0
        self.pending: list[Any] = []

    def finished(self, traces: list[Any] | None) -> list[dict]:
        if not traces:
            return []
        self.pending.extend(traces[self.seen :])
        self.seen = len(traces)
        done = [req for req in self.pending if req.trace[0][4] is not None]
        if done:
            self.pending = [req for req in self.pending if req.trace[0][4] is None]
        return trace_spans(done)


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


def take_frame(
    rec: list[tuple],
    ends: EndsTable,
    nodes: Sequence[Any],
    t0: float,
    t1: float,
    cap: int,
) -> dict:
    """The `frame` message for [t0, t1); empties `rec`."""
    rows = sample_rows(rec, cap)
    total = len(rec)
    msg = {
        "type": "frame",
        "t0": round(t0, 6),
        "t1": round(t1, 6),
        "events": columns(rows, ends),
        "total": total,
        "nodes": node_columns(nodes),
    }
    traced = traced_columns(rows)
    if traced is not None:
        msg["traced"] = traced
    rec.clear()
    return msg
