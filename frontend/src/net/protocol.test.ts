import { describe, expect, it } from "vitest";
import { decodeMessage, encodeMessage, isLogged } from "./protocol";
import { websocketUrl, withAfter, csrfToken } from "./api";
import { backoffDelay } from "./reconnect";

const frame = {
  type: "frame", run_id: "r1", seq: 3, t0: 0, t1: 0.25, total: 10,
  events: { ts: [0.01, 0.02], dt: [0.001, 0.002], src: [0, 1], dst: [1, 0], edge: [0, 0], kind: [0, 1] },
  nodes: { q: [0, 1], busy: [0, 1], up: [1, 1] },
};

describe("decodeMessage", () => {
  it("decodes every message type", () => {
    const f = decodeMessage(JSON.stringify(frame));
    expect(f?.type).toBe("frame");
    expect(f && isLogged(f)).toBe(true);
    expect(decodeMessage(JSON.stringify({ type: "metrics", run_id: "r1", seq: 4, t: 1, window_s: 1, throughput_rps: 9.5, latency_ms: { mean: 1, p50: 1, p95: 2, p99: 3 }, requests: 1, completed: 1, failed: 0 }))?.type).toBe("metrics");
    expect(decodeMessage(JSON.stringify({ type: "progress", run_id: "r1", seq: 5, sim_time_s: 1, duration_s: 10, events: 100 }))?.type).toBe("progress");
    expect(decodeMessage(JSON.stringify({ type: "done", run_id: "r1", seq: 6, status: "done", result: { summary: { latency_ms: {} } } }))?.type).toBe("done");
    const status = decodeMessage(JSON.stringify({ type: "status", run_id: "r1", status: "running", last_seq: 2 }));
    expect(status?.type).toBe("status");
    expect(status && isLogged(status)).toBe(false);
    const err = decodeMessage(JSON.stringify({ type: "error", run_id: "r1", error: "boom" }));
    expect(err).toMatchObject({ type: "error", details: [] });
    expect(err && isLogged(err)).toBe(false);
    expect(decodeMessage('{"type":"pong"}')).toEqual({ type: "pong" });
  });

  it("defaults missing node columns", () => {
    const { nodes: _n, ...rest } = frame;
    const f = decodeMessage(JSON.stringify(rest));
    expect(f?.type === "frame" && f.nodes).toEqual({ q: [], busy: [], up: [] });
  });

  it("keeps well-formed trace links and traces, drops malformed ones", () => {
    const span = { span_id: 0, parent: null, node: "users", start_ms: 10, end_ms: 12.5, ok: true };
    const f = decodeMessage(JSON.stringify({ ...frame, traced: { row: [1], trace: [7], span: [0] }, traces: [{ trace_id: 7, spans: [span] }, { trace_id: "x" }] }));
    expect(f?.type === "frame" && f.traced).toEqual({ row: [1], trace: [7], span: [0] });
    expect(f?.type === "frame" && f.traces).toEqual([{ trace_id: 7, spans: [span] }]);
    const bad = decodeMessage(JSON.stringify({ ...frame, traced: { row: [5], trace: [7], span: [0] } })); // row past the columns
    expect(bad?.type === "frame" && bad.traced).toBeUndefined();
    expect(bad?.type).toBe("frame"); // the frame itself still plays
  });

  it("drops what does not fit", () => {
    expect(decodeMessage("not json")).toBeNull();
    expect(decodeMessage("[]")).toBeNull();
    expect(decodeMessage('{"type":"mystery","seq":1}')).toBeNull();
    expect(decodeMessage(JSON.stringify({ ...frame, seq: 0 }))).toBeNull();
    expect(decodeMessage(JSON.stringify({ ...frame, events: { ...frame.events, dt: [1] } }))).toBeNull();
    expect(decodeMessage(JSON.stringify({ ...frame, t1: "x" }))).toBeNull();
    expect(decodeMessage(JSON.stringify({ type: "metrics", seq: 1, t: 1 }))).toBeNull();
  });

  it("encodes client messages", () => {
    expect(JSON.parse(encodeMessage({ type: "resync", after: 7 }))).toEqual({ type: "resync", after: 7 });
  });
});

describe("urls and tokens", () => {
  it("builds websocket urls from a path", () => {
    expect(websocketUrl("/ws/runs/abc", { protocol: "http:", host: "127.0.0.1:8000" })).toBe("ws://127.0.0.1:8000/ws/runs/abc");
    expect(websocketUrl("/ws/runs/abc", { protocol: "https:", host: "topolab.example" })).toBe("wss://topolab.example/ws/runs/abc");
    expect(websocketUrl("wss://x/ws/runs/1", { protocol: "http:", host: "y" })).toBe("wss://x/ws/runs/1");
    expect(withAfter("ws://h/ws/runs/1?after=3", 9)).toBe("ws://h/ws/runs/1?after=9");
  });

  it("reads the csrf cookie", () => {
    expect(csrfToken("a=1; csrftoken=abc%3D; b=2")).toBe("abc=");
    expect(csrfToken("a=1")).toBeNull();
  });

  it("backs off exponentially with full jitter", () => {
    const o = { baseMs: 500, maxMs: 15_000, random: () => 1 };
    expect([0, 1, 2, 3, 10].map((a) => backoffDelay(a, o))).toEqual([500, 1000, 2000, 4000, 15_000]);
    expect(backoffDelay(3, { ...o, random: () => 0 })).toBe(100);
  });
});
