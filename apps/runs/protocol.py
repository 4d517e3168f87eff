"""The run websocket protocol (docs/architecture.md section 2), typed once.

Mirrored by ``frontend/src/net/protocol.ts``; change both together and bump PROTOCOL_VERSION on
any incompatible change. Messages that belong to a run's log carry ``run_id`` and ``seq``
(1, 2, 3, ... with no gaps); ``status`` and ``pong`` are per-connection and never logged.
"""

from __future__ import annotations

from typing import Any, Literal, NotRequired, TypedDict

PROTOCOL_VERSION = 1

RunStatus = Literal["queued", "running", "done", "failed", "cancelled"]
TERMINAL_STATUSES: frozenset[str] = frozenset({"done", "failed", "cancelled"})
LOGGED_TYPES: frozenset[str] = frozenset({"frame", "metrics", "progress", "done", "error"})


class FrameEvents(TypedDict):
    """Message transmissions starting in [t0, t1): equal-length columns."""

    ts: list[float]  # send time, simulated seconds
    dt: list[float]  # transit time, seconds
    src: list[int]  # index into scenario.nodes
    dst: list[int]  # index into scenario.nodes
    edge: list[int]  # index into scenario.edges, -1 if none
    kind: list[int]  # index into apps.engine.MESSAGE_KINDS


class FrameNodes(TypedDict):
    """Per scenario node, its state at t1."""

    q: list[int]  # queue length
    busy: list[int]  # busy workers
    up: list[int]  # 1 up, 0 down


class FrameTraced(TypedDict):
    """Events of requests sampled for tracing (sparse: most events have none)."""

    row: list[int]  # index into the events columns
    trace: list[int]  # trace id (result["traces"][k]["trace_id"])
    span: list[int]  # span id within that trace


class FrameMessage(TypedDict):
    type: Literal["frame"]
    run_id: str
    seq: int
    t0: float
    t1: float
    events: FrameEvents
    total: int  # message events in the window before sampling
    nodes: FrameNodes
    protocols: NotRequired[dict[str, Any]]  # per-protocol view state at t1
    traced: NotRequired[FrameTraced]
    traces: NotRequired[list[dict[str, Any]]]  # sampled requests finished in the window


class LatencySummary(TypedDict):
    mean: float
    p50: float
    p95: float
    p99: float


class MetricsMessage(TypedDict):
    type: Literal["metrics"]
    run_id: str
    seq: int
    t: float
    window_s: float
    throughput_rps: float
    latency_ms: LatencySummary  # of requests completed in the window; 0 when none
    requests: int  # cumulative
    completed: int
    failed: int


class ProgressMessage(TypedDict):
    type: Literal["progress"]
    run_id: str
    seq: int
    sim_time_s: float
    duration_s: float
    events: int  # kernel events so far


class DoneMessage(TypedDict):
    type: Literal["done"]
    run_id: str
    seq: int
    status: Literal["done"]
    result: dict[str, Any]  # topolab.result/1


class ErrorMessage(TypedDict):
    type: Literal["error"]
    run_id: str
    seq: NotRequired[int]  # absent for per-connection errors (bad JSON, unknown type)
    error: str
    details: list[Any]
    status: NotRequired[Literal["failed", "cancelled"]]  # present when the run ended


class StatusMessage(TypedDict):
    type: Literal["status"]
    run_id: str
    status: RunStatus
    last_seq: int
    protocol: int  # PROTOCOL_VERSION


class PongMessage(TypedDict):
    type: Literal["pong"]


ServerMessage = (
    FrameMessage
    | MetricsMessage
    | ProgressMessage
    | DoneMessage
    | ErrorMessage
    | StatusMessage
    | PongMessage
)


class PingRequest(TypedDict):
    type: Literal["ping"]


class ResyncRequest(TypedDict):
    type: Literal["resync"]
    after: int  # re-send every logged message with seq > after


class ControlRequest(TypedDict):
    """A live fault (apps.runs.live): a scenario fault without ``at_s``, applied at the next
    frame boundary. Invalid ones answer an ``error`` and change nothing."""

    type: Literal["control"]
    action: Literal["crash", "restart", "slow", "cut", "restore", "partition", "heal"]
    node: NotRequired[str]
    edge: NotRequired[str]
    factor: NotRequired[float]
    groups: NotRequired[list[list[str]]]


class PaceRequest(TypedDict):
    """The viewer's playhead (simulated s) and speed, sent every second or so while watching;
    the worker then stays a few simulated seconds ahead instead of running to the end."""

    type: Literal["pace"]
    t: float
    speed: float


ClientMessage = PingRequest | ResyncRequest | ControlRequest | PaceRequest

# Largest browser -> server text accepted on the run socket; real ones are tens of bytes.
MAX_CLIENT_MESSAGE_BYTES = 4096
