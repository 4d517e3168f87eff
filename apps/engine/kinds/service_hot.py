"""The service's hottest paths, fused by hand (a mixin of `Service`, see kinds/service.py).

Model: exactly `Service._worked` + `_finish` (leaf) and `_worked` + `_send_sub` + `_next_job`
(forward), with `Network.send`'s zero-latency branch, `_record` and the exponential draw
inlined: one Python call per step instead of four (forward answers: `Service.on_reply` relays
them with `_relay` + `Node.reply` fused in its forward branch). These modes keep no `active`
dict: a call holds a worker exactly while its entry waits in the heap (a crash takes the
entries out, see `Service.crash`). Both are kernel callbacks, so the network depth is 0 on
entry (see network.py). They must stay equivalent to the readable forms (the tests compare
recorded and unrecorded runs and check every queueing result against theory); change both
together.
"""

from __future__ import annotations

from heapq import heappush
from math import log1p
from typing import TYPE_CHECKING

from apps.engine.kernel import PRIO_MODEL
from apps.engine.kinds.base import Call, SubCall, close_span
from apps.engine.network import K_REQUEST, K_RESPONSE

if TYPE_CHECKING:
    from apps.engine.kinds.service import Service


class HotPaths:
    __slots__ = ()

    def _worked_leaf(self: Service, call: Call) -> None:
        """`_worked` + `_finish(call, True)` fused, for services without downstream calls."""
        now = self.k.now
        arr = call.t_arr
        if arr >= self.since:  # `_record`, inlined
            rows = self.rows
            rows.append(call.t_st - arr)
            rows.append(now - arr)
        else:
            self._off_tape(arr, call.t_st, now)
        call.ok = True
        if call.tr is not None:
            close_span(call, now, True)
        link = call.link
        if link.direct:
            net = self.net
            net.depth = 1
            call.caller.on_reply(call)
            net.depth = 0
        else:
            self.net.send(link, False, K_RESPONSE, call.caller.on_reply, call, self.rsize)
        q = self.queue
        if not q:
            self.busy -= 1
            return
        nxt = q.popleft()
        nxt.t_st = now
        m = self.expo_mean
        d = -log1p(-self.random()) * m if m else self.draw() * self.slow
        heappush(self.heap, (now + d, PRIO_MODEL, next(self.seq), self.worked_cb, nxt))

    def _worked_fwd(self: Service, call: Call) -> None:
        """Forward mode: record, pass the request on to the next target, take the next job."""
        now = self.k.now
        arr = call.t_arr
        if arr >= self.since:  # `_record`, inlined
            rows = self.rows
            rows.append(call.t_st - arr)
            rows.append(now - arr)
        else:
            self._off_tape(arr, call.t_st, now)
        link = self.link1
        if link is None:  # several targets: round robin
            out = self.out
            link = out[self.rr]
            self.rr = (self.rr + 1) % len(out)
        if call.tr is None:  # Call(self, link, call, call.req) without reading call.req
            sub = SubCall()
            sub.caller = self
            sub.link = link
            sub.ctx = call
            sub.done = False
        else:
            sub = Call(self, link, call, call.req)
        if self.to is not None:
            heappush(self.heap, (now + self.to, PRIO_MODEL, next(self.seq), self._timeout, sub))
        if link.direct:
            net = self.net
            net.depth = 1
            link.dst.on_request(sub)
            net.depth = 0
        else:
            self.net.send(link, True, K_REQUEST, link.dst.on_request, sub, self.qsize)
        q = self.queue
        if not q:
            self.busy -= 1
            return
        nxt = q.popleft()
        nxt.t_st = now
        m = self.expo_mean
        d = -log1p(-self.random()) * m if m else self.draw() * self.slow
        heappush(self.heap, (now + d, PRIO_MODEL, next(self.seq), self.worked_cb, nxt))
