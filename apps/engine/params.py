"""Shared building blocks of the scenario model: LIMITS, the strict base model, `param()`.

Every scenario model (and every kind's params model, defined next to the kind's code) derives
from `Strict`: unknown keys are errors, numbers must be finite, strings are not coerced to
numbers, and instances are immutable. `param()` declares one documented field: bounds, default,
description and unit end up in the JSON Schema (`"x-unit": "ms"`) the browser turns into a form.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

# Hard caps on what one scenario may ask of a worker; enforced by the models below and listed
# in the JSON Schema. Change them here only.
LIMITS: dict[str, float] = {
    "max_nodes": 2000,
    "max_edges": 10000,
    "max_faults": 1000,
    "max_duration_s": 3600,
    "max_rate_rps": 100_000,
    "max_total_rate_rps": 200_000,
    "max_workers": 10_000,
    "max_queue_capacity": 10_000_000,
    "max_time_ms": 3_600_000,
    "max_retries": 10,
    "max_bandwidth_mbps": 1_000_000,
    "max_message_bytes": 100_000_000,
    "max_slow_factor": 1000,
    "max_text_len": 2000,
    "max_groups": 100,
    "max_seed": 2**63 - 1,
    "max_keys": 1_000_000,
    "max_tour_steps": 50,
}


ID_PATTERN = r"^[A-Za-z0-9_.-]{1,64}$"
LEADER = "@leader"
Id = Annotated[str, Field(pattern=ID_PATTERN, description="1-64 chars of [A-Za-z0-9_.-]")]
NodeRef = Annotated[
    str, Field(pattern=r"^(@leader|[A-Za-z0-9_.-]{1,64})$", description="node id or @leader")
]
Text = Annotated[str, Field(max_length=int(LIMITS["max_text_len"]))]


class Strict(BaseModel):
    """Base of every scenario model: closed, strict, finite, immutable."""

    model_config = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False, frozen=True)


def param(
    default: Any,
    description: str,
    *,
    unit: str | None = None,
    ge: float | None = None,
    gt: float | None = None,
    le: float | None = None,
    **kwargs: Any,
) -> Any:
    """A documented field; `unit` is published in the schema as `x-unit`."""
    extra = {"x-unit": unit} if unit else None
    return Field(
        default, description=description, ge=ge, gt=gt, le=le, json_schema_extra=extra, **kwargs
    )


def _low_le_high(v: list[float]) -> list[float]:
    if v[0] > v[1]:
        raise ValueError("low must be <= high")
    return v


def ms_range(low_min: float) -> Any:
    """The type of a `[low, high]` pair of milliseconds with low <= high (a randomised wait).

    Use with `param(..., unit="ms", min_length=2, max_length=2)`; each bound is at least
    `low_min` and at most LIMITS["max_time_ms"].
    """
    bound = Annotated[float, Field(ge=low_min, le=LIMITS["max_time_ms"])]
    return Annotated[list[bound], AfterValidator(_low_le_high)]
