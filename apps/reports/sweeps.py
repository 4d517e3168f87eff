"""Parameter sweeps: validate every point up front, fan out as a Celery group, aggregate.

A sweep varies ONE parameter of a saved scenario over ``values`` and repeats each value for
several seeds. Every (value, seed) scenario is checked with ``parse_scenario`` before anything
is queued, so a bad value is a 400 naming it rather than a failed point later. Points are
simulated by a thin task with ``emit=None`` (no frames, the fast path) and stored as SweepPoint
rows; the aggregate is computed when read.
"""

from __future__ import annotations

import copy
import time
from typing import Any

from django.db import IntegrityError, transaction

from apps.engine import LIMITS, ScenarioError, parse_scenario, simulate
from apps.reports.models import Sweep, SweepPoint
from apps.reports.stats import describe
from apps.scenarios.http import ApiError
from apps.scenarios.models import Scenario

MAX_POINTS = 200
MAX_VALUES = 50
MAX_SEEDS = 50
_METRIC_ROOTS = ("summary", "nodes", "protocols", "events", "sim_time_s")


def set_param(data: dict[str, Any], param: str, value: Any) -> dict[str, Any]:
    """A copy of ``data`` with ``param`` set: ``settings.<name>``, ``edges.<id>.<param>`` or
    ``<node_id>.<param>`` (split at the last dot, so node ids may contain dots)."""
    out = copy.deepcopy(data)
    if param.startswith("settings."):
        out.setdefault("settings", {})[param[len("settings.") :]] = value
        return out
    if param.startswith("edges."):
        owner, _, name = param[len("edges.") :].rpartition(".")
        items, what = out.get("edges", []), "edge"
    else:
        owner, _, name = param.rpartition(".")
        items, what = out.get("nodes", []), "node"
    if not owner or not name:
        raise ApiError(
            400,
            f"param {param!r}: expected '<node_id>.<param>', "
            "'edges.<id>.<param>' or 'settings.<name>'",
        )
    target = next((i for i in items if isinstance(i, dict) and i.get("id") == owner), None)
    if target is None:
        raise ApiError(400, f"param {param!r}: no {what} {owner!r} in the scenario")
    target.setdefault("params", {})[name] = value
    return out


def metric_of(result: dict[str, Any], metric: str) -> float:
    """Resolve a dotted path such as ``summary.latency_ms.p99`` in a result."""
    value: Any = result
    for part in metric.split("."):
        if not isinstance(value, dict) or part not in value:
            raise KeyError(metric)
        value = value[part]
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise KeyError(metric)
    return float(value)


def _seeds(body: dict[str, Any]) -> list[int]:
    seeds, replicas = body.get("seeds"), body.get("replicas")
    if (seeds is None) == (replicas is None):
        raise ApiError(400, "give exactly one of 'seeds' (a list of integers) or 'replicas'")
    if replicas is not None:
        if type(replicas) is not int or not 1 <= replicas <= MAX_SEEDS:
            raise ApiError(400, f"replicas: must be an integer 1..{MAX_SEEDS}")
        return list(range(1, replicas + 1))
    ok = isinstance(seeds, list) and 1 <= len(seeds) <= MAX_SEEDS
    if not ok or any(type(s) is not int or not 0 <= s <= LIMITS["max_seed"] for s in seeds):
        raise ApiError(
            400, f"seeds: must be a list of 1..{MAX_SEEDS} integers 0..{LIMITS['max_seed']}"
        )
    if len(set(seeds)) != len(seeds):
        raise ApiError(400, "seeds: must not repeat")
    return list(seeds)


def validate_request(scenario: Scenario, body: Any) -> tuple[str, list[Any], list[int], str]:
    """Check the request and every point; returns (param, values, seeds, metric)."""
    if not isinstance(body, dict):
        raise ApiError(400, "the body must be a JSON object")
    unknown = sorted(set(body) - {"param", "values", "seeds", "replicas", "metric"})
    if unknown:
        raise ApiError(400, f"unknown field {unknown[0]!r}", [{"loc": k} for k in unknown])
    param, values = body.get("param"), body.get("values")
    metric = body.get("metric", "summary.latency_ms.p99")
    if not isinstance(param, str) or not param or len(param) > 300:
        raise ApiError(400, "param: a non-empty string such as 'api-1.workers'")
    if not isinstance(values, list) or not 1 <= len(values) <= MAX_VALUES:
        raise ApiError(400, f"values: must be a list of 1..{MAX_VALUES} values")
    if not isinstance(metric, str) or metric.split(".")[0] not in _METRIC_ROOTS:
        raise ApiError(
            400,
            f"metric: a dotted path into the result starting with one of "
            f"{', '.join(_METRIC_ROOTS)}, e.g. 'summary.latency_ms.p99'",
        )
    seeds = _seeds(body)
    if len(values) * len(seeds) > MAX_POINTS:
        raise ApiError(
            400,
            f"too many points: {len(values)} values × {len(seeds)} seeds = "
            f"{len(values) * len(seeds)} > {MAX_POINTS}",
        )
    bad = []
    for value in values:
        data = set_param(scenario.data, param, value)
        try:
            parse_scenario(data)
        except ScenarioError as exc:
            bad.append({"value": value, "msg": exc.message})
    if bad:
        raise ApiError(400, f"param {param} = {bad[0]['value']!r}: {bad[0]['msg']}", bad)
    return param, values, seeds, metric


def sweep_start(*, scenario: Scenario, body: Any) -> Sweep:
    """Validate, store the Sweep and queue its points (a Celery group, sent on commit)."""
    param, values, seeds, metric = validate_request(scenario, body)
    sweep = Sweep.objects.create(
        scenario=scenario,
        scenario_snapshot=scenario.data,
        param=param,
        values=values,
        seeds=seeds,
        metric=metric,
    )
    from apps.reports.tasks import dispatch_sweep  # tasks import this module

    transaction.on_commit(lambda: dispatch_sweep(str(sweep.pk)), robust=False)
    return sweep


def point_run(*, sweep_id: str, value_index: int, seed: int) -> SweepPoint | None:
    """Simulate one point without frames and store it; a repeated delivery is a no-op."""
    sweep = Sweep.objects.filter(pk=sweep_id).first()
    if (
        sweep is None
        or SweepPoint.objects.filter(sweep=sweep, value_index=value_index, seed=seed).exists()
    ):
        return None
    data = set_param(sweep.scenario_snapshot, sweep.param, sweep.values[value_index])
    start = time.perf_counter()
    fields: dict[str, Any] = {}
    try:
        result = simulate(parse_scenario(data), seed=seed, emit=None)
        fields["summary"] = result.get("summary")
        fields["metric_value"] = metric_of(result, sweep.metric)
    except KeyError:
        fields["error"] = f"metric {sweep.metric!r} not found in the result"
    except ScenarioError as exc:
        fields["error"] = exc.message
    fields["wall_s"] = time.perf_counter() - start
    try:
        return SweepPoint.objects.create(sweep=sweep, value_index=value_index, seed=seed, **fields)
    except IntegrityError:
        return None


def sweep_view(sweep: Sweep) -> dict[str, Any]:
    """Status and per-value aggregate of the metric."""
    points = list(sweep.points.all())
    total = len(sweep.values) * len(sweep.seeds)
    per_value = []
    for i, value in enumerate(sweep.values):
        mine = [p for p in points if p.value_index == i]
        good = [p.metric_value for p in mine if p.metric_value is not None]
        per_value.append(
            {
                "value": value,
                **describe(good),
                "done": len(mine),
                "errors": [p.error for p in mine if p.error][:5],
                "points": [{"seed": p.seed, "metric": p.metric_value} for p in mine],
            }
        )
    return {
        "id": str(sweep.pk),
        "scenario_id": sweep.scenario_id,
        "status": "done" if len(points) >= total else "running",
        "param": sweep.param,
        "metric": sweep.metric,
        "seeds": sweep.seeds,
        "total": total,
        "done": len(points),
        "failed": sum(1 for p in points if p.error),
        "values": per_value,
        "created_at": sweep.created_at.isoformat(),
    }
