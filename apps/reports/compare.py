"""Comparing two finished runs: summaries side by side, absolute and relative deltas."""

from __future__ import annotations

from typing import Any


def _flatten(value: Any, prefix: str = "") -> dict[str, float]:
    """Numeric leaves of a nested dict as ``a.b.c`` -> number."""
    out: dict[str, float] = {}
    if isinstance(value, dict):
        for key, sub in value.items():
            out.update(_flatten(sub, f"{prefix}{key}."))
    elif isinstance(value, int | float) and not isinstance(value, bool):
        out[prefix[:-1]] = float(value)
    return out


def deltas(a: Any, b: Any) -> dict[str, dict[str, float | None]]:
    """Per numeric metric present in both: a, b, b - a and (b - a) / a (None when a is 0)."""
    fa, fb = _flatten(a), _flatten(b)
    out = {}
    for key in sorted(set(fa) & set(fb)):
        diff = fb[key] - fa[key]
        rel = diff / fa[key] if fa[key] else None
        out[key] = {"a": fa[key], "b": fb[key], "abs": diff, "rel": rel}
    return out


def compare_runs(a: Any, b: Any) -> dict[str, Any]:
    """The compare answer for two Run rows with results."""
    ra, rb = a.result or {}, b.result or {}
    na, nb = ra.get("nodes") or {}, rb.get("nodes") or {}
    common = sorted(set(na) & set(nb))
    return {
        "a": {
            "run_id": str(a.pk),
            "scenario_id": a.scenario_id,
            "seed": a.seed,
            "summary": ra.get("summary"),
        },
        "b": {
            "run_id": str(b.pk),
            "scenario_id": b.scenario_id,
            "seed": b.seed,
            "summary": rb.get("summary"),
        },
        "summary": deltas(ra.get("summary") or {}, rb.get("summary") or {}),
        "nodes": {n: deltas(na[n], nb[n]) for n in common},
        "only_in_a": sorted(set(na) - set(nb)),
        "only_in_b": sorted(set(nb) - set(na)),
    }
