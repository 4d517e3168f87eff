"""An implicit full mesh among the members of a protocol group (e.g. all raft servers).

Model: every member can message every other member. Where the scenario draws an edge between
two members (either direction), the message uses that edge: its latency, jitter, loss and cut
state, and it is animated on that edge. Otherwise it takes `settings.default_latency_ms`, is
never lost, and is animated as a mark at the sender (there is no edge to draw it on). In both
cases a message between different partition groups is lost (checked at send time, as
network.py does), and a message to a node that is down when it arrives is dropped by the
receiver. Deliveries always go through the heap (never a direct call), so handlers are never
re-entered from their own sends.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from heapq import heappush
from typing import TYPE_CHECKING, Any

from apps.engine.kernel import PRIO_MODEL
from apps.engine.network import K_ERROR, K_RESPONSE, MESSAGE_KINDS

if TYPE_CHECKING:
    from apps.engine.kinds.base import Node, World
    from apps.engine.network import Link


class ProxiedCommands:
    """For cluster kinds whose servers proxy client commands to the leader (Raft, Multi-Paxos).

    A command that reached a follower first is answered back through it: `_answer` replies
    directly when this server received the command, else sends the outcome over the mesh to the
    proxying server, whose `_on_relay` replies to the client. Mixed in before `Node`; the kind
    provides `_mesh()`.
    """

    __slots__ = ()

    def _mesh(self) -> Mesh:
        raise NotImplementedError

    def _answer(self, call: Any, ok: bool) -> None:
        proxy = call.link.dst
        if proxy is self:
            self.reply(call, ok)  # type: ignore[attr-defined]
        else:
            call.ok = ok
            kind = K_RESPONSE if ok else K_ERROR
            self._mesh().send(self, proxy, kind, proxy._on_relay, call)

    def _on_relay(self, call: Any) -> None:
        if self.up:  # type: ignore[attr-defined]
            self.reply(call, bool(getattr(call, "ok", False)))  # type: ignore[attr-defined]


class Mesh:
    """Sends protocol messages between group members; counts them per message kind."""

    __slots__ = ("heap", "k", "lat", "net", "route", "sent", "seq")

    def __init__(self, world: World, members: Sequence[Node]) -> None:
        self.k = world.kernel
        self.heap = world.kernel.heap
        self.seq = world.kernel.seq
        self.net = world.net
        self.lat = world.default_lat
        self.sent = [0] * len(MESSAGE_KINDS)
        inside = {n.index for n in members}
        # (src index, dst index) -> (link, forward?); the first drawn edge of a pair wins
        self.route: dict[tuple[int, int], tuple[Link, bool]] = {}
        for link in world.links:
            a, b = link.src.index, link.dst.index
            if a in inside and b in inside and a != b:
                self.route.setdefault((a, b), (link, True))
                self.route.setdefault((b, a), (link, False))

    def send(self, src: Node, dst: Node, kind: int, fn: Callable[[Any], object], msg: Any) -> None:
        """Deliver `fn(msg)` at `dst` after the pair's transit time, unless lost."""
        self.sent[kind] += 1
        if src.group != dst.group:
            return
        now = self.k.now
        hop = self.route.get((src.index, dst.index))
        if hop is None:
            d = self.lat
            code = -1 - src.index
        else:
            link, fwd = hop
            if not link.up:
                return
            rng = link.rng
            if link.loss and rng.random() < link.loss:
                return
            d = link.lat + (link.jitter * rng.random() if link.jitter else 0.0)
            code = link.cf if fwd else link.cr
        rec = self.net.rec
        if rec is not None:
            rec.append((now, d, code, kind))
        heappush(self.heap, (now + d, PRIO_MODEL, next(self.seq), fn, msg))

    def counts(self) -> dict[str, int]:
        """Messages sent so far by kind name (lost ones included), kinds never used omitted."""
        return {MESSAGE_KINDS[i]: n for i, n in enumerate(self.sent) if n}
