import { describe, expect, it } from "vitest";
import type { TraceJson } from "../net/protocol";
import type { TokenEvent } from "../playback/timeline";
import type { Token } from "../render/tokens";
import { DrawnTokens } from "./hitTest";
import { MAX_ARROWS, lanesOf, layoutSequence, nearestArrow, scopeOf } from "./sequence";
import { TraceStore, traceAt, traceLabel, waterfall } from "./traces";

const tok = (src: number): Token => ({ start: 0, life: 1, src, dst: src + 1, kind: 0, dt: 0.001, edge: 0 });

describe("DrawnTokens", () => {
  it("finds the nearest token within the radius, across growth and resets", () => {
    const d = new DrawnTokens();
    for (let i = 0; i < 300; i++) d.push(i * 10, 5, tok(i));
    expect(d.nearest(1003, 6, 6)?.src).toBe(100);
    expect(d.nearest(1005.5, 30, 6)).toBeNull();
    d.reset();
    expect(d.nearest(1003, 6, 6)).toBeNull();
  });
});

// The shape of a real trace of the service-mesh template (users -> proxy -> front -> proxy -> back).
const mesh: TraceJson = { trace_id: 42, spans: [
  { span_id: 0, parent: null, node: "users", start_ms: 100, end_ms: 121.6, ok: true },
  { span_id: 1, parent: 0, node: "front-proxy", start_ms: 101, end_ms: 120.6, ok: true },
  { span_id: 2, parent: 1, node: "front", start_ms: 102, end_ms: 119.6, ok: true },
  { span_id: 4, parent: 2, node: "db", start_ms: 110, end_ms: null, ok: null },
  { span_id: 3, parent: 2, node: "back-proxy", start_ms: 105, end_ms: 118, ok: true },
] };

describe("traces", () => {
  it("lays spans out depth first, children in start order, open spans to the end", () => {
    const w = waterfall(mesh);
    expect(w.rows.map((r) => [r.span.node, r.depth])).toEqual([["users", 0], ["front-proxy", 1], ["front", 2], ["back-proxy", 3], ["db", 3]]);
    expect(w.t0).toBe(100);
    expect(w.t1).toBe(121.6);
    const db = w.rows.find((r) => r.span.node === "db")!;
    expect(db.open).toBe(true);
    expect(db.end).toBe(121.6);
  });
  it("survives a span whose parent is missing or itself", () => {
    const w = waterfall({ trace_id: 1, spans: [{ span_id: 0, parent: 0, node: "a", start_ms: 1, end_ms: 2, ok: true },
      { span_id: 1, parent: 9, node: "b", start_ms: 1.5, end_ms: 2, ok: false }] });
    expect(w.rows.map((r) => [r.span.node, r.depth])).toEqual([["a", 0], ["b", 0]]);
  });
  it("keeps the latest version of each trace, lists them by start, skips malformed ones", () => {
    const s = new TraceStore();
    s.add([{ ...mesh, trace_id: 7, spans: [{ ...mesh.spans[0]!, start_ms: 300 }] }, mesh, { trace_id: "x" }]);
    expect(s.list().map((t) => t.trace_id)).toEqual([42, 7]);
    const v = s.version;
    s.add([{ ...mesh, spans: mesh.spans.slice(0, 2) }]);
    expect(s.get(42)!.spans).toHaveLength(2);
    expect(s.version).toBeGreaterThan(v);
    expect(traceLabel(mesh)).toEqual({ root: "users", ms: expect.closeTo(21.6, 6), ok: true, hops: 4 });
  });
  it("shows the last trace started by the playhead, else the first", () => {
    const at = (id: number, ms: number): TraceJson => ({ trace_id: id, spans: [{ ...mesh.spans[0]!, start_ms: ms }] });
    const list = [at(1, 500), at(2, 12_000), at(3, 12_000), at(4, 31_000)];
    expect(traceAt(list, 0)!.trace_id).toBe(1);
    expect(traceAt(list, 12)!.trace_id).toBe(3);
    expect(traceAt(list, 30.9)!.trace_id).toBe(3);
    expect(traceAt(list, 99)!.trace_id).toBe(4);
    expect(traceAt([], 5)).toBeNull();
  });
});

const ev = (ts: number, src: number, dst: number, dt = 0.01): TokenEvent => ({ ts, dt, src, dst, edge: 0, kind: 0 });

describe("sequence diagram", () => {
  const ids = ["users", "lb", "api-1", "api-2"];
  it("scopes to the selection, or everything when there are few nodes", () => {
    expect(scopeOf(ids, ["lb", "api-2"])!.fixed).toEqual([1, 3]);
    expect(scopeOf(ids, ["lb", "api-2"])!.keep(1, 0)).toBe(false);
    expect(scopeOf(ids, [])!.fixed).toEqual([0, 1, 2, 3]);
    const many = Array.from({ length: 20 }, (_, i) => `n${i}`);
    expect(scopeOf(many, [])).toBeNull();
    const one = scopeOf(many, ["n5"])!;
    expect(one.keep(5, 9) && one.keep(2, 5) && !one.keep(2, 3)).toBe(true);
    expect(lanesOf(one, [ev(0, 5, 9), ev(0.1, 2, 5), ev(0.2, 9, 5)])).toEqual([5, 9, 2]);
  });
  it("draws each message from sender at send time to receiver at arrival, with the cursor", () => {
    const box = { width: 400, height: 210, left: 50, right: 50, top: 10, bottom: 0 };
    const l = layoutSequence([ev(1.0, 0, 2, 0.5), ev(1.5, 2, 2)], [0, 1, 2], ids, 0, 2, 1.0, box);
    expect(l.lanes).toEqual([{ id: "users", x: 50 }, { id: "lb", x: 200 }, { id: "api-1", x: 350 }]);
    expect(l.arrows).toHaveLength(1); // a self-message has no arrow
    expect(l.arrows[0]).toMatchObject({ x0: 50, y0: 110, x1: 350, y1: 160 });
    expect(l.cursorY).toBe(110);
    expect(nearestArrow(l.arrows, 200, 136, 5)?.ev.ts).toBe(1.0); // on the slanted line
    expect(nearestArrow(l.arrows, 200, 110, 5)).toBeNull();
  });
  it("caps the arrows drawn", () => {
    const many = Array.from({ length: 1000 }, (_, i) => ev(i / 1000, 0, 1));
    const l = layoutSequence(many, [0, 1], ids, 0, 1, 0.5, { width: 100, height: 100, left: 0, right: 0, top: 0, bottom: 0 });
    expect(l.arrows).toHaveLength(MAX_ARROWS);
  });
});
