"""Mermaid flowcharts <-> topolab/1 scenarios.

Import model: a Mermaid ``graph``/``flowchart`` is a list of statements (lines, or ``;``-separated);
a statement is a chain ``A[label] --> B & C -->|text| D``. Every node becomes a scenario node whose
kind is guessed from its shape (a cylinder ``[( )]`` is a database) and from words in its id and
label (``Cache``, ``Gateway``, ``LB``, ``Queue``...). A guess names a kind only if the engine
registry has it *now* (``apps.engine.kinds.KINDS``), otherwise the node becomes a ``service`` and
is flagged, as is any node with no recognised word. Edges keep their direction (``<--`` reverses,
``<-->`` gives two edges). Subgraphs, styles, classes and clicks are ignored. A layered layout
(depth from the sources) gives x/y. Input is bounded (bytes, lines, nodes, edges, label length)
and every error names the line.

Export model: nodes as ``id["label"]`` (a cylinder for databases), edges as ``a --> b``, labels
escaped with Mermaid entities, and a ``%% topolab:kind id kind`` comment per node so an export
imports back to the same kinds.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from apps.engine import ScenarioError, parse_scenario

MAX_BYTES = 100_000
MAX_LINES = 5_000
MAX_NODES = 500
MAX_EDGES = 2_000
MAX_LABEL = 200

_HEADER = re.compile(r"^\s*(graph|flowchart)(\s+(TB|TD|BT|LR|RL))?\s*;?\s*$", re.IGNORECASE)
_IGNORED = re.compile(
    r"^\s*(subgraph\b|end\s*$|classDef\b|class\b|style\b|linkStyle\b|click\b|direction\b)",
    re.IGNORECASE,
)
_KIND_HINT = re.compile(r"^\s*%%\s*topolab:kind\s+([A-Za-z0-9_]+)\s+([a-z_]+)\s*$")
_ID = re.compile(r"[A-Za-z0-9_]+")
# (opener, closer, shape) longest openers first so "[(" wins over "[".
_SHAPES = (
    ("([", "])", "stadium"),
    ("[(", ")]", "cylinder"),
    ("((", "))", "circle"),
    ("{{", "}}", "hexagon"),
    ("[[", "]]", "subroutine"),
    ("[/", "/]", "parallelogram"),
    ("[\\", "\\]", "parallelogram"),
    ("(", ")", "round"),
    ("[", "]", "rect"),
    ("{", "}", "rhombus"),
    (">", "]", "flag"),
)
_EDGE_TEXT = re.compile(
    r"\s*(--|==|-\.)\s*(?P<label>[^\->=|.\s][^|]*?)\s*(?P<arrow>-->|==>|\.->|---|===)\s*"
)
_EDGE = re.compile(r"\s*(?P<arrow><?(?:--+|==+|-\.+-)[>xo]?)(?:\|(?P<label>[^|]*)\|)?\s*")
_AMP = re.compile(r"\s*&\s*")

# (pattern over "id label", kind); first match wins, so more specific words come first.
_WORDS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p, re.IGNORECASE), k)
    for p, k in (
        (r"\bevent[ _-]?store\b", "event_store"),
        (r"\bapi[ _-]?gate?way\b|\bgateway\b|\bapigw\b|\bgw\b", "api_gateway"),
        (r"\bload[ _-]?balancer\b|\blb\d*\b|\bbalancer\b|\bhaproxy\b|\bnginx\b", "load_balancer"),
        (r"\bcache\b|\bredis\b|\bmemcached?\b", "cache"),
        (r"\bdb\d*\b|\bdatabase\b|\bpostgres(ql)?\b|\bmysql\b|\bsql\b|\bmongo(db)?\b", "database"),
        (r"\bqueue\b|\bbus\b|\bbroker\b|\bkafka\b|\brabbit(mq)?\b|\btopic\b", "broker"),
        (r"\btracker\b", "tracker"),
        (r"\bpeer\d*\b", "peer"),
        (r"\braft\b", "raft_server"),
        (r"\bregistry\b|\bdiscovery\b", "registry"),
        (r"\bsidecar\b|\bproxy\b", "sidecar"),
        (r"\breplica\d*\b", "replica"),
        (r"\bclients?\b|\bbrowsers?\b|\bapp\b|\busers?\b|\bmobile\b|\bweb ?client\b", "client"),
        (r"\bservice\b|\bsvc\b|\bapi\b|\bserver\b|\bworker\b|\bbackend\b", "service"),
    )
)


_ENTITIES = {"#": "#35;", '"': "#quot;", ";": "#59;"}


class MermaidError(ValueError):
    """Bad Mermaid input: the message is one line that names the problem (and the line)."""


@dataclass
class _Graph:
    direction: str = "TD"
    labels: dict[str, str] = field(default_factory=dict)
    shapes: dict[str, str] = field(default_factory=dict)
    order: list[str] = field(default_factory=list)
    edges: list[tuple[str, str, str]] = field(default_factory=list)
    hints: dict[str, str] = field(default_factory=dict)


def _unescape(text: str) -> str:
    text = re.sub(r"<br\s*/?>", " ", text, flags=re.IGNORECASE)
    text = text.replace("#quot;", '"').replace("#35;", "#").replace("#59;", ";")
    text = re.sub(
        r"#(\d{1,6});", lambda m: chr(int(m.group(1))) if int(m.group(1)) < 0x110000 else "", text
    )
    return " ".join(text.split())


def _escape(text: str) -> str:
    text = re.sub(r'[#";]', lambda m: _ENTITIES[m.group(0)], text)
    return " ".join(text.split())


def _node(g: _Graph, text: str, pos: int, line_no: int) -> int:
    m = _ID.match(text, pos)
    if m is None:
        raise MermaidError(f"line {line_no}: expected a node id at column {pos + 1}")
    node_id, pos = m.group(0), m.end()
    for opener, closer, shape in _SHAPES:
        if text.startswith(opener, pos):
            end = text.find(closer, pos + len(opener))
            if end < 0:
                raise MermaidError(
                    f"line {line_no}: {node_id}: unclosed {opener!r} (expected {closer!r})"
                )
            raw = text[pos + len(opener) : end].strip()
            if len(raw) >= 2 and raw[0] == raw[-1] == '"':
                raw = raw[1:-1]
            label = _unescape(raw)
            if len(label) > MAX_LABEL:
                raise MermaidError(
                    f"line {line_no}: {node_id}: label longer than {MAX_LABEL} characters"
                )
            g.labels[node_id] = label
            g.shapes[node_id] = shape
            pos = end + len(closer)
            break
    if node_id not in g.labels:
        g.labels[node_id] = node_id
        g.shapes.setdefault(node_id, "rect")
    if node_id not in g.order:
        if len(g.order) >= MAX_NODES:
            raise MermaidError(f"line {line_no}: more than {MAX_NODES} nodes")
        g.order.append(node_id)
    return pos


def _group(g: _Graph, text: str, pos: int, line_no: int) -> tuple[list[str], int]:
    ids: list[str] = []
    while True:
        start = pos
        pos = _node(g, text, pos, line_no)
        ids.append(_ID.match(text, start).group(0))  # type: ignore[union-attr]
        amp = _AMP.match(text, pos)
        if amp is None:
            return ids, pos
        pos = amp.end()


def _statement(g: _Graph, text: str, line_no: int) -> None:
    left, pos = _group(g, text, 0, line_no)
    while pos < len(text):
        m = _EDGE_TEXT.match(text, pos) or _EDGE.match(text, pos)
        if m is None:
            raise MermaidError(f"line {line_no}: unexpected {text[pos : pos + 20]!r}")
        arrow, label = m.group("arrow"), (m.group("label") or "").strip()
        if len(label) >= 2 and label[0] == label[-1] == '"':
            label = label[1:-1]
        label = _unescape(label)
        right, pos = _group(g, text, m.end(), line_no)
        for a in left:
            for b in right:
                if arrow.startswith("<") and not arrow.endswith(">"):
                    g.edges.append((b, a, label))
                else:
                    g.edges.append((a, b, label))
                    if arrow.startswith("<"):
                        g.edges.append((b, a, label))
        if len(g.edges) > MAX_EDGES:
            raise MermaidError(f"line {line_no}: more than {MAX_EDGES} edges")
        left = right


def _split_statements(line: str) -> list[str]:
    """Split on ``;`` outside quotes and brackets (labels carry entities like ``#quot;``)."""
    parts, depth, quoted, start = [], 0, False, 0
    for i, ch in enumerate(line):
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in "[({":
            depth += 1
        elif not quoted and ch in "])}":
            depth = max(0, depth - 1)
        elif ch == ";" and not quoted and depth == 0:
            parts.append(line[start:i])
            start = i + 1
    parts.append(line[start:])
    return parts


def parse_graph(text: str) -> _Graph:
    """Parse Mermaid text into nodes (ids, labels, shapes) and directed edges."""
    if not isinstance(text, str):
        raise MermaidError("the input is not text")
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise MermaidError(f"the input is larger than {MAX_BYTES} bytes")
    lines = text.replace("\r\n", "\n").split("\n")
    if len(lines) > MAX_LINES:
        raise MermaidError(f"the input has more than {MAX_LINES} lines")
    g = _Graph()
    header_seen = False
    for line_no, line in enumerate(lines, start=1):
        hint = _KIND_HINT.match(line)
        if hint:
            g.hints[hint.group(1)] = hint.group(2)
            continue
        line = line.split("%%", 1)[0].strip()
        if not line or line in ("---",) or (not header_seen and re.match(r"^\w+\s*:", line)):
            continue
        if not header_seen:
            m = _HEADER.match(line)
            if m is None:
                raise MermaidError(f"line {line_no}: expected 'graph' or 'flowchart' first")
            g.direction = (m.group(3) or "TD").upper()
            header_seen = True
            continue
        for part in _split_statements(line):
            part = part.strip()
            if part and not _IGNORED.match(part):
                _statement(g, part, line_no)
    if not header_seen:
        raise MermaidError("empty input: expected 'graph' or 'flowchart'")
    if not g.order:
        raise MermaidError("the flowchart has no nodes")
    return g


def _kind_of(g: _Graph, node_id: str, kinds: set[str]) -> tuple[str, str | None]:
    """(kind, flag reason or None)."""
    guess = g.hints.get(node_id)
    if guess is None and g.shapes.get(node_id) == "cylinder":
        guess = "database"
    if guess is None:
        words = f"{node_id.replace('_', ' ')} {g.labels[node_id]}"
        guess = next((k for pat, k in _WORDS if pat.search(words)), None)
    if guess is None:
        return "service", "no kind recognised in its name; imported as a service"
    if guess not in kinds:
        return (
            "service",
            f"looks like a {guess}, which this server does not have; imported as a service",
        )
    return guess, None


def _layout(g: _Graph) -> dict[str, tuple[float, float]]:
    incoming = {n: 0 for n in g.order}
    out: dict[str, list[str]] = {n: [] for n in g.order}
    for a, b, _ in g.edges:
        if a != b:
            incoming[b] += 1
            out[a].append(b)
    depth = {n: 0 for n in g.order if incoming[n] == 0} or {g.order[0]: 0}
    queue = deque(depth)
    while queue:
        n = queue.popleft()
        for m in out[n]:
            if m not in depth:
                depth[m] = depth[n] + 1
                queue.append(m)
    for n in g.order:
        depth.setdefault(n, 0)
    rows: dict[int, int] = {}
    pos = {}
    for n in g.order:
        d = depth[n]
        r = rows.get(d, 0)
        rows[d] = r + 1
        along, across = 80 + d * 220.0, 80 + r * 130.0
        pos[n] = (along, across) if g.direction in ("LR", "RL") else (across, along)
    return pos


def mermaid_to_scenario(
    text: str, *, name: str = "Imported from Mermaid"
) -> tuple[dict[str, Any], list[dict[str, str]]]:
    """(scenario JSON, flagged nodes ``[{"id", "label", "reason"}]``); MermaidError on bad input."""
    from apps.engine.kinds import KINDS

    g = parse_graph(text)
    kinds = set(KINDS)
    pos = _layout(g)
    nodes, flagged = [], []
    for node_id in g.order:
        kind, reason = _kind_of(g, node_id, kinds)
        x, y = pos[node_id]
        node: dict[str, Any] = {
            "id": node_id,
            "kind": kind,
            "label": g.labels[node_id],
            "x": x,
            "y": y,
            "params": {},
        }
        nodes.append(node)
        if reason:
            flagged.append({"id": node_id, "label": g.labels[node_id], "reason": reason})
    edges = []
    for i, (a, b, label) in enumerate(g.edges, start=1):
        edge: dict[str, Any] = {"id": f"e{i}", "source": a, "target": b, "params": {}}
        if label:
            edge["label"] = label[:MAX_LABEL]
        edges.append(edge)
    scenario = {"format": "topolab/1", "name": name, "nodes": nodes, "edges": edges}
    try:
        parse_scenario(scenario)
    except ScenarioError as exc:
        raise MermaidError(f"the flowchart is not a valid scenario: {exc.message}") from None
    return scenario, flagged


def scenario_to_mermaid(scenario: dict[str, Any]) -> str:
    """A ``flowchart LR`` of a (valid) scenario; node ids are made Mermaid-safe."""
    safe: dict[str, str] = {}
    for node in scenario.get("nodes", []):
        base = re.sub(r"[^A-Za-z0-9_]", "_", str(node["id"])) or "n"
        cand, i = base, 2
        while cand in safe.values():
            cand, i = f"{base}_{i}", i + 1
        safe[node["id"]] = cand
    lines = ["flowchart LR"]
    for node in scenario.get("nodes", []):
        sid, label = safe[node["id"]], _escape(str(node.get("label") or node["id"]))
        lines.append(f"  %% topolab:kind {sid} {node['kind']}")
        lines.append(
            f'  {sid}[("{label}")]' if node["kind"] == "database" else f'  {sid}["{label}"]'
        )
    for edge in scenario.get("edges", []):
        a, b = safe.get(edge["source"]), safe.get(edge["target"])
        if a and b:
            label = edge.get("label")
            lines.append(f'  {a} -->|"{_escape(label)}"| {b}' if label else f"  {a} --> {b}")
    return "\n".join(lines) + "\n"
