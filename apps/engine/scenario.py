"""The scenario model (format `topolab/1`) and its validation.

Model: a scenario is nodes (a discriminated union on `kind`, one params model per kind from the
kinds registry), directed edges, timed faults (a discriminated union on `action`) and settings.
Validation happens once, at the edge, in `parse_scenario`: pydantic checks shapes, types, bounds
and unknown keys (every model is `Strict`: closed, strict, finite, frozen); `_check_refs` then
checks what spans the document (unique ids, edges and faults pointing at existing things,
LIMITS on totals). Every problem becomes a detail `{"loc", "node", "msg"}` and the message of
`ScenarioError` names the first one: "node 'api-1': params.workers: must be >= 1".

The optional `tour` (guided tour steps, `tour.py`) is validated here too and never simulated.

`"@leader"` as a fault's node is accepted by the schema but resolves only in a scenario with a
consensus kind (`raft_server`, `multipaxos_node`); elsewhere it is rejected with a clear error.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, Union

from pydantic import Field, ValidationError, create_model

from apps.engine.errors import ScenarioError
from apps.engine.fault_models import AnyFault
from apps.engine.kinds import KINDS
from apps.engine.params import LIMITS, Id, Strict, Text, param
from apps.engine.tour import TourAction, TourQuestion, TourStep, check_tour
from apps.engine.validation import check_refs, headline, make_detail, public

Coord = Annotated[float, Field(ge=-1e7, le=1e7)]


class NodeBase(Strict):
    id: Id
    label: Text | None = None
    x: Coord | None = None
    y: Coord | None = None


def _node_model(kind: str, params_model: type[Strict]) -> type[NodeBase]:
    name = "".join(part.capitalize() for part in kind.split("_")) + "Node"
    return create_model(
        name,
        __base__=NodeBase,
        kind=(Literal[kind], ...),
        params=(params_model, Field(default_factory=params_model)),
    )


NODE_MODELS = {kind: _node_model(kind, cls.Params) for kind, cls in KINDS.items()}
AnyNode = Annotated[Union[tuple(NODE_MODELS.values())], Field(discriminator="kind")]  # noqa: UP007


class EdgeParams(Strict):
    latency_ms: float | None = param(
        None,
        "One-way latency (none: settings.default_latency_ms)",
        unit="ms",
        ge=0,
        le=LIMITS["max_time_ms"],
    )
    jitter_ms: float = param(
        0.0,
        "Extra one-way delay, uniform in [0, jitter]",
        unit="ms",
        ge=0,
        le=LIMITS["max_time_ms"],
    )
    bandwidth_mbps: float | None = param(
        None,
        "Link rate; adds size / rate per message (none: unlimited)",
        unit="Mbit/s",
        gt=0,
        le=LIMITS["max_bandwidth_mbps"],
    )
    loss: float = param(0.0, "Probability that a message is lost", ge=0, le=1)
    weight: float = param(1.0, "Weight for weighted balancing", gt=0, le=1e6)


class Edge(Strict):
    id: Id
    source: Id
    target: Id
    label: Text | None = None
    params: EdgeParams = Field(default_factory=EdgeParams)


class Settings(Strict):
    duration_s: float = param(
        60.0, "Simulated time to run", unit="s", gt=0, le=LIMITS["max_duration_s"]
    )
    warmup_s: float = param(
        0.0, "Metrics ignore what starts before this", unit="s", ge=0, le=LIMITS["max_duration_s"]
    )
    seed: int = param(1, "Seed of every random stream", ge=0, le=LIMITS["max_seed"])
    default_latency_ms: float = param(
        1.0, "One-way latency of edges that set none", unit="ms", ge=0, le=LIMITS["max_time_ms"]
    )


class Scenario(Strict):
    format: Literal["topolab/1"]
    name: Text = ""
    description: Text = ""
    nodes: list[AnyNode] = Field(min_length=1, max_length=int(LIMITS["max_nodes"]))
    edges: list[Edge] = Field(default_factory=list, max_length=int(LIMITS["max_edges"]))
    faults: list[AnyFault] = Field(default_factory=list, max_length=int(LIMITS["max_faults"]))
    settings: Settings = Field(default_factory=Settings)
    tour: list[TourStep] = Field(
        default_factory=list,
        max_length=int(LIMITS["max_tour_steps"]),
        description="Guided tour (optional): steps an instructor advances; the engine ignores it",
    )


def parse_scenario(data: Any) -> Scenario:
    """Validate a decoded JSON document; raise ScenarioError naming every problem."""
    if not isinstance(data, dict):
        raise ScenarioError(
            "scenario: must be a JSON object",
            [{"loc": "", "node": None, "msg": "must be a JSON object"}],
        )
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        details = [make_detail(e, data, _allowed(e, data)) for e in exc.errors(include_url=False)]
        raise ScenarioError(headline(details[0]), public(details)) from None
    details = check_refs(scenario) + check_tour(scenario)
    if details:
        raise ScenarioError(headline(details[0]), public(details))
    return scenario


_TOUR_MODELS = {"action": TourAction, "question": TourQuestion}


def _allowed(err: dict, data: dict) -> list[str] | None:
    """The valid keys at the place of an unknown-key error, to list in the message."""
    if err["type"] != "extra_forbidden":
        return None
    loc = [p for p in err["loc"][:-1]]
    if not loc:
        return list(Scenario.model_fields)
    if loc[0] == "nodes" and len(loc) >= 3:
        kind = loc[2]
        if kind in KINDS:
            model = KINDS[kind].Params if loc[-1] == "params" else NODE_MODELS[kind]
            return list(model.model_fields)
    if loc[0] == "edges":
        return list((EdgeParams if loc[-1] == "params" else Edge).model_fields)
    if loc[0] == "settings":
        return list(Settings.model_fields)
    if loc[0] == "tour":
        return list(_TOUR_MODELS.get(str(loc[-1]), TourStep).model_fields)
    return None


def scenario_json_schema() -> dict:
    """JSON Schema (draft 2020-12) of topolab/1, with per-kind params, bounds and units."""
    schema = Scenario.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://topolab.dev/schema/topolab-1.json"
    schema["title"] = "Topolab scenario (topolab/1)"
    schema["x-kinds"] = sorted(KINDS)
    schema["x-limits"] = dict(LIMITS)
    return schema
