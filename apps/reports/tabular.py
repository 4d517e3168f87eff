"""The machine-readable report formats: CSV time series and the JSON bundle."""

from __future__ import annotations

import csv
import io
from typing import Any

from apps.reports.data import ReportData

JSON_FORMAT = "topolab.report/1"
CSV_COLUMNS = (
    "t",
    "throughput_rps",
    "latency_mean_ms",
    "latency_p50_ms",
    "latency_p95_ms",
    "latency_p99_ms",
    "requests",
    "completed",
    "failed",
)


def render_csv(data: ReportData) -> str:
    """One row per logged metrics message, in simulated-time order."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for m in data.metrics:
        lat = m.get("latency_ms") or {}
        writer.writerow(
            [
                m.get("t"),
                m.get("throughput_rps"),
                lat.get("mean"),
                lat.get("p50"),
                lat.get("p95"),
                lat.get("p99"),
                m.get("requests"),
                m.get("completed"),
                m.get("failed"),
            ]
        )
    return out.getvalue()


def render_json(data: ReportData) -> dict[str, Any]:
    """The bundle to re-run or archive: scenario as run, seed and result."""
    return {
        "format": JSON_FORMAT,
        "run_id": data.run_id,
        "scenario": data.scenario,
        "seed": data.seed,
        "duration_s": data.duration_s,
        "result": data.result,
    }
