"""The self-contained HTML report: one file, inline CSS and SVG, no script, no URL.

Served with ``Content-Security-Policy: default-src 'none'; style-src 'unsafe-inline';
img-src data:`` so even a rendering bug cannot make it fetch or execute anything.
"""

from __future__ import annotations

from django.template.loader import render_to_string

from apps.reports.data import (
    ReportData,
    fmt,
    key_metrics,
    node_rows,
    notable_events,
    series,
)
from apps.reports.svg import line_chart_svg, topology_svg

REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def parameters(data: ReportData) -> list[tuple[str, str, str]]:
    """(node, kind, "param=value, ...") rows of the scenario as run."""
    rows = []
    for node in data.scenario.get("nodes", []):
        params = node.get("params") or {}
        text = ", ".join(f"{k}={fmt(v)}" for k, v in sorted(params.items()))
        rows.append((str(node.get("id")), str(node.get("kind")), text))
    for edge in data.scenario.get("edges", []):
        params = edge.get("params") or {}
        text = ", ".join(f"{k}={fmt(v)}" for k, v in sorted(params.items()))
        rows.append((f"{edge.get('id')} ({edge.get('source')}→{edge.get('target')})", "edge", text))
    return rows


def charts(data: ReportData) -> list[str]:
    """The three time-series charts as SVG strings (safe: built by escaping every text)."""
    s = series(data)
    return [
        line_chart_svg("Throughput", {"completed/s": s["throughput_rps"]}, "rps"),
        line_chart_svg("Latency", {"p50": s["p50"], "p95": s["p95"], "p99": s["p99"]}, "ms"),
        line_chart_svg("Errors (cumulative failed requests)", {"failed": s["failed"]}, "req"),
    ]


def render_html(data: ReportData) -> str:
    """The report page."""
    header, rows = node_rows(data)
    settings = data.scenario.get("settings") or {}
    context = {
        "d": data,
        "topology": topology_svg(data.scenario),
        "charts": charts(data),
        "summary": key_metrics(data),
        "node_header": header,
        "node_rows": rows,
        "events": notable_events(data),
        "params": parameters(data),
        "settings": sorted((k, fmt(v)) for k, v in settings.items()),
    }
    return render_to_string("reports/report.html", context)
