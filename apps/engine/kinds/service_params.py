"""The `service` kind's params and its service-time sampler (kept apart from kinds/service.py,
which models the queue).

Model: `workers` servers, a service time distribution (exponential, constant, lognormal with a
coefficient of variation, uniform on [0, 2 x mean]) of mean `service_time_ms`, an optional
queue capacity, what it does with outgoing edges (`downstream`), an error rate and message
sizes.
"""

from __future__ import annotations

import math
from math import log1p
from typing import Literal

from apps.engine.params import LIMITS, Strict, param

Dist = Literal["exponential", "constant", "lognormal", "uniform"]


class ServiceParams(Strict):
    workers: int = param(1, "Parallel workers (c)", ge=1, le=LIMITS["max_workers"])
    service_time_ms: float = param(
        10.0, "Mean service time of one request", unit="ms", gt=0, le=LIMITS["max_time_ms"]
    )
    service_time_dist: Dist = param(
        "exponential",
        "Service time distribution: exponential, constant, lognormal (with service_time_cv) "
        "or uniform on [0, 2 x mean]",
    )
    service_time_cv: float = param(
        1.0, "Coefficient of variation of the lognormal distribution", gt=0, le=10
    )
    queue_capacity: int | None = param(
        None,
        "Most requests that may wait (none: unbounded); more are rejected",
        ge=0,
        le=LIMITS["max_queue_capacity"],
    )
    timeout_ms: float | None = param(
        None,
        "Give up on a downstream call after this long (none: wait forever)",
        unit="ms",
        gt=0,
        le=LIMITS["max_time_ms"],
    )
    request_bytes: int = param(
        1024,
        "Size of the requests it sends downstream",
        unit="B",
        ge=0,
        le=LIMITS["max_message_bytes"],
    )
    downstream: Literal["call", "parallel", "forward"] = param(
        "call",
        "With outgoing edges: 'call' holds the worker and calls every target in turn, then "
        "replies (synchronous RPC); 'parallel' holds the worker and calls every target at once, "
        "replying when all have answered (fan-out); 'forward' frees the worker and passes the "
        "request to one target (round robin), relaying its answer back (a pipeline stage)",
    )
    error_rate: float = param(
        0.0, "Probability that a request fails (answered with an error after its work)", ge=0, le=1
    )
    response_bytes: int = param(
        1024,
        "Response size, for bandwidth-limited links",
        unit="B",
        ge=0,
        le=LIMITS["max_message_bytes"],
    )


def make_sampler(p: ServiceParams, rng) -> callable:
    """A zero-argument function drawing one service time in seconds."""
    mean = p.service_time_ms / 1000.0
    dist = p.service_time_dist
    if dist == "exponential":
        # the same arithmetic as the inlined hot paths (service, client arrivals): -log1p(-u)
        # is -log(1 - u) with one rounding less, and math.log1p takes one argument, so it is
        # called without building an argument tuple (math.log parses an optional base: ~45 ns
        # more per draw)
        rand = rng.random
        return lambda: -log1p(-rand()) * mean
    if dist == "constant":
        return lambda: mean
    if dist == "uniform":
        uni, hi = rng.random, 2.0 * mean
        return lambda: uni() * hi
    sigma2 = math.log(1.0 + p.service_time_cv**2)
    mu, sigma = math.log(mean) - sigma2 / 2.0, math.sqrt(sigma2)
    logn = rng.lognormvariate
    return lambda: logn(mu, sigma)
