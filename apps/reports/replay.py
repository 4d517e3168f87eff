"""The offline replay: one HTML file with the scenario, the run's log and a canvas player.

It opens from disk (file://) with no server: the data sits in a ``<script
type="application/json">`` whose text has ``<``, ``>``, ``&`` and the JS line separators
escaped as ``\\uXXXX`` (so ``</script>`` inside a label cannot end the element), and the player
is a small self-written vanilla-JS script in the same file.
"""

from __future__ import annotations

from typing import Any

import orjson
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from apps.engine import MESSAGE_KINDS
from apps.reports.data import ReportData

REPLAY_CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:"
)
_ESCAPES = {
    ord("<"): "\\u003c",
    ord(">"): "\\u003e",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


def json_for_script(value: Any) -> str:
    """JSON safe to place verbatim inside a script element."""
    return orjson.dumps(value).decode("utf-8").translate(_ESCAPES)


def render_replay(data: ReportData, messages: list[dict[str, Any]]) -> str:
    """The replay page for ``messages`` (frame, metrics and done, in seq order)."""
    payload = {
        "format": "topolab.replay/1",
        "run_id": data.run_id,
        "seed": data.seed,
        "duration_s": data.duration_s,
        "scenario": data.scenario,
        "message_kinds": list(MESSAGE_KINDS),
        "messages": messages,
    }
    return render_to_string(
        "reports/replay.html",
        {"d": data, "payload": mark_safe(json_for_script(payload))},  # noqa: S308 - escaped above
    )
