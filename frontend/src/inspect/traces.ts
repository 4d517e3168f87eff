// Sampled request traces of a run: collected from frames as requests finish (frame.traces) and
// replaced by their final version from the result (result.traces). Plus the waterfall layout:
// spans as bars on a time axis, children under their parent in start order. Pure.
import { isTrace, type TraceJson, type TraceSpan } from "../net/protocol";

export class TraceStore {
  private byId = new Map<number, TraceJson>();
  version = 0;

  clear(): void {
    if (this.byId.size) this.version++;
    this.byId.clear();
  }

  /** Adds or replaces traces (a later version of a trace wins); malformed ones are skipped. */
  add(traces: unknown): void {
    if (!Array.isArray(traces)) return;
    let changed = false;
    for (const t of traces) {
      if (!isTrace(t)) continue;
      this.byId.set(t.trace_id, t);
      changed = true;
    }
    if (changed) this.version++;
  }

  get(id: number): TraceJson | null {
    return this.byId.get(id) ?? null;
  }

  /** All traces, earliest request first. */
  list(): TraceJson[] {
    return [...this.byId.values()].sort((a, b) => a.spans[0]!.start_ms - b.spans[0]!.start_ms || a.trace_id - b.trace_id);
  }

  get size(): number {
    return this.byId.size;
  }
}

/** The trace to show at playhead `t` (s): the last one started by then, else the first. */
export function traceAt(list: readonly TraceJson[], t: number): TraceJson | null {
  let at: TraceJson | null = list[0] ?? null;
  for (const trace of list) {
    if (trace.spans[0]!.start_ms > t * 1000) break;
    at = trace;
  }
  return at;
}

export interface WaterfallRow { span: TraceSpan; depth: number; start: number; end: number; open: boolean }
export interface Waterfall { rows: WaterfallRow[]; t0: number; t1: number }

/**
 * Rows in depth-first order (each child under its parent, siblings by start time). A span still
 * open (end null) runs to the latest time seen in the trace and is marked `open`.
 */
export function waterfall(trace: TraceJson): Waterfall {
  const spans = trace.spans;
  const t0 = Math.min(...spans.map((s) => s.start_ms));
  const t1 = Math.max(...spans.map((s) => Math.max(s.start_ms, s.end_ms ?? s.start_ms)));
  const children = new Map<number | null, TraceSpan[]>();
  const ids = new Set(spans.map((s) => s.span_id));
  for (const s of spans) {
    const p = s.parent !== null && ids.has(s.parent) && s.parent !== s.span_id ? s.parent : null;
    const list = children.get(p) ?? [];
    list.push(s);
    children.set(p, list);
  }
  const rows: WaterfallRow[] = [];
  const seen = new Set<number>();
  const visit = (s: TraceSpan, depth: number): void => {
    if (seen.has(s.span_id)) return; // a malformed cycle must not loop
    seen.add(s.span_id);
    rows.push({ span: s, depth, start: s.start_ms, end: s.end_ms ?? t1, open: s.end_ms === null });
    for (const c of sorted(children.get(s.span_id))) visit(c, depth + 1);
  };
  for (const r of sorted(children.get(null))) visit(r, 0);
  return { rows, t0, t1: Math.max(t1, t0 + 1e-3) };
}

const sorted = (l: TraceSpan[] | undefined): TraceSpan[] =>
  (l ?? []).slice().sort((a, b) => a.start_ms - b.start_ms || a.span_id - b.span_id);

/** A short description of a trace for lists: root node, duration, outcome. */
export function traceLabel(t: TraceJson): { root: string; ms: number | null; ok: boolean | null; hops: number } {
  const root = t.spans[0]!;
  return { root: root.node, ms: root.end_ms === null ? null : root.end_ms - root.start_ms, ok: root.ok, hops: t.spans.length - 1 };
}
