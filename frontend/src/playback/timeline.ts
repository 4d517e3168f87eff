// What has arrived of a run, in simulated time, released as the playhead passes it.
// Frames keep their compact columns; a cursor walks them, so nothing is copied per event.
import type { DoneMsg, ErrorMsg, FrameMsg, FrameNodes, LoggedMsg, MetricsMsg, ProgressMsg } from "../net/protocol";

export interface TokenEvent {
  readonly ts: number; readonly dt: number; readonly src: number; readonly dst: number;
  readonly edge: number; readonly kind: number;
  /** Trace and span id when the message belongs to a request sampled for tracing. */
  readonly trace?: number; readonly span?: number;
}

export interface Released {
  events: TokenEvent[];
  metrics: MetricsMsg[];
  /** Node states of the last frame whose end the playhead passed, if a new one did. */
  nodes: FrameNodes | null;
  /** The same frame's `protocols` view state (roles, terms...), when it has one. */
  protocols: unknown;
  done: DoneMsg | null;
}

export class Timeline {
  private readonly frames: FrameMsg[] = [];
  /** Per frame: event row -> [trace id, span id] for the rows of traced requests. */
  private readonly links: (Map<number, readonly [number, number]> | null)[] = [];
  private frameIdx = 0;
  private eventIdx = 0;
  private readonly metrics: MetricsMsg[] = [];
  private metricsIdx = 0;
  private nodesIdx = 0;
  private doneMsg: DoneMsg | null = null;
  private doneReleased = false;
  progress: ProgressMsg | null = null;
  error: ErrorMsg | null = null;
  /** Simulated time up to which data has arrived. */
  available = 0;
  totalEvents = 0;

  get end(): number | null {
    return this.doneMsg ? Math.max(this.doneMsg.result.sim_time_s, this.available) : null;
  }

  get finished(): boolean {
    return this.doneReleased || this.error !== null;
  }

  add(msg: LoggedMsg): void {
    switch (msg.type) {
      case "frame":
        this.frames.push(sortedFrame(msg));
        this.links.push(linksOf(this.frames[this.frames.length - 1]!));
        this.available = Math.max(this.available, msg.t1);
        this.totalEvents += msg.events.ts.length;
        break;
      case "metrics":
        this.metrics.push(msg);
        break;
      case "progress":
        this.progress = msg;
        break;
      case "done":
        this.doneMsg = msg;
        this.available = Math.max(this.available, msg.result.sim_time_s);
        break;
      case "error":
        this.error = msg;
        break;
    }
  }

  /**
   * Moves the release cursors to `t` (rewind or jump; everything received is kept). The next
   * release() hands out the node states at `t` and only events sent after `t`.
   */
  seek(t: number): void {
    this.frameIdx = this.frames.findIndex((f) => f.t1 > t);
    if (this.frameIdx < 0) this.frameIdx = this.frames.length;
    const f = this.frames[this.frameIdx];
    this.eventIdx = 0;
    if (f) while (this.eventIdx < f.events.ts.length && f.events.ts[this.eventIdx]! <= t) this.eventIdx++;
    this.nodesIdx = Math.max(0, this.frameIdx - 1); // re-release the last state at or before t
    this.metricsIdx = 0;
    this.doneReleased = false;
  }

  release(playhead: number): Released {
    const out: Released = { events: [], metrics: [], nodes: null, protocols: null, done: null };
    while (this.frameIdx < this.frames.length) {
      const f = this.frames[this.frameIdx]!;
      const ev = f.events;
      const links = this.links[this.frameIdx];
      while (this.eventIdx < ev.ts.length && ev.ts[this.eventIdx]! <= playhead) {
        out.events.push(eventAt(f, this.eventIdx++, links));
      }
      if (this.eventIdx < ev.ts.length || f.t1 > playhead) break;
      this.frameIdx++;
      this.eventIdx = 0;
    }
    while (this.nodesIdx < this.frames.length && this.frames[this.nodesIdx]!.t1 <= playhead) {
      const f = this.frames[this.nodesIdx++]!;
      out.nodes = f.nodes;
      out.protocols = f.protocols ?? null;
    }
    while (this.metricsIdx < this.metrics.length && this.metrics[this.metricsIdx]!.t <= playhead) {
      out.metrics.push(this.metrics[this.metricsIdx++]!);
    }
    const end = this.end;
    if (this.doneMsg && !this.doneReleased && end !== null && playhead >= end) {
      this.doneReleased = true;
      out.done = this.doneMsg;
    }
    return out;
  }

  /**
   * Events sent in [t0, t1) that `keep` accepts (by source and destination index), at most `cap`
   * of them evenly spread, in send order: what a sequence diagram around the playhead shows.
   */
  eventsBetween(t0: number, t1: number, cap: number, keep: (src: number, dst: number) => boolean = () => true): TokenEvent[] {
    let lo = 0;
    let hi = this.frames.length;
    while (lo < hi) { // first frame that ends after t0
      const mid = (lo + hi) >> 1;
      if (this.frames[mid]!.t1 <= t0) lo = mid + 1;
      else hi = mid;
    }
    const hits: [number, number][] = [];
    for (let k = lo; k < this.frames.length && this.frames[k]!.t0 < t1; k++) {
      const ev = this.frames[k]!.events;
      for (let i = 0; i < ev.ts.length; i++) {
        const ts = ev.ts[i]!;
        if (ts >= t0 && ts < t1 && keep(ev.src[i]!, ev.dst[i]!)) hits.push([k, i]);
      }
    }
    const n = hits.length;
    const picked = n <= cap ? hits : Array.from({ length: cap }, (_, j) => hits[Math.floor((j * n) / cap)]!);
    return picked.map(([k, i]) => eventAt(this.frames[k]!, i, this.links[k]));
  }
}

function eventAt(f: FrameMsg, i: number, links: Map<number, readonly [number, number]> | null | undefined): TokenEvent {
  const ev = f.events;
  const e = { ts: ev.ts[i]!, dt: ev.dt[i]!, src: ev.src[i]!, dst: ev.dst[i]!, edge: ev.edge[i]!, kind: ev.kind[i]! };
  const link = links?.get(i);
  return link ? { ...e, trace: link[0], span: link[1] } : e;
}

function linksOf(f: FrameMsg): Map<number, readonly [number, number]> | null {
  const t = f.traced;
  if (!t || t.row.length === 0) return null;
  return new Map(t.row.map((r, j) => [r, [t.trace[j]!, t.span[j]!] as const]));
}

/** Events within a frame are expected in send order; sort defensively if they are not. */
function sortedFrame(f: FrameMsg): FrameMsg {
  const ts = f.events.ts;
  let sorted = true;
  for (let i = 1; i < ts.length && sorted; i++) sorted = ts[i - 1]! <= ts[i]!;
  if (sorted) return f;
  const order = ts.map((_, i) => i).sort((a, b) => ts[a]! - ts[b]!);
  const pick = (col: number[]): number[] => order.map((i) => col[i]!);
  const e = f.events;
  const out: FrameMsg = { ...f, events: { ts: pick(e.ts), dt: pick(e.dt), src: pick(e.src), dst: pick(e.dst), edge: pick(e.edge), kind: pick(e.kind) } };
  if (f.traced) { // the trace links name rows: follow them to their new places
    const where = new Array<number>(order.length);
    order.forEach((old, now) => { where[old] = now; });
    out.traced = { ...f.traced, row: f.traced.row.map((r) => where[r]!) };
  }
  return out;
}
