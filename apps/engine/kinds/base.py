"""What every node kind shares: the `Node` base class, the `Call` record and `World`.

Model: a node reacts to deliveries scheduled by the network. A request travels as a `Call`
created by the caller: the callee keeps its own bookkeeping on the same object (arrival and start
times, progress through its own downstream calls) and answers with `reply(call, ok)`, which
sends a `response` (ok) or an `error` back over the same link, delivered to
`call.caller.on_reply(call)`. A caller that gave up (timeout) sets `call.done`, so a late answer
is ignored. A node that is down answers every request with an error (connection refused).

A kind is a subclass with `KIND` (its scenario name), `Params` (its pydantic params model) and
`result()`; it registers itself in kinds/__init__.py.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from apps.engine.metrics import Tape, rnd
from apps.engine.network import K_ERROR, K_RESPONSE, MAX_DIRECT_DEPTH, Link, Network
from apps.engine.params import Strict

if TYPE_CHECKING:
    from apps.engine.kernel import Kernel


class World:
    """Everything a node may reach: the clock, the network, the run's seed and window."""

    __slots__ = (
        "default_lat",
        "duration",
        "groups",
        "kernel",
        "links",
        "net",
        "nodes",
        "seed",
        "tapes",
        "traces",
        "warmup",
    )

    def __init__(self, kernel: Kernel, seed: int, warmup: float, duration: float) -> None:
        self.kernel = kernel
        self.seed = seed
        self.warmup = warmup
        self.duration = duration
        self.nodes: list[Node] = []
        self.links: list[Link] = []
        # (kind class, its nodes) in registry order, for protocol-level hooks
        self.groups: list[tuple[type[Node], list[Node]]] = []
        self.net: Network | None = None
        self.default_lat = 0.001  # settings.default_latency_ms in s, for implicit meshes
        # sampled requests (TracedReq), when some client traces; see `trace_spans`
        self.traces: list[TracedReq] | None = None
        self.tapes: list[Tape] = []
        kernel.tick = self.flush_tapes

    def tape(self, width: int) -> Tape:
        """A new `Tape` of records of `width` floats, flushed by the kernel's tick."""
        tape = Tape(width)
        self.tapes.append(tape)
        return tape

    def flush_tapes(self) -> None:
        """Move what hot paths appended since the last tick into the tapes' arrays."""
        for tape in self.tapes:
            if tape.rows:
                tape.flush()


class Req:
    """What a user request is about, shared by every hop and retry it causes.

    Created once per request by the client and handed on unchanged by every node that calls
    downstream on its behalf (`Call(self, link, parent, parent.req)`), so a cache, a shard
    router or a sticky balancer four hops away sees the same operation, key and session.
    `id` is unique per run (the client's index and its request counter): the trace id and the
    idempotency key of the request.

    An open-workload client creates a `LazyReq`: `op`, `key` and `session` are then derived on
    first read from a counter-based hash of (client stream, id), so requests nobody inspects
    (most of them, in a plain queueing model) cost no random draws; the client's hot path
    goes further and builds the `LazyReq` itself only when something reads `call.req` (see
    `LazyCall`), so such a request is one object in all.
    """

    __slots__ = ("_key", "_op", "_session", "gen", "id")

    READ = 0
    WRITE = 1
    trace = None  # a TracedReq's span list (a class attribute: untraced requests store nothing)

    def __init__(self, id: int, op: int, key: int, session: int) -> None:
        self.id = id
        self.gen = None
        self._op = op
        self._key = key
        self._session = session

    def _fill(self) -> None:
        self._op, self._key, self._session = self.gen.fields(self.id)
        self.gen = None

    @property
    def op(self) -> int:
        if self.gen is not None:
            self._fill()
        return self._op

    @property
    def key(self) -> int:
        if self.gen is not None:
            self._fill()
        return self._key

    @property
    def session(self) -> int:
        if self.gen is not None:
            self._fill()
        return self._session


class LazyReq(Req):
    """A `Req` whose op, key and session come from `gen.fields(id)` when first read."""

    __slots__ = ()

    def __init__(self, id: int, gen: Any) -> None:
        self.id = id
        self.gen = gen


class TracedReq(LazyReq):
    """A sampled request: every hop it causes appends a span to `trace`.

    A span is `[span_id, parent_span_id, node_id, start_s, end_s, ok]`: span 0 is the client's
    (the whole request, retries included); each `Call` made on the request's behalf opens the
    next span when sent (parent: the span of the call it serves) and closes it when its callee
    answers (`Node.reply` and the fused reply paths call `close_span`).
    """

    __slots__ = ("trace",)

    def __init__(self, id: int, gen: Any, t0: float, node_id: str) -> None:
        self.id = id
        self.gen = gen
        self.trace: list[list] = [[0, None, node_id, t0, None, None]]


def close_span(call: Call, now: float, ok: bool) -> None:
    """The callee answered a traced call: end its span."""
    span = call.tr[call.span]
    span[4] = now
    span[5] = ok


def trace_spans(traces: list[TracedReq]) -> list[dict]:
    """result["traces"]: spans in ms (6 significant digits), unfinished ones with end None."""
    out = []
    for req in traces:
        spans = [
            {
                "span_id": s[0],
                "parent": s[1],
                "node": s[2],
                "start_ms": rnd(s[3] * 1000.0),
                "end_ms": None if s[4] is None else rnd(s[4] * 1000.0),
                "ok": s[5],
            }
            for s in req.trace
        ]
        out.append({"trace_id": req.id, "spans": spans})
    return out


NO_REQ = Req(0, Req.READ, 0, 0)  # for calls no user request caused (health checks, probes)


class Call:
    """One request over one link, and the callee's bookkeeping for it."""

    # Caller side: caller, link, ctx (the caller's context: first send time for a client, the
    # parent call for a service), req (the user request behind it), attempt, done. Callee side:
    # ok (set by reply), t_arr, t_st, step. `tag` and `slept` are the client's (breaker epoch
    # of the attempt, last retry backoff). `tr` is `req.trace` (None unless sampled), copied so
    # hot paths test tracing with one slot load and without touching `req` (see LazyCall).
    # Only what every path needs is set here: this runs once per message hop.
    __slots__ = (
        "attempt",
        "caller",
        "ctx",
        "done",
        "link",
        "ok",
        "req",
        "slept",
        "span",
        "step",
        "t_arr",
        "t_st",
        "tag",
        "tr",
    )

    def __init__(self, caller: Node, link: Link, ctx: Any, req: Req = NO_REQ) -> None:
        self.caller = caller
        self.link = link
        self.ctx = ctx
        self.req = req
        self.done = False
        self.tr = tr = req.trace
        if tr is not None:  # sampled for tracing: open this hop's span
            self.span = len(tr)
            parent = ctx.span if type(ctx) is Call else 0
            tr.append([self.span, parent, link.dst.id, caller.k.now, None, None])


_req_slot = Call.__dict__["req"]  # the slot itself, for subclasses that make `req` lazily
_req_get = _req_slot.__get__
_req_set = _req_slot.__set__


class LazyCall(Call):
    """A client's untraced first attempt: its `LazyReq` is made on first read of `req`, so a
    request nobody inspects is one object, not two. Built by the client's hot path with
    `LazyCall()`, which runs no `__init__` frame (`object.__init__`): caller, link, ctx, done
    and `num` (the client's request counter) are set by hand; `tr` and `attempt` are class
    attributes (never written for a first attempt), so they cost no store per request.
    """

    __slots__ = ("num",)
    __init__ = object.__init__
    tr = None
    attempt = 1

    @property
    def req(self) -> Req:
        try:
            return _req_get(self)
        except AttributeError:  # first read: the request id as Client._new_req makes it
            caller = self.caller
            r = LazyReq((caller.index << 40) | self.num, caller.fields)
            _req_set(self, r)
            return r

    @req.setter
    def req(self, value: Req) -> None:
        _req_set(self, value)


class SubCall(Call):
    """An untraced call a service makes on behalf of `ctx` (the call it serves): same request
    as its parent, read from it only when someone asks (`req` is `ctx.req`).
    Built by hand like `LazyCall` (caller, link, ctx, done); `tr` is a class attribute.
    """

    __slots__ = ()
    __init__ = object.__init__
    tr = None

    @property
    def req(self) -> Req:
        return self.ctx.req


class Node:
    """Base of all kinds. Subclasses override the `on_*` hooks they need."""

    KIND: ClassVar[str] = ""
    Params: ClassVar[type[Strict]] = Strict
    CONSENSUS: ClassVar[bool] = False  # can resolve "@leader" in faults

    __slots__ = (
        "group",
        "heap",
        "id",
        "index",
        "k",
        "net",
        "out",
        "params",
        "seq",
        "slow",
        "up",
        "world",
    )

    def __init__(self, world: World, spec: Any, index: int) -> None:
        self.id: str = spec.id
        self.index = index
        self.params = spec.params
        self.world = world
        self.k = world.kernel
        self.heap = world.kernel.heap
        self.seq = world.kernel.seq
        self.net: Network = None  # type: ignore[assignment]  # set by simulate.build_world
        self.out: list[Link] = []
        self.up = True
        self.slow = 1.0
        self.group = 0

    # life cycle ------------------------------------------------------------------------------
    def start(self) -> None:
        """Schedule the node's first events (called once, at t=0)."""

    def reset_window(self) -> None:
        """Forget time-weighted statistics gathered before the warmup boundary."""

    def crash(self) -> None:
        self.up = False

    def restart(self) -> None:
        self.up = True

    def set_slow(self, factor: float) -> None:
        self.slow = factor

    # messages --------------------------------------------------------------------------------
    def on_request(self, call: Call) -> None:
        """A request arrived; kinds that serve requests override this."""
        self.reply(call, False)

    def on_reply(self, call: Call) -> None:
        """An answer to one of this node's own calls arrived."""

    def reply(self, call: Call, ok: bool, size: int = 256) -> None:
        """Answer `call` over the link it came on: `response` if ok, else `error`."""
        call.ok = ok
        if call.tr is not None:
            close_span(call, self.k.now, ok)
        kind = K_RESPONSE if ok else K_ERROR
        link = call.link
        net = self.net
        if link.direct and net.depth < MAX_DIRECT_DEPTH:
            # Network.send's zero-latency path, inlined (same semantics, one call less)
            net.depth += 1
            call.caller.on_reply(call)
            net.depth -= 1
        else:
            net.send(link, False, kind, call.caller.on_reply, call, size)

    def request(self, link: Link, call: Call, kind: int, size: int) -> None:
        """Send `call` over `link` to its target's `on_request`."""
        net = self.net
        if link.direct and net.depth < MAX_DIRECT_DEPTH:
            # Network.send's zero-latency path, inlined (same semantics, one call less)
            net.depth += 1
            link.dst.on_request(call)
            net.depth -= 1
        else:
            net.send(link, True, kind, link.dst.on_request, call, size)

    # observation -----------------------------------------------------------------------------
    def state(self) -> tuple[int, int, int]:
        """(queue length, busy workers, up) for frames."""
        return 0, 0, 1 if self.up else 0

    def result(self, end: float) -> dict:
        """The node's entry in result["nodes"] for the window [warmup, end]."""
        return {"kind": self.KIND}

    @classmethod
    def protocol_result(cls, world: World, members: list[Node], end: float) -> dict[str, Any]:
        """Entries for result["protocols"] (e.g. {"raft": {...}}) from all nodes of this kind.

        Kinds that take part in a protocol override this; exactly one kind per protocol does.
        """
        return {}

    @classmethod
    def frame_state(cls, world: World, members: list[Node], t: float) -> dict[str, Any]:
        """Entries for a frame's optional "protocols" key: view state at simulated time `t`.

        E.g. {"raft": {"role": [...], "term": [...]}} with one entry per member, in member
        order. Called once per frame only when recording; keep it small (it goes to every viewer).
        """
        return {}
