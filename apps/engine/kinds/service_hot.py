"""The service's hottest paths, fused by hand (a mixin of `Service`, see kinds/service.py).

Model: exactly `Service._worked` + `_finish` (leaf) and `_worked` + `_send_sub` + `_next_job`
(forward), with `Network.send`'s zero-latency branch and the exponential draw inlined: one
Python call per step instead of four (forward answers: `Service.on_reply` relays them with
`_relay` + `Node.reply` fused in its forward branch). They must stay equivalent to the
readable forms (the tests compare recorded and unrecorded runs and check every queueing
result against theory); change both together.
"""

from __future__ import annotations

from heapq import heappush
from math import log
from typing import TYPE_CHECKING

from apps.engine.kernel import PRIO_MODEL
from apps.engine.kinds.base import Call, SubCall, close_span, new_call
from apps.engine.network import K_REQUEST, K_RESPONSE, MAX_DIRECT_DEPTH

if TYPE_CHECKING:
    from apps.engine.kinds.service import Service


class HotPaths:
    __slots__ = ()

    def _worked_leaf(self: Service, call: Call) -> None:
        """`_worked` + `_finish(call, True)` fused, for services without downstream calls."""
        active = self.active
        if active.pop(call, 1) is not None:  # values are None: 1 means it was not there
            return  # crashed meanwhile
        now = self.k.now
        self.f_arr.append(call.t_arr)
        self.f_st.append(call.t_st)
        self.f_en.append(now)
        call.ok = True
        if call.tr is not None:
            close_span(call, now, True)
        link = call.link
        net = self.net
        if link.direct and net.depth < MAX_DIRECT_DEPTH:
            # Network.send's zero-latency path, inlined (same semantics, one call less)
            rec = net.rec
            if rec is not None:
                rec.append((now, 0.0, link.cr, K_RESPONSE))
            net.depth += 1
            call.caller.on_reply(call)
            net.depth -= 1
        else:
            net.send(link, False, K_RESPONSE, call.caller.on_reply, call, self.rsize)
        q = self.queue
        if not q:
            self.busy -= 1
            return
        self.qarea += len(q) * (now - self.qlast)
        self.qlast = now
        nxt = q.popleft()
        nxt.t_st = now
        active[nxt] = None
        m = self.expo_mean
        d = -log(1.0 - self.random()) * m if m else self.draw()
        heappush(self.heap, (now + d * self.slow, PRIO_MODEL, next(self.seq), self.worked_cb, nxt))

    def _worked_fwd(self: Service, call: Call) -> None:
        """Forward mode: record, pass the request on to the next target, take the next job."""
        active = self.active
        if active.pop(call, 1) is not None:  # values are None: 1 means it was not there
            return  # crashed meanwhile
        now = self.k.now
        self.f_arr.append(call.t_arr)
        self.f_st.append(call.t_st)
        self.f_en.append(now)
        out = self.out
        link = out[self.rr]
        if len(out) > 1:
            self.rr = (self.rr + 1) % len(out)
        if call.tr is None:  # Call(self, link, call, call.req) without reading call.req
            sub = new_call(SubCall)
            sub.caller = self
            sub.link = link
            sub.ctx = call
            sub.done = False
            sub.tr = None
        else:
            sub = Call(self, link, call, call.req)
        if self.to is not None:
            heappush(self.heap, (now + self.to, PRIO_MODEL, next(self.seq), self._timeout, sub))
        net = self.net
        if link.direct and net.depth < MAX_DIRECT_DEPTH:
            rec = net.rec
            if rec is not None:
                rec.append((now, 0.0, link.cf, K_REQUEST))
            net.depth += 1
            link.dst.on_request(sub)
            net.depth -= 1
        else:
            net.send(link, True, K_REQUEST, link.dst.on_request, sub, self.qsize)
        q = self.queue
        if not q:
            self.busy -= 1
            return
        self.qarea += len(q) * (now - self.qlast)
        self.qlast = now
        nxt = q.popleft()
        nxt.t_st = now
        active[nxt] = None
        m = self.expo_mean
        d = -log(1.0 - self.random()) * m if m else self.draw()
        heappush(self.heap, (now + d * self.slow, PRIO_MODEL, next(self.seq), self.worked_cb, nxt))
