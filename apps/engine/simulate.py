"""From a scenario and a seed to a result (and, optionally, a stream of frames).

Model: `build_world` turns the validated scenario into runtime objects (one `Node` per scenario
node through the kinds registry, one `Link` per edge, a `Network`, a `Kernel`), schedules the
scenario's faults (priority 0) and the warmup boundary, and lets every node schedule its first
events. `simulate` then runs the kernel in windows of `frame_interval_s` simulated seconds; at
each boundary it applies live commands from `control(now_s)` and emits, in order, `frame`,
`metrics` and `progress`. With neither `emit` nor `control` it runs in one go (fast path for
tests and sweeps). The result is a fold over what the nodes recorded (metrics.py), with every
float rounded, so the same scenario and seed give the same bytes; only `wall_s` is measured.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Any

from apps.engine import faults
from apps.engine.errors import Cancelled, ScenarioError
from apps.engine.kernel import PRIO_FAULT, Kernel
from apps.engine.kinds import KINDS
from apps.engine.kinds.base import World, trace_spans
from apps.engine.kinds.client import Client
from apps.engine.metrics import rnd, summary
from apps.engine.network import Link, Network
from apps.engine.params import LIMITS
from apps.engine.recorder import EndsTable, TraceFeed, take_frame
from apps.engine.scenario import Scenario, parse_scenario

MAX_FRAMES = 100_000

Emit = Callable[[dict], object]
Control = Callable[[float], list[dict]]


def build_world(scenario: Scenario, seed: int, duration: float, recording: bool) -> World:
    """Runtime objects for `scenario`, with faults and first events scheduled."""
    s = scenario.settings
    kernel = Kernel()
    world = World(kernel, seed, min(s.warmup_s, duration), duration)
    world.default_lat = s.default_latency_ms / 1000.0
    world.nodes = [KINDS[n.kind](world, n, i) for i, n in enumerate(scenario.nodes)]
    by_id = {n.id: n for n in world.nodes}
    for i, e in enumerate(scenario.edges):
        link = Link(i, e, by_id[e.source], by_id[e.target], s.default_latency_ms, seed)
        world.links.append(link)
        by_id[e.source].out.append(link)
    world.groups = [
        (cls, members)
        for cls in KINDS.values()
        if (members := [n for n in world.nodes if type(n) is cls])
    ]
    world.net = Network(kernel, world.links, recording)
    for node in world.nodes:
        node.net = world.net
    for f in scenario.faults:
        if f.at_s < duration:
            kernel.at(f.at_s, lambda f_, w=world: faults.apply(w, f_), f, PRIO_FAULT)
    if world.warmup > 0:
        kernel.at(world.warmup, _reset_windows, world, PRIO_FAULT)
    for node in world.nodes:
        node.start()
    return world


def _reset_windows(world: World) -> None:
    for node in world.nodes:
        node.reset_window()


def simulate(
    scenario: Scenario | dict,
    seed: int | None = None,
    duration_s: float | None = None,
    emit: Emit | None = None,
    control: Control | None = None,
    frame_interval_s: float = 0.25,
    max_events_per_frame: int = 2000,
) -> dict:
    """Run `scenario`; return the `topolab.result/1` dict. See docs/architecture.md §1."""
    wall0 = time.perf_counter()
    if not isinstance(scenario, Scenario):
        scenario = parse_scenario(scenario)
    seed = scenario.settings.seed if seed is None else int(seed)
    duration = _checked_duration(scenario, duration_s)
    world = build_world(scenario, seed, duration, recording=emit is not None)
    if emit is None and control is None:
        world.kernel.run(duration)
    else:
        _run_windows(world, duration, emit, control, frame_interval_s, max_events_per_frame)
    result = build_result(world, seed, duration)
    result["wall_s"] = round(time.perf_counter() - wall0, 3)
    return result


def _checked_duration(scenario: Scenario, duration_s: float | None) -> float:
    """The run's length: settings.duration_s, or an override within LIMITS."""
    if duration_s is None:
        return float(scenario.settings.duration_s)
    cap = LIMITS["max_duration_s"]
    ok = isinstance(duration_s, int | float) and not isinstance(duration_s, bool)
    if not ok or not math.isfinite(duration_s) or not 0 < duration_s <= cap:
        msg = f"must be a number in (0, {cap:g}]"
        raise ScenarioError(f"duration_s: {msg}", [{"loc": "duration_s", "node": None, "msg": msg}])
    return float(duration_s)


def _run_windows(
    world: World,
    duration: float,
    emit: Emit | None,
    control: Control | None,
    interval: float,
    cap: int,
) -> None:
    kernel = world.kernel
    # at most MAX_FRAMES windows, none shorter than 1 ms of simulated time
    interval = max(float(interval), 1e-3, duration / MAX_FRAMES)
    window = _Window(world)
    ends = EndsTable(world.nodes, world.links)
    feed = TraceFeed()
    k = 0
    t0 = 0.0
    while t0 < duration:
        k += 1
        t1 = min(k * interval, duration)  # multiply, don't accumulate: no drift
        kernel.run(t1)
        if control is not None:
            for cmd in control(t1) or ():
                if isinstance(cmd, dict) and cmd.get("action") == "cancel":
                    raise Cancelled(t1)
                faults.apply(world, cmd)
        if emit is not None:
            frame = take_frame(world.net.rec, ends, world.nodes, t0, t1, max(0, int(cap)))
            extra = frame_extras(world, t1)
            if extra:
                frame["protocols"] = extra
            finished = feed.finished(world.traces)
            if finished:
                frame["traces"] = finished
            emit(frame)
            emit(window.metrics(t1, t1 - t0))
            emit(
                {
                    "type": "progress",
                    "sim_time_s": rnd(t1),
                    "duration_s": rnd(duration),
                    "events": kernel.events,
                }
            )
        t0 = t1


class _Window:
    """Per-window metrics: folds the clients' arrays from where the last window stopped."""

    def __init__(self, world: World) -> None:
        self.clients = [n for n in world.nodes if isinstance(n, Client)]
        self.cursor = [0] * len(self.clients)

    def metrics(self, t: float, window_s: float) -> dict:
        lat: list[float] = []
        requests = completed = failed = 0
        for i, c in enumerate(self.clients):
            n = len(c.done)
            lat.extend(c.done.column(1, self.cursor[i]))
            self.cursor[i] = n
            requests += c.issued
            completed += n
            failed += len(c.fail_t0)
        s = summary(lat, 1000.0)
        return {
            "type": "metrics",
            "t": rnd(t),
            "window_s": rnd(window_s),
            "throughput_rps": rnd(len(lat) / window_s) if window_s > 0 else 0.0,
            "latency_ms": {k: s[k] for k in ("mean", "p50", "p95", "p99")},
            "requests": requests,
            "completed": completed,
            "failed": failed,
        }


def build_result(world: World, seed: int, duration: float) -> dict[str, Any]:
    """The `topolab.result/1` dict (without wall_s) folded from the nodes' records."""
    end = duration
    nodes = {n.id: n.result(end) for n in world.nodes}
    clients = [n for n in world.nodes if isinstance(n, Client)]
    w = world.warmup
    requests = sum(nodes[c.id]["requests"] for c in clients)
    failed = sum(nodes[c.id]["failed"] for c in clients)
    if len(clients) == 1:  # the client's own fold is the summary: don't sort twice
        latency = nodes[clients[0].id]["latency_ms"]
        completed = nodes[clients[0].id]["completed"]
    else:
        lat: list[float] = []
        for c in clients:
            lat.extend(c.latencies(w))
        latency, completed = summary(lat, 1000.0), len(lat)
    span = end - w
    return {
        "format": "topolab.result/1",
        "seed": seed,
        "sim_time_s": rnd(end),
        "events": world.kernel.events,
        "wall_s": 0.0,
        "summary": {
            "requests": requests,
            "completed": completed,
            "failed": failed,
            "throughput_rps": rnd(completed / span) if span > 0 else 0.0,
            "latency_ms": dict(latency),
        },
        "nodes": nodes,
        "protocols": protocol_results(world, end),
        **({"traces": trace_spans(world.traces)} if world.traces is not None else {}),
    }


def frame_extras(world: World, t: float) -> dict[str, Any]:
    """`frame["protocols"]`: per-protocol view state at `t` (roles, terms, rings...).

    Asked like `protocol_results`, of each kind class present, once per frame; absent when no
    kind has anything to show, so request/response frames stay as small as before.
    """
    out: dict[str, Any] = {}
    for cls, members in world.groups:
        out.update(cls.frame_state(world, members, t))
    return out


def protocol_results(world: World, end: float) -> dict[str, Any]:
    """`result["protocols"]`: what each kind class present says about its protocol.

    Kinds are asked in registry order with all their nodes at once (a protocol is a property of
    the group, not of one node), so only protocols the scenario uses appear.
    """
    out: dict[str, Any] = {}
    for cls, members in world.groups:
        out.update(cls.protocol_result(world, members, end))
    return out
