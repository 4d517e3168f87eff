"""The fault models of `topolab/1`: scheduled faults (with `at_s`) and their live form.

Model: a fault is a discriminated union on `action` (crash, restart, slow, partition, heal, cut,
restore). A scheduled fault in the scenario's `faults` carries `at_s`; the same command without
`at_s` is a live fault, the form a tour step's action uses (`LIVE_FAULT_MODELS`, `AnyLiveFault`).
References (node, edge, group members) are checked against the document elsewhere
(`validation.check_refs`, `tour.check_tour`).
"""

from __future__ import annotations

from typing import Annotated, Literal, Union

from pydantic import Field, create_model

from apps.engine.params import LIMITS, Id, NodeRef, Strict, param

AtS = Annotated[float, Field(ge=0, le=LIMITS["max_duration_s"], json_schema_extra={"x-unit": "s"})]


class CrashFault(Strict):
    at_s: AtS
    action: Literal["crash"]
    node: NodeRef


class RestartFault(Strict):
    at_s: AtS
    action: Literal["restart"]
    node: NodeRef


class SlowFault(Strict):
    at_s: AtS
    action: Literal["slow"]
    node: NodeRef
    factor: float = param(
        1.0,
        "Service times are multiplied by this (1: normal speed)",
        gt=0,
        le=LIMITS["max_slow_factor"],
    )


class PartitionFault(Strict):
    at_s: AtS
    action: Literal["partition"]
    groups: list[list[Id]] = Field(min_length=1, max_length=int(LIMITS["max_groups"]))


class HealFault(Strict):
    at_s: AtS
    action: Literal["heal"]


class CutFault(Strict):
    at_s: AtS
    action: Literal["cut"]
    edge: Id


class RestoreFault(Strict):
    at_s: AtS
    action: Literal["restore"]
    edge: Id


FAULT_MODELS = (
    CrashFault,
    RestartFault,
    SlowFault,
    PartitionFault,
    HealFault,
    CutFault,
    RestoreFault,
)
AnyFault = Annotated[Union[FAULT_MODELS], Field(discriminator="action")]  # noqa: UP007


def _live(model: type[Strict]) -> type[Strict]:
    """The same fault without `at_s` (it applies when a tour step is taken, not at a time)."""
    fields = {
        name: (info.annotation, info) for name, info in model.model_fields.items() if name != "at_s"
    }
    return create_model(f"Live{model.__name__}", __base__=Strict, **fields)


LIVE_FAULT_MODELS = tuple(_live(m) for m in FAULT_MODELS)
AnyLiveFault = Annotated[Union[LIVE_FAULT_MODELS], Field(discriminator="action")]  # noqa: UP007
