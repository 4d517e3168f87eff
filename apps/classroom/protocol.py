"""The classroom websocket protocol: strict validation of every client message.

Client -> server (JSON objects, at most MAX_MESSAGE_BYTES):

- ``hello`` ``{presenter_token}``: become the presenter (anyone else stays a student);
- presenter only: ``state`` (any of STATE_FIELDS), ``speed`` ``{value}``, ``fault`` ``{fault}``,
  ``step`` ``{step}``, ``reveal`` ``{step}``;
- students: ``answer`` ``{step, choice}``; everyone: ``ping``.

Server -> client: ``welcome``, ``state``, ``audience``, ``speed``, ``fault``, ``step``,
``answers`` (to the presenter), ``answered``, ``reveal``, ``ended`` (then the socket closes
with END_CLOSE_CODE), ``pong``, ``error``.

Mirrored by frontend/src/net/classroomProtocol.ts: change both together.
"""

from __future__ import annotations

import json
import math
from typing import Any

MAX_MESSAGE_BYTES = 8192
PRESENTER_ONLY = frozenset({"state", "speed", "fault", "step", "reveal"})
CLIENT_TYPES = PRESENTER_ONLY | {"hello", "answer", "ping"}
MAX_SPEED = 1000.0
END_CLOSE_CODE = 4410  # the session was ended by its presenter: do not reconnect


class BadMessage(Exception):
    """A client message that breaks the protocol; the text is sent back as an ``error``."""


def _number(value: Any, name: str, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise BadMessage(f"{name}: must be a number")
    if not low <= value <= high:
        raise BadMessage(f"{name}: must be within {low:g}..{high:g}")
    return float(value)


def _int(value: Any, name: str, low: int, high: int) -> int:
    if type(value) is not int or not low <= value <= high:
        raise BadMessage(f"{name}: must be an integer {low}..{high}")
    return value


def _str_or_null(value: Any, name: str, limit: int = 64) -> str | None:
    if value is None or (isinstance(value, str) and len(value) <= limit):
        return value
    raise BadMessage(f"{name}: must be a string of at most {limit} characters or null")


def _viewport(value: Any) -> dict[str, float]:
    # x, y, zoom: the React Flow transform; w, h: the presenter's canvas in CSS pixels, so a
    # student's screen of another size can show the same region.
    if not isinstance(value, dict) or set(value) - {"x", "y", "zoom", "w", "h"} or not value:
        raise BadMessage("viewport: must be an object with x, y, zoom and optionally w, h")
    out = {k: _number(v, f"viewport.{k}", -1e7, 1e7) for k, v in value.items()}
    if "zoom" in out and not 0.01 <= out["zoom"] <= 100:
        raise BadMessage("viewport.zoom: must be within 0.01..100")
    for k in ("w", "h"):
        if k in out and not 1 <= out[k] <= 100_000:
            raise BadMessage(f"viewport.{k}: must be within 1..100000")
    return out


def _selection(value: Any) -> list[str]:
    ok = isinstance(value, list) and len(value) <= 500
    if not ok or any(not isinstance(v, str) or len(v) > 64 for v in value):
        raise BadMessage("selection: must be a list of at most 500 node/edge ids")
    return value


STATE_FIELDS = {
    "scenario": lambda v: _str_or_null(v, "scenario"),
    "run": lambda v: _str_or_null(v, "run"),
    "viewport": _viewport,
    "selection": _selection,
    "speed": lambda v: _number(v, "speed", 0, MAX_SPEED),
    "playhead": lambda v: _number(v, "playhead", 0, 1e6),
    "playing": lambda v: v if isinstance(v, bool) else _fail("playing: must be true or false"),
    "revision": lambda v: None if v is None else _int(v, "revision", 0, 2**31 - 1),
    "tour_step": lambda v: _int(v, "tour_step", -1, 1000),
    "follow": lambda v: v if isinstance(v, bool) else _fail("follow: must be true or false"),
}


def _fail(msg: str) -> Any:
    raise BadMessage(msg)


def _reject_constant(name: str) -> Any:
    raise BadMessage(f"invalid JSON: {name} is not a number in JSON")


def decode(text: str | None) -> dict[str, Any]:
    """Parse one client text frame into a dict with a known ``type`` (raises BadMessage)."""
    if text is None:
        raise BadMessage("binary messages are not supported")
    if len(text.encode("utf-8")) > MAX_MESSAGE_BYTES:
        raise BadMessage(f"message larger than {MAX_MESSAGE_BYTES} bytes")
    try:
        message = json.loads(text, parse_constant=_reject_constant)
    except (ValueError, RecursionError):
        raise BadMessage("invalid JSON") from None
    if not isinstance(message, dict):
        raise BadMessage("a message must be a JSON object")
    kind = message.get("type")
    if kind not in CLIENT_TYPES:
        raise BadMessage(
            f"unknown message type {kind!r}; expected one of {', '.join(sorted(CLIENT_TYPES))}"
        )
    return message


def check_fields(message: dict[str, Any], allowed: set[str]) -> None:
    """Refuse fields other than ``type`` and ``allowed``."""
    unknown = sorted(set(message) - allowed - {"type"})
    if unknown:
        raise BadMessage(f"{message['type']}: unknown field {unknown[0]!r}")


def state_update(message: dict[str, Any]) -> tuple[dict[str, Any], float | None]:
    """The validated state fields of a ``state`` message, and its optional ``sent_at``."""
    check_fields(message, set(STATE_FIELDS) | {"sent_at"})
    update = {k: STATE_FIELDS[k](v) for k, v in message.items() if k in STATE_FIELDS}
    if not update:
        raise BadMessage(f"state: give at least one of {', '.join(sorted(STATE_FIELDS))}")
    sent_at = message.get("sent_at")
    if sent_at is not None:
        sent_at = _number(sent_at, "sent_at", 0, 1e13)
    return update, sent_at
