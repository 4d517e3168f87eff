"""Flow control for run websockets: what one viewer may cost the server, in and out.

Outbound: Daphne has no backpressure (daphne#170); every ``send`` lands in the Twisted
transport's write buffer, which grows without bound while a viewer does not read. The consumer
asks ``buffered_bytes`` before each live batch; above ``RUN_VIEWER_BUFFER_BYTES`` it stops
writing and only remembers the last seq it sent (latest wins: the log holds the rest), resumes
from the log once the buffer drains, and closes the socket with ``CLOSE_TOO_SLOW`` if it has not
drained within ``RUN_VIEWER_STALL_S``.

Inbound: a token bucket per socket (``RUN_SOCKET_RATE`` per second, ``RUN_SOCKET_BURST`` deep),
and a cap on the messages Daphne has queued for the consumer (``inbound_backlog``); a socket
over either is closed with 1008 (policy violation) and no longer read.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import Any

# Close codes (RFC 6455 private range 4000-4999 for ours).
CLOSE_POLICY = 1008  # flooding: over the inbound message rate
CLOSE_TOO_SLOW = 4008  # the viewer did not read its frames for RUN_VIEWER_STALL_S
CLOSE_NOT_FOUND = 4404  # no such run


def _daphne_protocol(send: Callable[..., Any]) -> Any:
    """Daphne's protocol object behind an ASGI ``send``, through Channels' session wrapper."""
    for _ in range(4):
        if isinstance(send, functools.partial):
            return send.args[0] if send.args else None
        # channels.sessions.InstanceSessionWrapper.send wraps the server's send as real_send.
        send = getattr(getattr(send, "__self__", None), "real_send", None)
        if send is None:
            return None
    return None


def buffered_bytes(send: Callable[..., Any]) -> int | None:
    """Bytes the ASGI server holds for this socket that the peer has not taken yet.

    Only Daphne says: its ``send`` is ``partial(server.handle_reply, protocol)`` and the
    protocol's Twisted transport keeps the unsent bytes. None under other servers (and the
    in-process test communicator), where the consumer then cannot tell a slow viewer apart.
    """
    transport = getattr(_daphne_protocol(send), "transport", None)
    if transport is None:
        return None
    try:
        return len(transport.dataBuffer) - transport.offset + transport._tempDataLen
    except AttributeError:
        return None


def inbound_backlog(send: Callable[..., Any]) -> int | None:
    """Messages Daphne has read from this socket that the consumer has not taken yet.

    Daphne parses everything a peer sends into an unbounded per-connection queue. A flooder can
    keep Daphne's loop so busy parsing that the consumer takes only a few messages a second (too
    few to empty any token bucket), so the length of that queue is the flood signal.
    """
    queue = getattr(_daphne_protocol(send), "application_queue", None)
    try:
        return None if queue is None else int(queue.qsize())
    except (AttributeError, TypeError):
        return None


def pause_reading(send: Callable[..., Any], paused: bool) -> None:
    """Stop (or resume) reading the socket while the consumer is not ready to take messages,
    so a peer that floods from its first instant costs Daphne no parsing until then."""
    transport = getattr(_daphne_protocol(send), "transport", None)
    method = getattr(transport, "pauseProducing" if paused else "resumeProducing", None)
    if method is not None:
        method()


def close_socket(send: Callable[..., Any], code: int, reason: str, *, stop_reading: bool) -> bool:
    """Close with ``code`` and ``reason`` through Daphne's websocket protocol; False elsewhere.

    Daphne's own ``websocket.close`` passes no reason, and autobahn's public ``sendClose``
    refuses server codes outside 1000 and 3000-4999, so 1008 (policy violation, RFC 6455
    7.4.1) goes out through ``sendCloseFrame``, the method autobahn itself uses for protocol
    errors. The close handshake timeout then drops a peer that does not answer. With
    ``stop_reading`` (a flooder) the transport also stops reading at once: what the peer keeps
    sending is no longer parsed and queued by Daphne.
    """
    protocol = _daphne_protocol(send)
    if protocol is None or not hasattr(protocol, "sendCloseFrame"):
        return False
    payload = reason.encode("utf-8")[:123].decode("utf-8", "ignore").encode("utf-8")
    protocol.sendCloseFrame(code=code, reasonUtf8=payload, isReply=False)
    stop = getattr(getattr(protocol, "transport", None), "stopReading", None)
    if stop_reading and stop is not None:
        # Not loseConnection: closing a socket with unread input sends a RST, which can make
        # the peer drop our close frame. Unread, the flood backs up in the peer's own buffers
        # until the close handshake timeout aborts the connection.
        stop()
    return True


class TokenBucket:
    """``rate`` tokens a second, at most ``burst`` saved up; ``take`` spends or refuses."""

    def __init__(
        self, rate: float, burst: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.rate = rate
        self.burst = burst
        self._clock = clock
        self._tokens = burst
        self._at = clock()

    def take(self, cost: float = 1.0) -> bool:
        now = self._clock()
        self._tokens = min(self.burst, self._tokens + (now - self._at) * self.rate)
        self._at = now
        if self._tokens < cost:
            return False
        self._tokens -= cost
        return True
