"""Links between nodes: latency, jitter, bandwidth, loss, cuts and partitions.

Model: every scenario edge is one `Link`, directed for requests (source -> target) and carrying
responses back (target -> source). A message sent at `now` arrives after
`latency + U(0, jitter) + queueing + size / bandwidth`: each direction of a link is a FIFO
transmitter (`free_fwd`/`free_rev` hold when it is next idle), so a saturated link queues.
A message is lost (silently: only a timeout notices) with probability `loss`, or when the link
is cut, or when its ends sit in different partition groups. Nodes listed in a partition's
`groups` get group 1, 2, ...; every node not listed stays in group 0 together.

Fast path: a link with no jitter, bandwidth, loss, cut or partition is `simple`, and a send on it
is one heap push. `simple` is recomputed whenever a cut, restore, partition or heal happens.
A message whose transit time is exactly 0 is delivered by calling the receiver at once (no
heap entry; up to MAX_DIRECT_DEPTH nested deliveries, then through the heap at the same
instant): the same simulated time, fewer kernel events. Receivers must therefore tolerate
being re-entered from their own `send` (e.g. an error answer arriving before `send` returns).
`Link.direct` marks a simple zero-latency link of a run that records nothing: hot paths test it
and call the receiver themselves; a recording run sends everything through
`send`, which records first. Kernel callbacks always start at depth 0 (every direct delivery
restores the depth it found), so a hot callback may set the depth to 1 and back to 0 around its
first delivery instead of testing and counting.
With recording on, each transmission appends one tuple `(ts, dt, code, kind)` to `rec`, where
`code` is `2 * link + direction` (`Link.cf`/`Link.cr`) or `-1 - node` for a local mark; the
recorder decodes it into src/dst/edge columns (see recorder.py). A message of a request sampled
for tracing appends `(ts, dt, code, kind, trace_id, span_id)` instead (`traced_row`), so the
browser can link the token to its trace. With recording off, `rec` is None and nothing is stored.
"""

from __future__ import annotations

from collections.abc import Callable
from heapq import heappush
from typing import TYPE_CHECKING, Any

from apps.engine.kernel import PRIO_MODEL, Kernel
from apps.engine.rng import substream

if TYPE_CHECKING:
    from apps.engine.kinds.base import Node

# Indexes into MESSAGE_KINDS (apps/engine/__init__.py re-exports the tuple).
MESSAGE_KINDS: tuple[str, ...] = (
    "request",
    "response",
    "error",
    "timeout",
    "retry",
    "event",
    "ack",
    "vote",
    "heartbeat",
    "replication",
    "prepare",
    "promise",
    "accept",
    "accepted",
    "learn",
    "compensation",
    "query",
    "lookup",
    "piece",
    "health_check",
)
K_REQUEST, K_RESPONSE, K_ERROR, K_TIMEOUT, K_RETRY = range(5)
K_HEALTH = MESSAGE_KINDS.index("health_check")
# Nested zero-latency deliveries made as direct calls before falling back to the heap; bounds
# the Python stack on long zero-latency chains.
MAX_DIRECT_DEPTH = 40


class Link:
    """One scenario edge at run time."""

    __slots__ = (
        "bw",
        "cf",
        "cr",
        "direct",
        "dst",
        "free_fwd",
        "free_rev",
        "id",
        "index",
        "jitter",
        "lat",
        "loss",
        "quiet",
        "rng",
        "simple",
        "src",
        "up",
        "weight",
    )

    def __init__(self, index: int, spec: Any, src: Node, dst: Node, default_ms: float, seed: int):
        p = spec.params
        self.index = index
        self.cf = 2 * index  # recorder codes: forward (request direction) / reverse
        self.cr = 2 * index + 1
        self.id: str = spec.id
        self.src = src
        self.dst = dst
        lat_ms = default_ms if p.latency_ms is None else p.latency_ms
        self.lat = lat_ms / 1000.0
        self.jitter = p.jitter_ms / 1000.0
        # bytes per second; 0 means "infinitely fast" (no serialisation delay)
        self.bw = (p.bandwidth_mbps or 0.0) * 1e6 / 8.0
        self.loss = p.loss
        self.weight = p.weight
        self.up = True
        self.free_fwd = 0.0
        self.free_rev = 0.0
        self.rng = substream(seed, f"edge:{spec.id}")
        self.simple = False
        self.direct = False
        self.quiet = True  # nothing is recorded (set by Network)

    def refresh(self) -> None:
        """Recompute the fast-path flag after a fault changed this link or its ends."""
        self.simple = (
            self.up
            and not self.jitter
            and not self.bw
            and not self.loss
            and self.src.group == self.dst.group
        )
        # zero transit, nothing to record: hot paths may call the receiver themselves
        self.direct = self.simple and self.lat == 0.0 and self.quiet


def traced_row(now: float, d: float, code: int, kind: int, call: Any) -> tuple:
    """The recorded row of a message of a traced call: its trace id and span id appended."""
    return (now, d, code, kind, call.req.id, call.span)


class Network:
    """Sends messages over links by scheduling their delivery on the kernel."""

    __slots__ = ("depth", "heap", "k", "links", "rec", "seq")

    def __init__(self, kernel: Kernel, links: list[Link], recording: bool) -> None:
        self.k = kernel
        self.depth = 0
        self.heap = kernel.heap
        self.seq = kernel.seq
        self.links = links
        self.rec: list[tuple] | None = [] if recording else None
        for link in links:
            link.quiet = not recording
            link.refresh()

    def send(
        self, link: Link, fwd: bool, kind: int, fn: Callable[[Any], object], arg: Any, size: int
    ) -> None:
        """Deliver `fn(arg)` at the far end of `link` (forward: source -> target)."""
        now = self.k.now
        if link.simple:
            d = link.lat
        else:
            d = self._delay(link, fwd, size, now)
            if d is None:
                return
        rec = self.rec
        if rec is not None:
            code = link.cf if fwd else link.cr
            if getattr(arg, "tr", None) is None:  # (args are Calls but for probes and overlays)
                rec.append((now, d, code, kind))
            else:
                rec.append(traced_row(now, d, code, kind, arg))
        if d == 0.0 and self.depth < MAX_DIRECT_DEPTH:
            # zero transit: deliver now, without a heap round trip (see module docstring)
            self.depth += 1
            fn(arg)
            self.depth -= 1
        else:
            heappush(self.heap, (now + d, PRIO_MODEL, next(self.seq), fn, arg))

    def _delay(self, link: Link, fwd: bool, size: int, now: float) -> float | None:
        """Transit time on the slow path, or None when the message is lost."""
        if not link.up or link.src.group != link.dst.group:
            return None
        rng = link.rng
        if link.loss and rng.random() < link.loss:
            return None
        d = link.lat
        if link.jitter:
            d += link.jitter * rng.random()
        if link.bw:
            ser = size / link.bw
            if fwd:
                start = max(now, link.free_fwd)
                link.free_fwd = start + ser
            else:
                start = max(now, link.free_rev)
                link.free_rev = start + ser
            d += start - now + ser
        return d

    def mark(self, node: Node, kind: int) -> None:
        """Record a local event (e.g. a timeout) at `node` for the animation: dt 0, edge -1."""
        if self.rec is not None:
            self.rec.append((self.k.now, 0.0, -1 - node.index, kind))

    def set_partition(self, nodes: list[Node], groups: list[list[Node]] | None) -> None:
        """Split nodes into groups (None heals): messages between groups are lost."""
        for node in nodes:
            node.group = 0
        for gi, members in enumerate(groups or (), start=1):
            for node in members:
                node.group = gi
        for link in self.links:
            link.refresh()
