// The run websocket: connects to ws_url?after=<last seq>, forwards decoded messages, and
// keeps the stream whole. On a gap it asks for a resync; on a drop it reconnects with
// exponential backoff and full jitter, resuming after the last contiguous seq. It stops for
// good once the run is terminal or close() is called.
import { decodeMessage, encodeMessage, TERMINAL_STATUSES, type ClientMsg, type ServerMsg } from "./protocol";
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

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, maxMs: 15_000, random: Math.random };

/** Full jitter: uniform in [0, min(max, base * 2^attempt)], never below 100 ms. */
export function backoffDelay(attempt: number, o: BackoffOptions = DEFAULT_BACKOFF): number {
  const cap = Math.min(o.maxMs, o.baseMs * 2 ** Math.min(attempt, 16));
  return Math.max(100, Math.round(o.random() * cap));
}

const PING_MS = 20_000;
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

  constructor(private readonly url: string, private readonly sink: SocketSink, private readonly backoff = DEFAULT_BACKOFF) {}

  open(): void {
    if (this.closed) return;
    this.sink.onState?.(this.attempt === 0 ? "connecting" : "reconnecting");
    const ws = new WebSocket(withAfter(this.url, this.sink.lastSeq()));
    this.ws = ws;
    ws.onopen = () => {
      this.attempt = 0;
      this.sink.onState?.("open");
      this.ping = setInterval(() => this.send({ type: "ping" }), PING_MS);
    };
    ws.onmessage = (ev: MessageEvent) => {
      if (typeof ev.data === "string") this.handle(ev.data);
    };
    ws.onclose = () => this.dropped(ws);
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
    const msg = decodeMessage(text);
    if (!msg) return;
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
