"""Websocket origin check: Channels' AllowedHostsOriginValidator, but scripts may connect.

Origin checks stop cross-site websocket hijacking, which only browsers can be tricked into, and
browsers always send ``Origin``. Channels' validator also refuses clients that send no Origin at
all (scripts, ``websockets.connect(ws_url)``), yet the contract hands ``ws_url`` to scripts. So a
missing Origin is allowed; a present one must match ALLOWED_HOSTS exactly as in Channels.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import ParseResult

from channels.security.websocket import OriginValidator
from django.conf import settings


def _allowed_hosts() -> list[str]:
    # Read per connection, not at import: tests (and settings overrides) change ALLOWED_HOSTS.
    hosts = list(settings.ALLOWED_HOSTS)
    if settings.DEBUG and not hosts:
        hosts = ["localhost", "127.0.0.1", "[::1]"]
    return hosts


class AllowedHostsOriginValidator(OriginValidator):
    """Origin must match ALLOWED_HOSTS when present; connections without one are let through."""

    def __init__(self, application: Any) -> None:
        super().__init__(application, [])

    def valid_origin(self, parsed_origin: ParseResult | None) -> bool:
        if parsed_origin is None:
            return True
        return self.validate_origin(parsed_origin)

    def validate_origin(self, parsed_origin: ParseResult | None) -> bool:
        return any(
            pattern == "*" or self.match_allowed_origin(parsed_origin, pattern)
            for pattern in _allowed_hosts()
        )
