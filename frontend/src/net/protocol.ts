// Wire protocol of the run websocket, server -> browser and browser -> server.
// MIRRORS apps/runs/protocol.py (written from the same spec: docs/architecture.md section 2).
// Change both together. Decoding is defensive: a message that does not fit is dropped
// (decodeMessage returns null) rather than trusted.
import { isRecord } from "../model/serialize";

export const PROTOCOL_VERSION = 1;

/** Index -> message kind for `frame.events.kind`; mirrors MESSAGE_KINDS in apps/engine/network.py. */
export const MESSAGE_KINDS: readonly string[] = [
  "request", "response", "error", "timeout", "retry", "event", "ack", "vote", "heartbeat", "replication",
];

export interface LatencyStats { mean: number; p50: number; p95: number; p99: number }

export interface FrameEvents {
  ts: number[]; dt: number[]; src: number[]; dst: number[]; edge: number[]; kind: number[];
}
export interface FrameNodes { q: number[]; busy: number[]; up: number[] }

/** Events of requests sampled for tracing (sparse): row index into `events`, trace id, span id. */
export interface FrameTraced { row: number[]; trace: number[]; span: number[] }
/** One span of a sampled request, as in `result.traces` (times in ms, end null while open). */
export interface TraceSpan {
  span_id: number; parent: number | null; node: string; start_ms: number; end_ms: number | null; ok: boolean | null;
}
export interface TraceJson { trace_id: number; spans: TraceSpan[] }

export interface FrameMsg {
  type: "frame"; run_id: string; seq: number; t0: number; t1: number;
  events: FrameEvents; total: number; nodes: FrameNodes;
  protocols?: unknown;
  /** Absent, or dropped by the decoder when malformed (rows outside the columns, unequal lengths). */
  traced?: FrameTraced;
  /** Sampled requests that finished in this window (only the well-formed ones are kept). */
  traces?: TraceJson[];
}
export interface MetricsMsg {
  type: "metrics"; run_id: string; seq: number; t: number; window_s: number;
  throughput_rps: number; latency_ms: LatencyStats; requests: number; completed: number; failed: number;
}
export interface ProgressMsg {
  type: "progress"; run_id: string; seq: number; sim_time_s: number; duration_s: number; events: number;
}
export interface RunSummary {
  requests: number; completed: number; failed: number; throughput_rps: number;
  latency_ms: { mean: number; p50: number; p95: number; p99: number; max: number };
}
export interface RunResult {
  format: string; seed: number; sim_time_s: number; events: number; wall_s: number;
  summary: RunSummary; [key: string]: unknown;
}
export interface DoneMsg { type: "done"; run_id: string; seq: number; status: string; result: RunResult }
export interface ErrorMsg {
  type: "error"; run_id: string; seq?: number; error: string; details: unknown[]; status?: string;
}
export interface StatusMsg { type: "status"; run_id: string; status: string; last_seq: number; protocol?: number }
export interface PongMsg { type: "pong" }

/** Messages of a run's log: they carry a seq and are played back in seq order. */
export type LoggedMsg = FrameMsg | MetricsMsg | ProgressMsg | DoneMsg | (ErrorMsg & { seq: number });
export type ServerMsg = FrameMsg | MetricsMsg | ProgressMsg | DoneMsg | ErrorMsg | StatusMsg | PongMsg;

/** Live faults accepted over the run socket (apps/runs/live.py): a scenario fault without at_s. */
export type LiveAction = "crash" | "restart" | "slow" | "cut" | "restore" | "partition" | "heal";
export interface ControlMsg {
  type: "control"; action: LiveAction; node?: string; edge?: string; factor?: number; groups?: string[][];
}
/** The viewer's playhead and speed: the worker stays a few simulated seconds ahead of it. */
export interface PaceMsg { type: "pace"; t: number; speed: number }

export type ClientMsg = { type: "ping" } | { type: "resync"; after: number } | ControlMsg | PaceMsg;

export const TERMINAL_STATUSES: ReadonlySet<string> = new Set(["done", "failed", "cancelled"]);

export function isLogged(m: ServerMsg): m is LoggedMsg {
  return m.type !== "status" && m.type !== "pong" && typeof (m as { seq?: unknown }).seq === "number";
}

export function decodeMessage(text: string): ServerMsg | null {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return null;
  }
  return decodeObject(data);
}

export function decodeObject(d: unknown): ServerMsg | null {
  if (!isRecord(d) || typeof d.type !== "string") return null;
  const seqOk = isSeq(d.seq);
  switch (d.type) {
    case "frame":
      return seqOk && num(d.t0) && num(d.t1) && isEvents(d.events) && isNodes(d.nodes)
        ? frameOf(d, d.events) : null;
    case "metrics":
      return seqOk && num(d.t) && num(d.throughput_rps) && isLatency(d.latency_ms)
        ? (d as unknown as MetricsMsg) : null;
    case "progress":
      return seqOk && num(d.sim_time_s) && num(d.duration_s) ? (d as unknown as ProgressMsg) : null;
    case "done":
      return seqOk && isResult(d.result) ? (d as unknown as DoneMsg) : null;
    case "error":
      return typeof d.error === "string" && (d.seq === undefined || seqOk)
        ? ({ ...d, details: Array.isArray(d.details) ? d.details : [] } as unknown as ErrorMsg) : null;
    case "status":
      return typeof d.status === "string" && num(d.last_seq) ? (d as unknown as StatusMsg) : null;
    case "pong":
      return { type: "pong" };
    default:
      return null;
  }
}

export function encodeMessage(m: ClientMsg): string {
  return JSON.stringify(m);
}

const num = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
const isSeq = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v) && v >= 1;
const numArray = (v: unknown): v is number[] => Array.isArray(v) && v.every(num);

function isEvents(v: unknown): v is FrameEvents {
  if (!isRecord(v)) return false;
  const cols = [v.ts, v.dt, v.src, v.dst, v.edge, v.kind];
  if (!cols.every(numArray)) return false;
  const n = (v.ts as number[]).length;
  return cols.every((c) => (c as number[]).length === n);
}

function isNodes(v: unknown): v is FrameNodes {
  if (v === undefined) return true;
  return isRecord(v) && [v.q, v.busy, v.up].every((c) => c === undefined || numArray(c));
}

function nodesOf(v: unknown): FrameNodes {
  const col = (c: unknown): number[] => (numArray(c) ? c : []);
  return isRecord(v) ? { q: col(v.q), busy: col(v.busy), up: col(v.up) } : { q: [], busy: [], up: [] };
}

function isLatency(v: unknown): v is LatencyStats {
  return isRecord(v) && num(v.mean) && num(v.p99);
}

function isResult(v: unknown): v is RunResult {
  return isRecord(v) && isRecord(v.summary) && isRecord(v.summary.latency_ms);
}

function frameOf(d: Record<string, unknown>, events: FrameEvents): FrameMsg {
  const { traced, traces, ...rest } = d;
  const f = { ...(rest as unknown as FrameMsg), total: num(d.total) ? d.total : events.ts.length, nodes: nodesOf(d.nodes) };
  if (isTraced(traced, events.ts.length)) f.traced = traced;
  if (Array.isArray(traces)) {
    const ok = traces.filter(isTrace);
    if (ok.length) f.traces = ok;
  }
  return f;
}

function isTraced(v: unknown, rows: number): v is FrameTraced {
  if (!isRecord(v) || !numArray(v.row) || !numArray(v.trace) || !numArray(v.span)) return false;
  const n = v.row.length;
  return v.trace.length === n && v.span.length === n && v.row.every((r) => Number.isInteger(r) && r >= 0 && r < rows);
}

export function isTrace(v: unknown): v is TraceJson {
  return isRecord(v) && num(v.trace_id) && Array.isArray(v.spans) && v.spans.length > 0 && v.spans.every((s) =>
    isRecord(s) && num(s.span_id) && (s.parent === null || num(s.parent)) && typeof s.node === "string" &&
    num(s.start_ms) && (s.end_ms === null || num(s.end_ms)));
}
