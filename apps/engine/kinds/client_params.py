"""The `client` kind's params (kept apart from kinds/client.py, which models the workload).

Model: an open workload (rate, arrival process, rate steps) or a closed one (users, think
time); what requests are about (read/write mix, keys, sessions); and what the client does
when an attempt fails (timeout, retries with backoff and jitter, circuit breaker).
"""

from __future__ import annotations

from itertools import pairwise
from typing import Annotated, Literal

from pydantic import Field, field_validator

from apps.engine.params import LIMITS, Strict, param

Step = Annotated[list[float], Field(min_length=2, max_length=2)]


class ClientParams(Strict):
    rate_rps: float = param(
        10.0, "Mean request rate of the open workload", unit="rps", gt=0, le=LIMITS["max_rate_rps"]
    )
    arrival: Literal["poisson", "constant"] = param(
        "poisson", "Arrival process: Poisson (exponential gaps) or evenly spaced"
    )
    timeout_ms: float | None = param(
        None,
        "Give up on an attempt after this long (none: wait forever)",
        unit="ms",
        gt=0,
        le=LIMITS["max_time_ms"],
    )
    retries: int = param(
        0, "Extra attempts after an error or timeout", ge=0, le=LIMITS["max_retries"]
    )
    request_bytes: int = param(
        1024,
        "Request size, for bandwidth-limited links",
        unit="B",
        ge=0,
        le=LIMITS["max_message_bytes"],
    )
    read_ratio: float = param(
        1.0, "Fraction of requests that are reads (the rest are writes)", ge=0, le=1
    )
    keys: int = param(1000, "Number of distinct keys requests address", ge=1, le=LIMITS["max_keys"])
    key_dist: Literal["uniform", "zipf"] = param(
        "uniform", "Key popularity: every key alike, or Zipf (a few hot keys)"
    )
    zipf_s: float = param(1.0, "Zipf exponent: key k is chosen with weight 1/k^s", gt=0, le=5)
    sessions: int = param(
        1000, "Distinct user sessions (for sticky balancing)", ge=1, le=LIMITS["max_keys"]
    )
    rate_steps: list[Step] = param(
        [], "Rate changes of the open workload: [[at_s, rate_rps], ...], times ascending"
    )
    users: int = param(
        0,
        "Closed workload: this many users, each waiting for its answer (0: open)",
        ge=0,
        le=10_000,
    )
    think_time_ms: float = param(
        1000.0,
        "Closed workload: mean (exponential) pause between a user's requests",
        unit="ms",
        ge=0,
        le=LIMITS["max_time_ms"],
    )
    retry_backoff_ms: float = param(
        0.0,
        "Base of the exponential retry backoff (0: retry at once)",
        unit="ms",
        ge=0,
        le=LIMITS["max_time_ms"],
    )
    retry_backoff_max_ms: float = param(
        10_000.0, "Cap of the retry backoff", unit="ms", ge=0, le=LIMITS["max_time_ms"]
    )
    retry_jitter: Literal["none", "full", "equal", "decorrelated"] = param(
        "none", "Backoff jitter (AWS architecture blog definitions)"
    )
    breaker_failure_rate: float | None = param(
        None,
        "Circuit breaker: open at this failure fraction of the window (none: no breaker)",
        gt=0,
        le=1,
    )
    breaker_window: int = param(
        20, "Circuit breaker: attempts in the sliding window", ge=1, le=10_000
    )
    breaker_min_calls: int = param(
        10, "Circuit breaker: attempts recorded before it may open", ge=1, le=10_000
    )
    breaker_open_ms: float = param(
        1000.0,
        "Circuit breaker: time open before half-open",
        unit="ms",
        gt=0,
        le=LIMITS["max_time_ms"],
    )
    breaker_probes: int = param(
        3,
        "Circuit breaker: trial attempts in half-open (all must succeed to close)",
        ge=1,
        le=1000,
    )

    trace_sample: float = param(
        0.0,
        "Fraction of requests traced (spans in result.traces; at most 10 per 10 s, 200 per run)",
        ge=0,
        le=1,
    )  # fmt: skip

    @field_validator("rate_steps")
    @classmethod
    def _steps_ascending(cls, v: list[list[float]]) -> list[list[float]]:
        for a, b in pairwise(v):
            if b[0] < a[0]:
                raise ValueError("rate_steps times must be ascending")
        for at, rate in v:
            if at < 0 or not 0 <= rate <= LIMITS["max_rate_rps"]:
                raise ValueError(
                    f"each step is [at_s >= 0, 0 <= rate_rps <= {LIMITS['max_rate_rps']:g}]"
                )
        return v
