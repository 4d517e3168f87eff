// The run websocket: connects to ws_url?after=<last seq>&batch=1, forwards decoded messages,
// and keeps the stream whole. On a gap it asks for a resync; on a drop (including the server's
// 4008 for a viewer that fell too far behind, or 1008 for one that sent too much) it reconnects
// with exponential backoff and full jitter, resuming after the last contiguous seq. It stops for
// good once the run is terminal, the run does not exist (4404), or close() is called.
// With batch=1 the server packs several logged messages into one {"type":"batch","messages":[...]}
// (apps/runs/consumers.py). An edit token, when given, is sent first as {"type":"auth"}: live
// faults need the scenario's edit right (never in the URL, which ends up in logs).
import { decodeMessage, decodeObject, encodeMessage, TERMINAL_STATUSES, type ClientMsg, type ServerMsg } from "./protocol";
import { withAfter } from "./api";
import type { PushResult } from "../playback/seqbuffer";

export interface SocketSink {
  /** Highest seq such that every seq up to it has been received. */
  lastSeq(): number;
  /** Takes a logged message; reports whether it completed the stream or left a gap. */
  accept(msg: ServerMsg): PushResult | "unlogged";
  onState?(state: SocketState): void;
}

export type SocketState = "connecting" | "open" | "reconnecting" | "closed";

export interface BackoffOptions { baseMs: number; maxMs: number; random: () => number }

// An 8 s cap: after a Daphne restart, 500 viewers were all back within 12-17 s (docs/reliability.md).
export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, maxMs: 8_000, random: Math.random };

/** Full jitter: uniform in [0, min(max, base * 2^attempt)], never below 100 ms. */
export function backoffDelay(attempt: number, o: BackoffOptions = DEFAULT_BACKOFF): number {
  const cap = Math.min(o.maxMs, o.baseMs * 2 ** Math.min(attempt, 16));
  return Math.max(100, Math.round(o.random() * cap));
}

const PING_MS = 20_000;
/** Close codes from apps/runs/flow.py. */
export const CLOSE_NOT_FOUND = 4404;
export const CLOSE_TOO_SLOW = 4008;
export const CLOSE_POLICY = 1008;
const RESYNC_MIN_GAP_MS = 1_000;

export class RunSocket {
  private ws: WebSocket | null = null;
  private attempt = 0;
  private closed = false;
  private terminal = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private ping: ReturnType<typeof setInterval> | null = null;
  private lastResyncAt = -Infinity;
  reconnects = 0;

  constructor(
    private readonly url: string,
    private readonly sink: SocketSink,
    private readonly backoff = DEFAULT_BACKOFF,
    private readonly editToken: string | null = null,
  ) {}

  open(): void {
    if (this.closed) return;
    this.sink.onState?.(this.attempt === 0 ? "connecting" : "reconnecting");
    const url = new URL(withAfter(this.url, this.sink.lastSeq()));
    url.searchParams.set("batch", "1");
    const ws = new WebSocket(url.toString());
    this.ws = ws;
    ws.onopen = () => {
      this.attempt = 0;
      if (this.editToken) ws.send(JSON.stringify({ type: "auth", edit_token: this.editToken }));
      this.sink.onState?.("open");
      this.ping = setInterval(() => this.send({ type: "ping" }), PING_MS);
    };
    ws.onmessage = (ev: MessageEvent) => {
      if (typeof ev.data === "string") this.handle(ev.data);
    };
    ws.onclose = (ev?: CloseEvent) => {
      if (ev?.code === CLOSE_NOT_FOUND) this.terminal = true;
      this.dropped(ws);
    };
    ws.onerror = () => ws.close();
  }

  close(): void {
    this.closed = true;
    this.clearTimers();
    this.ws?.close();
    this.ws = null;
    this.sink.onState?.("closed");
  }

  private handle(text: string): void {
    if (text.startsWith('{"type":"batch"')) {
      let packed: unknown;
      try {
        packed = JSON.parse(text);
      } catch {
        return;
      }
      const messages = (packed as { messages?: unknown }).messages;
      if (!Array.isArray(messages)) return;
      for (const m of messages) {
        const msg = decodeObject(m);
        if (msg) this.handleMsg(msg);
        if (this.closed) return;
      }
      return;
    }
    const msg = decodeMessage(text);
    if (msg) this.handleMsg(msg);
  }

  private handleMsg(msg: ServerMsg): void {
    const r = this.sink.accept(msg);
    if (r === "gap" && performance.now() - this.lastResyncAt > RESYNC_MIN_GAP_MS) {
      this.lastResyncAt = performance.now();
      this.send({ type: "resync", after: this.sink.lastSeq() });
    }
    const status = msg.type === "status" || msg.type === "done" || msg.type === "error" ? msg.status : undefined;
    if (status && TERMINAL_STATUSES.has(status) && msg.type !== "status" && r !== "gap") this.terminal = true;
    if (msg.type === "status" && TERMINAL_STATUSES.has(msg.status) && msg.last_seq <= this.sink.lastSeq()) this.terminal = true;
    if (this.terminal) this.close();
  }

  /** Sends if the socket is open; false otherwise (nothing is queued). */
  send(m: ClientMsg): boolean {
    if (this.ws?.readyState !== WebSocket.OPEN) return false;
    this.ws.send(encodeMessage(m));
    return true;
  }

  private dropped(ws: WebSocket): void {
    if (ws !== this.ws) return;
    this.clearTimers();
    this.ws = null;
    if (this.closed || this.terminal) return;
    this.sink.onState?.("reconnecting");
    this.reconnects++;
    this.timer = setTimeout(() => this.open(), backoffDelay(this.attempt++, this.backoff));
  }

  private clearTimers(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.ping) clearInterval(this.ping);
    this.timer = null;
    this.ping = null;
  }
}
