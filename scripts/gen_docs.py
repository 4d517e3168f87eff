"""Write the generated half of docs/scenario-format.md from the engine's JSON Schema.

The prose at the top of that file is hand-written; everything below the GENERATED marker is
rebuilt here (one table per node kind, edge params, faults, settings), so the documented params
can never drift from what the engine accepts. `tests/config/test_docs.py` fails when the file is
stale; `python scripts/gen_docs.py` (or `make docs`) refreshes it.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from apps.engine import scenario_json_schema
from apps.engine.kinds import KINDS

DOCS = Path(__file__).resolve().parent.parent / "docs"
DOC = DOCS / "scenario-format.md"
CATALOGUE = DOCS / "patterns.md"
MARKER = "<!-- GENERATED below by scripts/gen_docs.py: do not edit by hand -->"


def _type(prop: dict[str, Any]) -> str:
    if "enum" in prop:
        return " \\| ".join(f"`{v}`" for v in prop["enum"])
    if "const" in prop:
        return f"`{prop['const']}`"
    if "oneOf" in prop:
        return "object (one of " + ", ".join(_type(p) for p in prop["oneOf"]) + ")"
    if "anyOf" in prop:
        parts = [_type(p) for p in prop["anyOf"]]
        return " or ".join(p for p in parts if p)
    kind = prop.get("type", "")
    if kind == "array":
        inner = _type(prop.get("items", {})) if isinstance(prop.get("items"), dict) else ""
        return f"list of {inner}" if inner else "list"
    if "$ref" in prop:
        return prop["$ref"].rsplit("/", 1)[-1]
    return str(kind)


def _bounds(prop: dict[str, Any]) -> str:
    for alt in prop.get("anyOf", [prop]):
        lo = alt.get("minimum", alt.get("exclusiveMinimum"))
        hi = alt.get("maximum", alt.get("exclusiveMaximum"))
        if lo is not None or hi is not None:
            left = "(" if "exclusiveMinimum" in alt else "["
            right = ")" if "exclusiveMaximum" in alt else "]"
            return f"{left}{_num(lo)}, {_num(hi)}{right}"
    return ""


def _num(v: Any) -> str:
    if v is None:
        return "…"
    return f"{v:g}" if isinstance(v, float) else str(v)


def _default(prop: dict[str, Any]) -> str:
    if "default" not in prop:
        return "required"
    d = prop["default"]
    return "none" if d is None else f"`{d}`".replace("|", "\\|")


def table(model: dict[str, Any]) -> list[str]:
    rows = ["| param | type | range | default | unit | meaning |", "|---|---|---|---|---|---|"]
    for name, prop in model.get("properties", {}).items():
        desc = prop.get("description", "").replace("|", "\\|").replace("\n", " ")
        unit = prop.get("x-unit", "")
        rows.append(
            f"| `{name}` | {_type(prop)} | {_bounds(prop)} | {_default(prop)} | {unit} | {desc} |"
        )
    return rows


def _kind_summary(kind: str) -> str:
    """The first paragraph of the kind module's docstring (its model, in words)."""
    cls = KINDS.get(kind)
    module = sys.modules.get(cls.__module__) if cls else None
    text = (module.__doc__ or "") if module else ""
    return " ".join(text.strip().split("\n\n")[0].split())


def generated(schema: dict[str, Any]) -> str:
    defs = schema["$defs"]
    mapping = schema["properties"]["nodes"]["items"]["discriminator"]["mapping"]
    out = [MARKER, "", "## Node kinds and their params", ""]
    for kind, ref in mapping.items():
        node = defs[ref.rsplit("/", 1)[-1]]
        params_ref = node["properties"]["params"].get("$ref", "")
        params = defs.get(params_ref.rsplit("/", 1)[-1], {})
        doc = _kind_summary(kind)
        out += [f"### `{kind}`", ""]
        if doc:
            out += [doc, ""]
        out += [*table(params), ""]
    out += ["## Edge params", "", *table(defs["EdgeParams"]), ""]
    out += ["## Settings", "", *table(defs["Settings"]), ""]
    out += ["## Faults", ""]
    fmap = schema["properties"]["faults"]["items"]["discriminator"]["mapping"]
    for action, ref in fmap.items():
        fault = defs[ref.rsplit("/", 1)[-1]]
        fields = [f"`{k}`" for k in fault.get("properties", {}) if k != "action"]
        out.append(f"- `{action}`: {', '.join(fields)}")
    out += ["", "## Tour steps", "", *tour_tables(defs)]
    out += ["", "## Limits", "", "| limit | value |", "|---|---|"]
    out += [f"| `{k}` | {_num(v)} |" for k, v in schema.get("x-limits", {}).items()]
    return "\n".join(out) + "\n"


def tour_tables(defs: dict[str, Any]) -> list[str]:
    """The fields of a tour step, its action and its question (docs: the `tour` key)."""
    out: list[str] = []
    for title, name in (
        ("step", "TourStep"),
        ("action", "TourAction"),
        ("question", "TourQuestion"),
    ):
        out += [f"A tour {title}:", "", *table(defs[name]), ""]
    return out[:-1]


def templates_table() -> str:
    """The gallery: every template's name, title and description, in gallery order."""
    from apps.scenarios.gallery import template_list

    rows = [MARKER, "", "## Templates", "", "| template | title | tour | what it shows |"]
    rows.append("|---|---|---|---|")
    for t in template_list():
        desc = t.description.replace("|", "\\|").replace("\n", " ")
        steps = len(t.scenario.get("tour", []))
        tour = f"{steps} steps" if steps else ""
        rows.append(f"| `{t.name}` | {t.title} | {tour} | {desc} |")
    return "\n".join(rows) + "\n"


def render() -> str:
    head = DOC.read_text(encoding="utf-8").split(MARKER)[0]
    return head + generated(scenario_json_schema())


def render_catalogue() -> str:
    head = CATALOGUE.read_text(encoding="utf-8").split(MARKER)[0]
    return head + templates_table()


def main() -> int:
    DOC.write_text(render(), encoding="utf-8")
    CATALOGUE.write_text(render_catalogue(), encoding="utf-8")
    print("wrote docs/scenario-format.md and docs/patterns.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
