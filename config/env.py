"""A tiny typed reader for settings from the environment.

Settings read the environment in one place and fail loudly: a typo such as ``DEBUG=flase``
must stop the process at start-up, not silently fall back to a default.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TypeVar

from django.core.exceptions import ImproperlyConfigured

T = TypeVar("T")

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


class Env:
    """Typed access to an environment mapping (``os.environ`` by default).

    An unset or empty variable gives the default; a variable without a default is required.
    """

    _MISSING = object()

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        self._environ = os.environ if environ is None else environ

    def _raw(self, name: str, default: object) -> str | None:
        value = self._environ.get(name, "")
        if value.strip() != "":
            return value.strip()
        if default is self._MISSING:
            raise ImproperlyConfigured(f"environment variable {name} is required")
        return None

    def str(self, name: str, default: object = _MISSING) -> str:
        """A string; ``default`` is returned as is when the variable is unset or empty."""
        raw = self._raw(name, default)
        return default if raw is None else raw  # type: ignore[return-value]

    def bool(self, name: str, default: object = _MISSING) -> bool:
        """One of 1/0, true/false, yes/no, on/off (any case)."""
        raw = self._raw(name, default)
        if raw is None:
            return default  # type: ignore[return-value]
        lowered = raw.lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use true or false)")

    def int(self, name: str, default: object = _MISSING, *, minimum: int | None = None) -> int:
        """An integer, optionally bounded below."""
        raw = self._raw(name, default)
        if raw is None:
            return default  # type: ignore[return-value]
        try:
            value = int(raw)
        except ValueError:
            raise ImproperlyConfigured(f"{name}={raw!r} is not an integer") from None
        if minimum is not None and value < minimum:
            raise ImproperlyConfigured(f"{name}={value} must be >= {minimum}")
        return value

    def float(
        self, name: str, default: object = _MISSING, *, minimum: float | None = None
    ) -> float:
        """A finite float, optionally bounded below."""
        raw = self._raw(name, default)
        if raw is None:
            return default  # type: ignore[return-value]
        try:
            value = float(raw)
        except ValueError:
            raise ImproperlyConfigured(f"{name}={raw!r} is not a number") from None
        if value != value or value in (float("inf"), float("-inf")):
            raise ImproperlyConfigured(f"{name}={raw!r} must be finite")
        if minimum is not None and value < minimum:
            raise ImproperlyConfigured(f"{name}={value} must be >= {minimum}")
        return value

    def list(self, name: str, default: object = _MISSING) -> list[str]:
        """A comma-separated list; blank items are dropped."""
        raw = self._raw(name, default)
        if raw is None:
            return list(default)  # type: ignore[call-overload]
        return [item.strip() for item in raw.split(",") if item.strip()]


env = Env()
