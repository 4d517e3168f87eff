"""Inline SVG drawings for the HTML report: the topology and line charts.

Every piece of user text goes through ``html.escape`` (labels are user input: a label such as
``<img src=x onerror=...>`` must appear as text). No external references: the report opens
offline and under ``default-src 'none'``.
"""

from __future__ import annotations

from html import escape
from typing import Any

KIND_COLOURS = {
    "client": "#2563eb",
    "service": "#059669",
    "load_balancer": "#7c3aed",
    "cache": "#d97706",
    "database": "#b91c1c",
    "queue": "#0891b2",
}
SERIES_COLOURS = ("#2563eb", "#059669", "#d97706", "#b91c1c", "#7c3aed")


def kind_colour(kind: str) -> str:
    """A stable colour per node kind (grey for kinds without one)."""
    return KIND_COLOURS.get(kind, "#475569")


def layout(
    scenario: dict[str, Any], width: float, height: float, pad: float = 40, pad_x: float = 100
) -> dict:
    """Node id -> (x, y) scaled into the box, keeping the aspect ratio (``pad_x`` leaves room
    for labels centred under the outermost nodes)."""
    nodes = [n for n in scenario.get("nodes", []) if isinstance(n, dict)]
    if not nodes:
        return {}
    xs = [float(n.get("x", 0)) for n in nodes]
    ys = [float(n.get("y", 0)) for n in nodes]
    sx = (width - 2 * pad_x) / max(max(xs) - min(xs), 1.0)
    sy = (height - 2 * pad) / max(max(ys) - min(ys), 1.0)
    scale = min(sx, sy)
    cx = (width - scale * (max(xs) - min(xs))) / 2
    cy = (height - scale * (max(ys) - min(ys))) / 2
    return {
        str(n.get("id")): (cx + (x - min(xs)) * scale, cy + (y - min(ys)) * scale)
        for n, x, y in zip(nodes, xs, ys, strict=True)
    }


def topology_svg(scenario: dict[str, Any], width: int = 760, height: int = 300) -> str:
    """The scenario's nodes (circles coloured by kind, escaped labels) and edges (arrows)."""
    pos = layout(scenario, width, height)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="topology">',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto"><path d="M0,0L10,5L0,10z" fill="#64748b"/></marker></defs>',
    ]
    for edge in scenario.get("edges", []):
        a, b = pos.get(str(edge.get("source"))), pos.get(str(edge.get("target")))
        if a is None or b is None:
            continue
        dx, dy = b[0] - a[0], b[1] - a[1]
        dist = max((dx * dx + dy * dy) ** 0.5, 1e-9)
        r = 18 / dist  # stop at the circles' rims
        parts.append(
            f'<line x1="{a[0] + dx * r:.1f}" y1="{a[1] + dy * r:.1f}" x2="{b[0] - dx * r:.1f}" '
            f'y2="{b[1] - dy * r:.1f}" stroke="#64748b" stroke-width="2" '
            'marker-end="url(#arrow)"/>'
        )
    for node in scenario.get("nodes", []):
        x, y = pos[str(node.get("id"))]
        label = escape(str(node.get("label") or node.get("id")))
        colour = kind_colour(str(node.get("kind")))
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="16" fill="{colour}" stroke="#0f172a"/>'
            f'<text x="{x:.1f}" y="{y + 32:.1f}" text-anchor="middle" font-size="12">{label}</text>'
            f'<text x="{x:.1f}" y="{y + 46:.1f}" text-anchor="middle" font-size="10" '
            f'fill="#64748b">{escape(str(node.get("kind")))}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def line_chart_svg(
    title: str,
    series: dict[str, list[tuple[float, float]]],
    unit: str,
    width: int = 760,
    height: int = 220,
) -> str:
    """A multi-series line chart with axes, min/max ticks and a legend."""
    left, right, top, bottom = 56, 12, 28, 30
    points = [p for s in series.values() for p in s]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{escape(title)}">',
        f'<text x="{left}" y="16" font-size="13" font-weight="600">{escape(title)}</text>',
    ]
    if not points:
        parts.append(f'<text x="{left}" y="{height / 2}" font-size="12">no data</text></svg>')
        return "".join(parts)
    t0, t1 = min(p[0] for p in points), max(p[0] for p in points)
    vmax = max(max(p[1] for p in points), 1e-9)
    w, h = width - left - right, height - top - bottom

    def sx(t: float) -> float:
        return left + (t - t0) / max(t1 - t0, 1e-9) * w

    def sy(v: float) -> float:
        return top + h - v / vmax * h

    parts.append(
        f'<path d="M{left},{top}V{top + h}H{left + w}" stroke="#94a3b8" fill="none"/>'
        f'<text x="{left - 4}" y="{top + 4}" text-anchor="end" font-size="10">{vmax:.4g}</text>'
        f'<text x="{left - 4}" y="{top + h}" text-anchor="end" font-size="10">0</text>'
        f'<text x="{left - 4}" y="{top + h / 2}" text-anchor="end" '
        f'font-size="10">{escape(unit)}</text>'
        f'<text x="{left}" y="{top + h + 16}" font-size="10">{t0:g} s</text>'
        f'<text x="{left + w}" y="{top + h + 16}" text-anchor="end" font-size="10">{t1:g} s</text>'
    )
    lx = width - right - 90 * len(series)  # the legend sits top right, clear of the title
    for i, (name, pts) in enumerate(series.items()):
        colour = SERIES_COLOURS[i % len(SERIES_COLOURS)]
        path = " ".join(f"{sx(t):.1f},{sy(v):.1f}" for t, v in pts)
        parts.append(
            f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="1.5"/>'
            f'<rect x="{lx + i * 90}" y="8" width="10" height="10" fill="{colour}"/>'
            f'<text x="{lx + 14 + i * 90}" y="17" font-size="11">{escape(name)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
