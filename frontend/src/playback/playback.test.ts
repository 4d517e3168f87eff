import { describe, expect, it } from "vitest";
import type { DoneMsg, FrameMsg, LoggedMsg, MetricsMsg } from "../net/protocol";
import { PlaybackClock } from "./clock";
import { Player } from "./player";
import { SeqBuffer } from "./seqbuffer";

const frame = (seq: number, t0: number, t1: number, ts: number[]): FrameMsg => ({
  type: "frame", run_id: "r", seq, t0, t1, total: ts.length,
  events: { ts, dt: ts.map(() => 0.001), src: ts.map(() => 0), dst: ts.map(() => 1), edge: ts.map(() => 0), kind: ts.map(() => 0) },
  nodes: { q: [0, 2], busy: [0, 1], up: [1, 1] },
});
const metrics = (seq: number, t: number, rps: number): MetricsMsg => ({
  type: "metrics", run_id: "r", seq, t, window_s: 1, throughput_rps: rps,
  latency_ms: { mean: 1, p50: 1, p95: 2, p99: 3 }, requests: 1, completed: 1, failed: 0,
});
const done = (seq: number, end: number): DoneMsg => ({
  type: "done", run_id: "r", seq, status: "done",
  result: { format: "topolab.result/1", seed: 1, sim_time_s: end, events: 1, wall_s: 0,
    summary: { requests: 1, completed: 1, failed: 0, throughput_rps: 1, latency_ms: { mean: 1, p50: 1, p95: 1, p99: 1, max: 1 } } },
});

describe("SeqBuffer", () => {
  it("hands on messages in seq order, once each", () => {
    const b = new SeqBuffer();
    expect(b.push(frame(2, 0.25, 0.5, []))).toBe("gap");
    expect(b.hasGap).toBe(true);
    expect(b.drain()).toEqual([]);
    expect(b.lastSeq).toBe(0);
    expect(b.push(frame(1, 0, 0.25, []))).toBe("accepted");
    expect(b.drain().map((m) => m.seq)).toEqual([1, 2]);
    expect(b.push(frame(2, 0.25, 0.5, []))).toBe("duplicate");
    expect(b.push(frame(1, 0, 0.25, []))).toBe("duplicate");
    expect(b.lastSeq).toBe(2);
    expect(b.hasGap).toBe(false);
  });

  it("drops a duplicate that arrives while a gap is open", () => {
    const b = new SeqBuffer();
    b.push(frame(1, 0, 1, []));
    b.push(frame(3, 2, 3, []));
    expect(b.push(frame(3, 2, 3, []))).toBe("duplicate");
    b.push(frame(2, 1, 2, []));
    expect(b.drain().map((m) => m.seq)).toEqual([1, 2, 3]);
  });
});

describe("PlaybackClock", () => {
  it("advances by wall time x speed, clamped to the limit", () => {
    const c = new PlaybackClock();
    c.play();
    c.tick(0, 10);
    expect(c.tick(100, 10)).toBeCloseTo(0.1);
    c.setSpeed(10);
    expect(c.tick(200, 10)).toBeCloseTo(1.1);
    expect(c.tick(450, 1.5)).toBeCloseTo(1.5);
    expect(c.waiting).toBe(true);
    c.pause();
    expect(c.tick(1000, 10)).toBeCloseTo(1.5);
    c.play();
    c.tick(2000, 10);
    expect(c.tick(2100, 10)).toBeCloseTo(2.5);
  });

  it("does not leap after a long pause of the tab", () => {
    const c = new PlaybackClock();
    c.play();
    c.tick(0, 100);
    expect(c.tick(60_000, 100)).toBeCloseTo(0.25);
  });
});

describe("Player", () => {
  it("releases events whose send time has passed, at the chosen speed", () => {
    const p = new Player();
    p.push(frame(1, 0, 0.5, [0.1, 0.2, 0.45]));
    p.push(metrics(2, 0.5, 42));
    p.push(frame(3, 0.5, 1.0, [0.6, 0.9]));
    p.clock.setSpeed(2);
    p.clock.play();
    expect(p.tick(0).events).toEqual([]);
    const r1 = p.tick(100); // 0.2 s simulated
    expect(r1.events.map((e) => e.ts)).toEqual([0.1, 0.2]);
    expect(r1.metrics).toEqual([]);
    const r2 = p.tick(250); // 0.5 s
    expect(r2.events.map((e) => e.ts)).toEqual([0.45]);
    expect(r2.metrics.map((m) => m.throughput_rps)).toEqual([42]);
    expect(r2.nodes?.q).toEqual([0, 2]);
    const r3 = p.tick(500); // 1.0 s, the end of what arrived
    expect(r3.events.map((e) => e.ts)).toEqual([0.6, 0.9]);
    expect(p.tick(700).events).toEqual([]);
    expect(p.clock.playhead).toBeCloseTo(1.0);
    expect(p.clock.waiting).toBe(true);
  });

  it("waits for missing seqs before releasing what follows", () => {
    const p = new Player();
    p.clock.setSpeed(100);
    p.clock.play();
    expect(p.push(frame(2, 0.5, 1, [0.7]))).toBe("gap");
    p.tick(0);
    expect(p.tick(100).events).toEqual([]);
    expect(p.push(frame(1, 0, 0.5, [0.1]))).toBe("accepted");
    expect(p.tick(200).events.map((e) => e.ts)).toEqual([0.1, 0.7]);
    expect(p.push(frame(1, 0, 0.5, [0.1]))).toBe("duplicate");
    expect(p.duplicates).toBe(1);
  });

  it("sorts a frame whose events are out of order", () => {
    const p = new Player();
    p.push(frame(1, 0, 1, [0.5, 0.1, 0.3]));
    p.clock.setSpeed(100);
    p.clock.play();
    p.tick(0);
    expect(p.tick(100).events.map((e) => e.ts)).toEqual([0.1, 0.3, 0.5]);
  });

  it("releases done when the playhead reaches the end, then stops", () => {
    const p = new Player();
    p.push(frame(1, 0, 1, [0.5]));
    p.push(done(2, 2));
    p.clock.setSpeed(10);
    p.clock.play();
    p.tick(0);
    expect(p.tick(100).done).toBeNull();
    expect(p.tick(250).done?.result.sim_time_s).toBe(2);
    expect(p.clock.playing).toBe(false);
    expect(p.timeline.finished).toBe(true);
  });
});

describe("seek and step", () => {
  const frame = (seq: number, t0: number, t1: number, ts: number[], up: number): LoggedMsg => ({
    type: "frame", run_id: "r", seq, t0, t1, total: ts.length,
    events: { ts, dt: ts.map(() => 0.001), src: ts.map(() => 0), dst: ts.map(() => 1), edge: ts.map(() => 0), kind: ts.map(() => 0) },
    nodes: { q: [0, 0], busy: [0, 0], up: [1, up] },
  });
  const metrics = (seq: number, t: number): LoggedMsg => ({
    type: "metrics", run_id: "r", seq, t, window_s: 1, throughput_rps: t, latency_ms: { mean: 1, p50: 1, p95: 1, p99: 1 },
    requests: 0, completed: 0, failed: 0,
  });

  it("rewinds: events, node states and metrics are released again from the new playhead", () => {
    const p = new Player();
    p.push(frame(1, 0, 1, [0.2, 0.6], 1));
    p.push(metrics(2, 1));
    p.push(frame(3, 1, 2, [1.5], 0));
    p.push(metrics(4, 2));
    expect(p.timeline.release(2).events).toHaveLength(3);
    expect(p.seek(0.5)).toBe(0.5);
    const again = p.timeline.release(2);
    expect(again.events.map((e) => e.ts)).toEqual([0.6, 1.5]);
    expect(again.metrics.map((m) => m.t)).toEqual([1, 2]);
    expect(again.nodes?.up).toEqual([1, 0]);
    p.seek(1.2);
    expect(p.timeline.release(1.2).nodes?.up).toEqual([1, 1]); // the state at t1=1
    expect(p.seek(99)).toBe(2); // clamped to what has arrived
  });

  it("steps while paused", () => {
    const p = new Player();
    p.push(frame(1, 0, 1, [0.2, 0.6], 1));
    p.clock.play();
    p.step(0.3);
    expect(p.clock.playing).toBe(false);
    expect(p.tick(1000).events.map((e) => e.ts)).toEqual([0.2]);
  });
});

describe("Timeline trace links and windows", () => {
  it("hands traced events their trace and span, following a defensive re-sort", () => {
    const p = new Player();
    const f = { ...frame(1, 0, 1, [0.5, 0.1, 0.3]), traced: { row: [0, 2], trace: [7, 8], span: [1, 2] } };
    p.push(f);
    p.clock.play();
    p.tick(0);
    p.clock.playhead = 1;
    const evs = p.timeline.release(1).events;
    expect(evs.map((e) => [e.ts, e.trace, e.span])).toEqual([[0.1, undefined, undefined], [0.3, 8, 2], [0.5, 7, 1]]);
  });
  it("lists the events of a time window across frames, filtered and capped evenly", () => {
    const p = new Player();
    p.push(frame(1, 0, 1, [0.2, 0.6, 0.9]));
    p.push(frame(2, 1, 2, [1.1, 1.5, 1.9]));
    const tl = p.timeline;
    expect(tl.eventsBetween(0.5, 1.6, 10).map((e) => e.ts)).toEqual([0.6, 0.9, 1.1, 1.5]);
    expect(tl.eventsBetween(0.5, 1.6, 2).map((e) => e.ts)).toEqual([0.6, 1.1]);
    expect(tl.eventsBetween(0, 2, 10, (src) => src === 1)).toEqual([]);
    expect(tl.eventsBetween(5, 6, 10)).toEqual([]);
  });
});
