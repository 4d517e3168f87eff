"""The PDF report: the HTML report's content laid out on A4 with reportlab (no URL fetched).

Topology and charts are reportlab graphics Drawings built from the same data as the SVGs;
user text goes into Paragraphs escaped (reportlab's Paragraph parses a small markup language).
"""

from __future__ import annotations

import io
from html import escape

from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Circle, Drawing, Line, Polygon, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from apps.reports.data import ReportData, key_metrics, node_rows, notable_events, series
from apps.reports.html_report import parameters
from apps.reports.svg import SERIES_COLOURS, kind_colour, layout

_WIDTH = A4[0] - 36 * mm


def topology_drawing(data: ReportData, width: float = _WIDTH, height: float = 200) -> Drawing:
    """Nodes and arrows (y flipped: PDF y grows upwards)."""
    d = Drawing(width, height)
    pos = {k: (x, height - y) for k, (x, y) in layout(data.scenario, width, height, 36, 70).items()}
    grey = colors.HexColor("#64748b")
    for edge in data.scenario.get("edges", []):
        a, b = pos.get(str(edge.get("source"))), pos.get(str(edge.get("target")))
        if a is None or b is None:
            continue
        dx, dy = b[0] - a[0], b[1] - a[1]
        dist = max((dx * dx + dy * dy) ** 0.5, 1e-9)
        ux, uy = dx / dist, dy / dist
        x1, y1, x2, y2 = a[0] + ux * 14, a[1] + uy * 14, b[0] - ux * 14, b[1] - uy * 14
        d.add(Line(x1, y1, x2, y2, strokeColor=grey, strokeWidth=1.5))
        d.add(
            Polygon(
                [
                    x2,
                    y2,
                    x2 - ux * 7 - uy * 4,
                    y2 - uy * 7 + ux * 4,
                    x2 - ux * 7 + uy * 4,
                    y2 - uy * 7 - ux * 4,
                ],
                fillColor=grey,
                strokeColor=grey,
            )
        )
    for node in data.scenario.get("nodes", []):
        x, y = pos[str(node.get("id"))]
        fill = colors.HexColor(kind_colour(str(node.get("kind"))))
        d.add(Circle(x, y, 12, fillColor=fill, strokeColor=colors.black))
        label = str(node.get("label") or node.get("id"))[:40]
        d.add(String(x, y - 24, label, fontSize=8, textAnchor="middle"))
        d.add(
            String(
                x, y - 33, str(node.get("kind")), fontSize=7, textAnchor="middle", fillColor=grey
            )
        )
    return d


def chart_drawing(title: str, named: dict[str, list[tuple[float, float]]], unit: str) -> Drawing:
    """A line plot with a title and legend."""
    d = Drawing(_WIDTH, 140)
    d.add(String(0, 128, f"{title} ({unit})", fontSize=10, fontName="Helvetica-Bold"))
    data = [pts for pts in named.values() if pts]
    if not data:
        d.add(String(40, 70, "no data", fontSize=9))
        return d
    plot = LinePlot()
    plot.x, plot.y, plot.width, plot.height = 40, 18, _WIDTH - 60, 96
    plot.data = data
    for i in range(len(data)):
        plot.lines[i].strokeColor = colors.HexColor(SERIES_COLOURS[i % len(SERIES_COLOURS)])
        plot.lines[i].strokeWidth = 1.2
    plot.xValueAxis.labels.fontSize = plot.yValueAxis.labels.fontSize = 7
    plot.yValueAxis.valueMin = 0
    d.add(plot)
    legend = Legend()
    legend.x, legend.y, legend.fontSize, legend.alignment = _WIDTH - 200, 135, 7, "right"
    legend.columnMaximum, legend.dx, legend.dy = 1, 6, 6
    legend.colorNamePairs = [
        (colors.HexColor(SERIES_COLOURS[i % len(SERIES_COLOURS)]), name)
        for i, name in enumerate(named)
    ]
    d.add(legend)
    return d


def _table(rows: list[list[str]], header: bool = True, widths: list[float] | None = None) -> Table:
    style = getSampleStyleSheet()["BodyText"].clone("cell", fontSize=7.5, leading=9)
    cells = [[Paragraph(escape(str(c)), style) for c in row] for row in rows]
    table = Table(cells, colWidths=widths, repeatRows=1 if header else 0, hAlign="LEFT")
    commands = [
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#cbd5e1")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f1f5f9")))
    table.setStyle(TableStyle(commands))
    return table


def render_pdf(data: ReportData) -> bytes:
    """The report as PDF bytes."""
    styles = getSampleStyleSheet()
    h2 = styles["Heading2"]
    s = series(data)
    story = [
        Paragraph(escape(data.name), styles["Title"]),
        Paragraph(
            escape(
                f"Run {data.run_id} · {data.status} · seed {data.seed} · "
                f"{data.duration_s:g} simulated seconds"
            ),
            styles["Normal"],
        ),
    ]
    if data.explanation:
        story += [
            Paragraph(escape(f"The pattern: {data.template_title}"), h2),
            Paragraph(escape(data.explanation), styles["BodyText"]),
        ]
    story += [Paragraph("Topology", h2), topology_drawing(data), Paragraph("Key metrics", h2)]
    story.append(
        _table([list(r) for r in key_metrics(data)], header=False, widths=[60 * mm, 40 * mm])
    )
    header, rows = node_rows(data)
    story += [Paragraph("Per node", h2), _table([header, *rows])]
    story += [
        # The heading stays with its first chart instead of ending a page alone.
        KeepTogether(
            [
                Paragraph("Time series", h2),
                chart_drawing("Throughput", {"completed/s": s["throughput_rps"]}, "rps"),
            ]
        ),
        chart_drawing("Latency", {"p50": s["p50"], "p95": s["p95"], "p99": s["p99"]}, "ms"),
        chart_drawing("Errors (cumulative failed)", {"failed": s["failed"]}, "requests"),
    ]
    events = notable_events(data)
    story.append(Paragraph("Notable events", h2))
    story.append(
        _table([["when", "what"], *[list(e) for e in events]], widths=[30 * mm, None])
        if events
        else Paragraph("None.", styles["BodyText"])
    )
    settings = sorted((data.scenario.get("settings") or {}).items())
    params = [[f"settings.{k}", "", str(v)] for k, v in settings] + [
        list(p) for p in parameters(data)
    ]
    story += [
        Paragraph("Scenario parameters", h2),
        _table([["where", "kind", "parameters"], *params], widths=[45 * mm, 25 * mm, None]),
        Spacer(1, 6),
    ]
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=data.name,
        author="Topolab",
        invariant=1,
    )
    doc.build(story)
    return out.getvalue()
