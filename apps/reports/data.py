"""Everything a report shows about one finished run, read once from the database.

A report is built from the run's scenario snapshot, its result and its logged messages (the
RunFrame rows), never by re-simulating. ``ReportData`` is plain data so the HTML, PDF, CSV and
replay renderers are pure functions of it and can be tested without a database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import orjson

from apps.scenarios import gallery

# Node counters whose non-zero value signals something worth a line in "notable events".
_QUIET_KEYS = frozenset({"kind", "throughput_rps", "utilization", "completed", "requests"})


@dataclass
class ReportData:
    """One run, ready to render."""

    run_id: str
    status: str
    seed: int
    duration_s: float
    scenario: dict[str, Any]
    result: dict[str, Any]
    metrics: list[dict[str, Any]] = field(default_factory=list)
    explanation: str = ""
    template_title: str = ""

    @property
    def name(self) -> str:
        return str(self.scenario.get("name") or "Untitled scenario")


def template_for(scenario: dict[str, Any]) -> tuple[str, str]:
    """(title, description) of the gallery template this scenario came from, or empty strings.

    A scenario loaded from the gallery keeps the template's ``name``; matching on it (and on
    the node ids, so a renamed copy of another topology is not mistaken for it) needs no
    change to the scenario format.
    """
    name = scenario.get("name")
    ids = sorted(str(n.get("id")) for n in scenario.get("nodes", []) if isinstance(n, dict))
    for template in gallery.template_list():
        t_ids = sorted(str(n.get("id")) for n in template.scenario.get("nodes", []))
        if template.scenario.get("name") == name and t_ids == ids:
            return template.title, template.description
    return "", ""


def load_report_data(run: Any) -> ReportData:
    """Collect the report of a finished ``Run`` (its metrics messages in seq order)."""
    rows = run.frames.filter(type="metrics").order_by("seq").values_list("payload", flat=True)
    metrics = [orjson.loads(text) for text in rows]
    title, description = template_for(run.scenario_snapshot)
    return ReportData(
        run_id=str(run.pk),
        status=run.status,
        seed=run.seed,
        duration_s=run.duration_s,
        scenario=run.scenario_snapshot,
        result=run.result or {},
        metrics=metrics,
        explanation=description,
        template_title=title,
    )


def load_messages(run: Any, types: tuple[str, ...] = ("frame", "metrics", "done")) -> list[Any]:
    """The run's logged messages of ``types`` in seq order (decoded)."""
    rows = run.frames.filter(type__in=types).order_by("seq").values_list("payload", flat=True)
    return [orjson.loads(text) for text in rows]


def notable_events(data: ReportData) -> list[tuple[str, str]]:
    """(when, what) lines: scheduled faults, protocol outcomes and non-zero node counters."""
    events: list[tuple[str, str]] = []
    for fault in data.scenario.get("faults") or []:
        if not isinstance(fault, dict):
            continue
        target = fault.get("node") or fault.get("edge") or fault.get("groups") or ""
        extra = f" ×{fault['factor']}" if "factor" in fault else ""
        events.append((f"t={fault.get('at_s', 0):g} s", f"{fault.get('action')} {target}{extra}"))
    for name, info in sorted((data.result.get("protocols") or {}).items()):
        events.append(("protocol", f"{name}: {_flat(info)}"))
    for node_id, stats in sorted((data.result.get("nodes") or {}).items()):
        for key, value in sorted(stats.items()):
            if key in _QUIET_KEYS or isinstance(value, dict | list | str | bool):
                continue
            if isinstance(value, int | float) and value:
                events.append(("counter", f"{node_id}: {key} = {value:g}"))
    return events


def _flat(value: Any, limit: int = 300) -> str:
    text = orjson.dumps(value).decode() if not isinstance(value, str) else value
    return text if len(text) <= limit else text[: limit - 1] + "…"


def series(data: ReportData) -> dict[str, list[tuple[float, float]]]:
    """The chartable time series from the metrics messages."""
    out: dict[str, list[tuple[float, float]]] = {
        "throughput_rps": [],
        "p50": [],
        "p95": [],
        "p99": [],
        "failed": [],
    }
    for m in data.metrics:
        t = float(m.get("t", 0))
        lat = m.get("latency_ms") or {}
        out["throughput_rps"].append((t, float(m.get("throughput_rps", 0))))
        for q in ("p50", "p95", "p99"):
            out[q].append((t, float(lat.get(q, 0))))
        out["failed"].append((t, float(m.get("failed", 0))))
    return out


def key_metrics(data: ReportData) -> list[tuple[str, str]]:
    """(label, value) rows of the run summary."""
    s = data.result.get("summary") or {}
    lat = s.get("latency_ms") or {}
    rows = [
        ("requests", s.get("requests")),
        ("completed", s.get("completed")),
        ("failed", s.get("failed")),
        ("throughput (rps)", s.get("throughput_rps")),
    ]
    rows += [(f"latency {k} (ms)", lat.get(k)) for k in ("mean", "p50", "p95", "p99", "max")]
    rows += [
        ("simulated time (s)", data.result.get("sim_time_s")),
        ("events", data.result.get("events")),
    ]
    return [(label, fmt(value)) for label, value in rows if value is not None]


def node_rows(data: ReportData) -> tuple[list[str], list[list[str]]]:
    """A per-node table: header and rows (scalar stats and the latency mean/p99)."""
    header = ["node", "kind", "throughput", "utilization", "latency mean", "latency p99", "errors"]
    rows = []
    for node_id, st in sorted((data.result.get("nodes") or {}).items()):
        lat = st.get("latency_ms") or {}
        errors = sum(
            v
            for k, v in st.items()
            if k in ("failed", "errors", "rejected", "refused", "dropped", "timeouts")
            and isinstance(v, int | float)
        )
        rows.append(
            [
                node_id,
                str(st.get("kind", "")),
                fmt(st.get("throughput_rps")),
                fmt(st.get("utilization")),
                fmt(lat.get("mean")),
                fmt(lat.get("p99")),
                fmt(errors),
            ]
        )
    return header, rows


def fmt(value: Any) -> str:
    """Numbers to at most 4 significant digits; None as a dash."""
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)
