"""The flow-control helpers: the token bucket, and reading Daphne's buffers through ``send``."""

from __future__ import annotations

import functools
from types import SimpleNamespace

from apps.runs.flow import TokenBucket, buffered_bytes, inbound_backlog
from apps.runs.viewer_auth import subprotocols


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_the_bucket_allows_a_burst_then_the_rate():
    clock = Clock()
    bucket = TokenBucket(rate=10, burst=5, clock=clock)
    assert [bucket.take() for _ in range(6)] == [True] * 5 + [False]
    clock.now = 0.25  # 2.5 tokens back
    assert [bucket.take() for _ in range(3)] == [True, True, False]
    clock.now = 100.0  # never more than the burst
    assert sum(bucket.take() for _ in range(10)) == 5
    assert not TokenBucket(rate=1, burst=3, clock=clock).take(4.0)  # one big message


def _daphne_send(transport, queue=None):
    """The shape Daphne hands a consumer, behind Channels' session wrapper."""
    protocol = SimpleNamespace(transport=transport, application_queue=queue)

    async def handle_reply(protocol, message):  # pragma: no cover - never awaited here
        return None

    raw = functools.partial(handle_reply, protocol)
    wrapper = SimpleNamespace(real_send=raw)
    wrapper.send = SimpleNamespace(__self__=wrapper)  # a bound method's __self__
    return wrapper.send, raw


def test_unsent_bytes_are_read_from_the_twisted_transport_through_the_wrappers():
    transport = SimpleNamespace(dataBuffer=b"x" * 100, offset=40, _tempDataLen=25)
    wrapped, raw = _daphne_send(transport)
    assert buffered_bytes(raw) == 85
    assert buffered_bytes(wrapped) == 85
    assert buffered_bytes(lambda message: None) is None  # not Daphne: unknown


def test_the_inbound_backlog_is_the_length_of_daphnes_queue():
    import asyncio

    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(7):
        queue.put_nowait(i)
    _, raw = _daphne_send(SimpleNamespace(), queue)
    assert inbound_backlog(raw) == 7


def test_subprotocols_echo_topolab_and_take_the_token():
    assert subprotocols([]) == (None, None)
    assert subprotocols(["topolab", "topolab.edit.abc"]) == ("topolab", "abc")
    assert subprotocols(["topolab.edit.abc"]) == ("topolab.edit.abc", "abc")
    assert subprotocols(["other"]) == ("other", None)
