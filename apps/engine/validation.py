"""Turning validation problems into the `{"loc", "node", "msg"}` details of ScenarioError.

Model: pydantic reports `loc` tuples such as `("nodes", 2, "service", "params", "workers")`;
the discriminator tag ("service") is dropped, the rest is written `nodes[2].params.workers`, and
the node or edge id is looked up in the raw document so the message can say
`node 'api-1': params.workers: must be >= 1`. Cross-document checks (ids, references, totals)
produce the same details directly.
"""

from __future__ import annotations

from typing import Any

from apps.engine.params import LIMITS

_TAGGED = {"nodes", "faults"}  # lists whose items are discriminated unions
_TYPES = {
    "float_type": "must be a number",
    "int_type": "must be an integer",
    "bool_type": "must be true or false",
    "string_type": "must be a string",
    "list_type": "must be a list",
    "model_type": "must be an object",
    "model_attributes_type": "must be an object",
    "dict_type": "must be an object",
}


def loc_parts(loc: tuple, data: Any) -> tuple[list, str | None, str | None]:
    """(loc without discriminator tag, owner label like "node 'x'", id) for a pydantic loc."""
    parts = list(loc)
    owner = ident = None
    if len(parts) >= 2 and parts[0] in ("nodes", "edges", "faults") and isinstance(parts[1], int):
        if parts[0] in _TAGGED and len(parts) >= 3 and isinstance(parts[2], str):
            item = _item(data, parts[0], parts[1])
            tag = item.get("kind" if parts[0] == "nodes" else "action") if item else None
            if parts[2] == tag:
                del parts[2]
        item = _item(data, parts[0], parts[1])
        if parts[0] == "faults":
            owner = f"faults[{parts[1]}]"
        elif item and isinstance(item.get("id"), str):
            ident = item["id"]
            owner = f"{parts[0][:-1]} '{ident}'"
    elif parts[:1] == ["tour"] and parts[2:4] == ["action", "fault"] and len(parts) >= 5:
        fault = _tour_fault(data, parts[1])
        if fault is not None and parts[4] == fault.get("action"):
            del parts[4]  # the discriminator tag of the live fault
    return parts, owner, ident


def _tour_fault(data: Any, i: Any) -> dict | None:
    step = _item(data, "tour", i) if isinstance(i, int) else None
    action = step.get("action") if step else None
    fault = action.get("fault") if isinstance(action, dict) else None
    return fault if isinstance(fault, dict) else None


def _item(data: Any, key: str, i: int) -> dict | None:
    items = data.get(key) if isinstance(data, dict) else None
    if isinstance(items, list) and 0 <= i < len(items) and isinstance(items[i], dict):
        return items[i]
    return None


def loc_str(parts: list) -> str:
    out = ""
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out


def message(err: dict) -> str:
    """A short message for one pydantic error."""
    t, ctx = err["type"], err.get("ctx") or {}
    bounds = {
        "greater_than_equal": ">= {ge}",
        "greater_than": "> {gt}",
        "less_than_equal": "<= {le}",
        "less_than": "< {lt}",
    }
    if t in bounds:
        return "must be " + bounds[t].format(**{k: _num(v) for k, v in ctx.items()})
    if t == "extra_forbidden":
        return f"unknown key '{err['loc'][-1]}'"
    if t in _TYPES:
        return _TYPES[t]
    if t == "missing":
        return "is required"
    if t == "finite_number":
        return "must be a finite number"
    if t == "union_tag_invalid":
        return (
            f"unknown {ctx.get('discriminator', 'tag').strip(chr(39))} {ctx.get('tag')!r} "
            f"(known: {ctx.get('expected_tags')})"
        )
    if t == "union_tag_not_found":
        return f"needs a {ctx.get('discriminator', 'tag').strip(chr(39))}"
    if t == "literal_error":
        return f"must be one of {ctx.get('expected')} (got {err.get('input')!r})"
    if t == "string_pattern_mismatch":
        return "must be 1-64 chars of [A-Za-z0-9_.-]"
    if t == "too_long":
        return f"too long: at most {ctx.get('max_length')} (see LIMITS)"
    if t == "string_too_short":
        return f"must be at least {ctx.get('min_length')} character(s)"
    if t == "string_too_long":
        return f"must be at most {ctx.get('max_length')} characters"
    if t == "too_short":
        return f"too short: at least {ctx.get('min_length')}"
    return err["msg"]


def _num(v: Any) -> str:
    return str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)


def make_detail(err: dict, data: Any, allowed: list[str] | None = None) -> dict:
    """One pydantic error as a detail; `allowed` lists the valid keys for an unknown-key error."""
    parts, owner, ident = loc_parts(tuple(err["loc"]), data)
    msg = message(err)
    if err["type"] == "extra_forbidden" and allowed:
        msg += f" (allowed: {', '.join(allowed)})"
    path = loc_str(parts)
    rel = loc_str(parts[2:]) if owner else path
    return {
        "loc": path,
        "node": ident if path.startswith("nodes") else None,
        "msg": msg,
        "_where": f"{owner}: {rel}" if owner and rel else (owner or path),
    }


def headline(detail: dict) -> str:
    """The one-line message of ScenarioError for its first detail."""
    where = detail.get("_where") or detail["loc"]
    return f"{where}: {detail['msg']}" if where else detail["msg"]


def public(details: list[dict]) -> list[dict]:
    return [{k: v for k, v in d.items() if not k.startswith("_")} for d in details]


def ref_detail(loc: str, owner: str | None, node: str | None, rel: str, msg: str) -> dict:
    where = f"{owner}: {rel}" if owner else loc
    return {"loc": loc, "node": node, "msg": msg, "_where": where}


def check_refs(sc: Any) -> list[dict]:
    """Checks that span the document: unique ids, references, totals. Returns details."""
    out: list[dict] = []
    node_ids: dict[str, int] = {}
    for i, n in enumerate(sc.nodes):
        if n.id in node_ids:
            out.append(
                ref_detail(
                    f"nodes[{i}].id",
                    f"node '{n.id}'",
                    n.id,
                    "id",
                    f"duplicate id (also nodes[{node_ids[n.id]}])",
                )
            )
        node_ids.setdefault(n.id, i)
    edge_ids: dict[str, int] = {}
    for i, e in enumerate(sc.edges):
        owner = f"edge '{e.id}'"
        if e.id in edge_ids:
            out.append(
                ref_detail(
                    f"edges[{i}].id",
                    owner,
                    None,
                    "id",
                    f"duplicate id (also edges[{edge_ids[e.id]}])",
                )
            )
        edge_ids.setdefault(e.id, i)
        for end in ("source", "target"):
            ref = getattr(e, end)
            if ref not in node_ids:
                out.append(
                    ref_detail(f"edges[{i}].{end}", owner, None, end, f"unknown node '{ref}'")
                )
        if e.source == e.target:
            out.append(
                ref_detail(
                    f"edges[{i}].target",
                    owner,
                    None,
                    "target",
                    "an edge cannot connect a node to itself",
                )
            )
    out.extend(_check_faults(sc, node_ids, edge_ids))
    out.extend(_check_totals(sc))
    return out


def _check_faults(sc: Any, node_ids: dict, edge_ids: dict) -> list[dict]:
    from apps.engine.kinds import KINDS

    out: list[dict] = []
    consensus = any(KINDS[n.kind].CONSENSUS for n in sc.nodes)
    for i, f in enumerate(sc.faults):
        owner = f"faults[{i}]"
        node = getattr(f, "node", None)
        if node == "@leader" and not consensus:
            out.append(
                ref_detail(
                    f"{owner}.node",
                    owner,
                    None,
                    "node",
                    "'@leader' needs a consensus kind (e.g. raft_server) in the scenario",
                )
            )
        elif node is not None and node != "@leader" and node not in node_ids:
            out.append(ref_detail(f"{owner}.node", owner, node, "node", f"unknown node '{node}'"))
        edge = getattr(f, "edge", None)
        if edge is not None and edge not in edge_ids:
            out.append(ref_detail(f"{owner}.edge", owner, None, "edge", f"unknown edge '{edge}'"))
        seen: set[str] = set()
        for g, group in enumerate(getattr(f, "groups", None) or ()):
            for j, ref in enumerate(group):
                loc = f"{owner}.groups[{g}][{j}]"
                if ref not in node_ids:
                    out.append(
                        ref_detail(loc, owner, ref, f"groups[{g}][{j}]", f"unknown node '{ref}'")
                    )
                elif ref in seen:
                    out.append(
                        ref_detail(
                            loc, owner, ref, f"groups[{g}][{j}]", f"node '{ref}' is in two groups"
                        )
                    )
                seen.add(ref)
    return out


def _check_totals(sc: Any) -> list[dict]:
    out: list[dict] = []
    s = sc.settings
    if s.warmup_s >= s.duration_s:
        out.append(
            ref_detail(
                "settings.warmup_s",
                None,
                None,
                "warmup_s",
                f"must be < settings.duration_s ({s.duration_s:g})",
            )
        )
    total = sum(getattr(n.params, "rate_rps", 0.0) for n in sc.nodes)
    cap = LIMITS["max_total_rate_rps"]
    if total > cap:
        out.append(
            ref_detail(
                "nodes",
                None,
                None,
                "nodes",
                f"total rate_rps {total:g} exceeds max_total_rate_rps {cap:g}",
            )
        )
    return out
