"""Hypothesis strategies for scenarios, built from the engine's JSON Schema (valid and mutated).

``from_json_schema`` covers the keywords the schema uses (``$ref``, ``oneOf``/``anyOf``,
``const``, ``enum``, ``properties``/``required``, numeric and length bounds, ``pattern``);
optional properties are sometimes left out so defaults get exercised. ``scenarios()`` then
ties the parts together the way a real file does (unique node ids, edges and faults naming
those nodes), which the schema alone cannot say. ``mutated()`` breaks one thing in a valid
scenario, the way a hand-edited file or a hostile client would.
"""

from __future__ import annotations

import copy
import math
from typing import Any

from hypothesis import strategies as st

from apps.engine import scenario_json_schema

SCHEMA = scenario_json_schema()
DEFS: dict[str, Any] = SCHEMA["$defs"]
SMALL_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)


def _number(schema: dict[str, Any], integer: bool) -> st.SearchStrategy[Any]:
    low = schema.get("minimum", schema.get("exclusiveMinimum"))
    high = schema.get("maximum", schema.get("exclusiveMaximum"))
    if integer:
        low = None if low is None else math.ceil(low) + ("exclusiveMinimum" in schema)
        return st.integers(min_value=low, max_value=None if high is None else math.floor(high))
    return st.floats(
        min_value=low,
        max_value=high,
        exclude_min="exclusiveMinimum" in schema,
        exclude_max="exclusiveMaximum" in schema,
        allow_nan=False,
        allow_infinity=False,
    )


def _object(schema: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    props: dict[str, Any] = schema.get("properties", {})
    required = set(schema.get("required", ()))
    optional = sorted(set(props) - required)

    @st.composite
    def build(draw: st.DrawFn) -> dict[str, Any]:
        keep = required | {name for name in optional if draw(st.booleans())}
        return {name: draw(from_json_schema(props[name])) for name in sorted(keep)}

    if props:
        return build()
    # A free-form object (e.g. a gateway's routes): a few short string keys.
    values = from_json_schema(schema.get("additionalProperties") or {"type": "string"})
    return st.dictionaries(SMALL_TEXT, values, max_size=3)


def from_json_schema(schema: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Values that conform to ``schema`` (a node of the scenario JSON Schema)."""
    if "$ref" in schema:
        return st.deferred(lambda: from_json_schema(DEFS[schema["$ref"].split("/")[-1]]))
    if "const" in schema:
        return st.just(schema["const"])
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    for key in ("oneOf", "anyOf"):
        if key in schema:
            return st.one_of([from_json_schema(option) for option in schema[key]])
    kind = schema.get("type")
    if kind == "object":
        return _object(schema)
    if kind == "array":
        low, high = schema.get("minItems", 0), min(schema.get("maxItems", 4), 4)
        return st.lists(
            from_json_schema(schema.get("items", {})), min_size=low, max_size=max(low, high)
        )
    if kind == "string":
        if "pattern" in schema:
            return st.from_regex(schema["pattern"], fullmatch=True).filter(lambda s: len(s) <= 64)
        return st.text(
            min_size=schema.get("minLength", 0), max_size=min(schema.get("maxLength", 40), 40)
        )
    if kind in ("integer", "number"):
        return _number(schema, kind == "integer")
    if kind == "boolean":
        return st.booleans()
    if kind == "null":
        return st.none()
    return st.just(None)


NODE = from_json_schema(SCHEMA["properties"]["nodes"]["items"])
EDGE_PARAMS = from_json_schema(DEFS["EdgeParams"])
SETTINGS = from_json_schema(DEFS["Settings"])


@st.composite
def scenarios(draw: st.DrawFn, max_nodes: int = 6) -> dict[str, Any]:
    """A schema-valid scenario whose edges and faults name its own nodes."""
    nodes = draw(st.lists(NODE, min_size=1, max_size=max_nodes))
    for i, node in enumerate(nodes):
        node["id"] = f"n{i}"
    ids = [node["id"] for node in nodes]
    pairs = st.tuples(st.sampled_from(ids), st.sampled_from(ids)).filter(lambda p: p[0] != p[1])
    edges = []
    if len(ids) > 1:
        for j, (source, target) in enumerate(draw(st.lists(pairs, max_size=8, unique=True))):
            edges.append({"id": f"e{j}", "source": source, "target": target,
                          "params": draw(EDGE_PARAMS)})  # fmt: skip
    settings = draw(SETTINGS)
    faults = [
        {"at_s": draw(st.floats(0, 2)), "action": action, "node": draw(st.sampled_from(ids))}
        for action in draw(st.lists(st.sampled_from(["crash", "restart"]), max_size=2))
    ]
    return {"format": "topolab/1", "name": draw(SMALL_TEXT), "nodes": nodes, "edges": edges,
            "faults": faults, "settings": settings}  # fmt: skip


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, child in value.items():
            found += _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += _paths(child, (*prefix, index))
    return found


BAD_VALUES = st.sampled_from(
    [None, -1, 0, 10**30, -(10**30), 1e308, "", "x" * 5000, [], {}, True, "\u0000", [[[[]]]]]
)


@st.composite
def mutated(draw: st.DrawFn) -> dict[str, Any]:
    """A valid scenario with one thing broken: a value swapped, a key dropped or added."""
    data = copy.deepcopy(draw(scenarios(max_nodes=4)))
    path = draw(st.sampled_from(_paths(data)))
    parent = data
    for step in path[:-1]:
        parent = parent[step]
    how = draw(st.sampled_from(["swap", "drop", "add"]))
    if how == "swap":
        parent[path[-1]] = draw(BAD_VALUES)
    elif how == "drop" and isinstance(parent, dict):
        del parent[path[-1]]
    elif isinstance(parent, dict):
        parent[draw(SMALL_TEXT.filter(lambda k: k not in parent))] = draw(BAD_VALUES)
    else:
        parent.append(draw(BAD_VALUES))
    return data
