"""Live control of a running run: fault commands and viewer pacing, shared through Redis.

Model: the websocket consumer (any process) validates a browser's ``control`` message against
the scenario's fault schema and pushes it on a per-run Redis list; the worker's RunControl pops
the list at frame boundaries and hands the commands to the engine, which applies them at that
simulated time. ``pace`` messages store the viewer's playhead, speed and the wall time they were
sent in a per-run key that expires: while a fresh one exists the worker keeps the simulation at
most a lead ahead of the estimated playhead; with none (headless runs, scripts, a closed tab)
the run goes full speed.
"""

from __future__ import annotations

import contextlib
import json
import math
import time
import uuid
from functools import lru_cache
from typing import Any

import redis
from django.conf import settings
from pydantic import TypeAdapter, ValidationError

from apps.engine.scenario import AnyFault

LIVE_ACTIONS = ("crash", "restart", "slow", "cut", "restore", "partition", "heal")
PACE_TTL_S = 5  # a viewer that has not reported for this long no longer paces the run
MAX_PENDING = 100  # commands queued per run; more are refused
_KEY_TTL_S = 3600

_fault = TypeAdapter(AnyFault)


class ControlError(ValueError):
    """A live command that is not a valid fault for this run (message for the browser)."""


@lru_cache(maxsize=1)
def client() -> redis.Redis:
    return redis.Redis.from_url(settings.REDIS_URL, socket_timeout=5)


def _key(run_id: uuid.UUID | str, what: str) -> str:
    return f"topolab:run:{uuid.UUID(str(run_id))}:{what}"


def validate_control(message: dict[str, Any], snapshot: dict[str, Any]) -> dict[str, Any]:
    """The engine command for a ``{"type": "control", "action": ...}`` message, or ControlError."""
    body = {k: v for k, v in message.items() if k != "type"}
    action = body.get("action")
    if action not in LIVE_ACTIONS:
        raise ControlError(f"unknown action {action!r}; expected one of {', '.join(LIVE_ACTIONS)}")
    if "at_s" in body:
        raise ControlError("a live command has no at_s: it applies now")
    try:
        fault = _fault.validate_python({**body, "at_s": 0}).model_dump(exclude={"at_s"})
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(p) for p in first["loc"][1:]) or action
        raise ControlError(f"{action}: {loc}: {first['msg']}") from None
    nodes = {n.get("id") for n in snapshot.get("nodes", [])}
    edges = {e.get("id") for e in snapshot.get("edges", [])}
    node = fault.get("node")
    if node is not None and node != "@leader" and node not in nodes:
        raise ControlError(f"{action}: no node {node!r} in this run")
    if "edge" in fault and fault["edge"] not in edges:
        raise ControlError(f"{action}: no edge {fault['edge']!r} in this run")
    _check_groups(fault.get("groups") or [], nodes)
    return fault


def _check_groups(groups: list[list[str]], nodes: set[str]) -> None:
    """A partition's groups: known nodes, none empty, none in two groups."""
    seen: set[str] = set()
    for g, group in enumerate(groups):
        if not group:
            raise ControlError(f"partition: group {g + 1} is empty")
        unknown = [n for n in group if n not in nodes]
        if unknown:
            raise ControlError(f"partition: no node {unknown[0]!r} in this run")
        twice = [n for n in group if n in seen]
        if twice or len(set(group)) < len(group):
            name = twice[0] if twice else next(n for n in group if group.count(n) > 1)
            raise ControlError(f"partition: node {name!r} is in two groups")
        seen.update(group)


def push_control(run_id: uuid.UUID | str, command: dict[str, Any]) -> None:
    key = _key(run_id, "control")
    r = client()
    if r.llen(key) >= MAX_PENDING:
        raise ControlError(f"more than {MAX_PENDING} commands waiting; try again")
    pipe = r.pipeline()
    pipe.rpush(key, json.dumps(command))
    pipe.expire(key, _KEY_TTL_S)
    pipe.execute()


def pop_controls(run_id: uuid.UUID | str) -> list[dict[str, Any]]:
    key = _key(run_id, "control")
    pipe = client().pipeline()
    pipe.lrange(key, 0, -1)
    pipe.delete(key)
    raw, _ = pipe.execute()
    return [json.loads(item) for item in raw]


def _finite(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)


def validate_pace(message: dict[str, Any]) -> tuple[float, float]:
    t, speed = message.get("t"), message.get("speed")
    ok = all(
        isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)
        for v in (t, speed)
    )
    if not ok or t < 0 or not 0 <= speed <= 1000:
        raise ControlError("pace needs numbers t >= 0 and 0 <= speed <= 1000")
    return float(t), float(speed)


def set_pace(run_id: uuid.UUID | str, t: float, speed: float) -> None:
    value = json.dumps({"t": t, "speed": speed, "at": time.time()})
    client().set(_key(run_id, "pace"), value, ex=PACE_TTL_S)


def start_paced(run_id: uuid.UUID | str) -> None:
    """Pace a new run at 1x from t=0 until its viewer reports; never fails the start."""
    with contextlib.suppress(redis.RedisError):
        set_pace(run_id, 0.0, 1.0)


def get_pace(run_id: uuid.UUID | str) -> dict[str, float] | None:
    raw = client().get(_key(run_id, "pace"))
    return json.loads(raw) if raw else None


def clear(run_id: uuid.UUID | str) -> None:
    client().delete(_key(run_id, "control"), _key(run_id, "pace"), _key(run_id, "viewers"))


# Viewers of a run: a sorted set of consumer channel names scored by join time, kept by the
# consumers; the broadcaster reads its size to pick the batch interval. A Daphne killed without
# closing its sockets leaves members behind until the key expires, an over-count that only
# makes batches larger for a while.
def viewer_join(run_id: uuid.UUID | str, channel: str) -> None:
    pipe = client().pipeline()
    pipe.zadd(_key(run_id, "viewers"), {channel: time.time()})
    pipe.expire(_key(run_id, "viewers"), _KEY_TTL_S)
    pipe.execute()


def viewer_leave(run_id: uuid.UUID | str, channel: str) -> None:
    client().zrem(_key(run_id, "viewers"), channel)


def viewer_count(run_id: uuid.UUID | str) -> int:
    return int(client().zcard(_key(run_id, "viewers")))
