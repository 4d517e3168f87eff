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
import { DEFAULT_BACKOFF, Reconnector } from "./reconnect";
import type { PushResult } from "../playback/seqbuffer";

export interface SocketSink {
  /** Highest seq such that every seq up to it has been received. */
  lastSeq(): number;
  /** Takes a logged message; reports whether it completed the stream or left a gap. */
  accept(msg: ServerMsg): PushResult | "unlogged";
  onState?(state: SocketState): void;
}

export type SocketState = "connecting" | "open" | "reconnecting" | "closed";

/** Close codes from apps/runs/flow.py. */
export const CLOSE_NOT_FOUND = 4404;
export const CLOSE_TOO_SLOW = 4008;
export const CLOSE_POLICY = 1008;
const RESYNC_MIN_GAP_MS = 1_000;

export class RunSocket {
  private ws: WebSocket | null = null;
  private readonly reconnect: Reconnector;
  private closed = false;
  private terminal = false;
  private lastResyncAt = -Infinity;
  reconnects = 0;

  constructor(
    private readonly url: string,
    private readonly sink: SocketSink,
    backoff = DEFAULT_BACKOFF,
    private readonly editToken: string | null = null,
  ) {
    this.reconnect = new Reconnector(backoff);
  }

  open(): void {
    if (this.closed) return;
    this.sink.onState?.(this.reconnect.opening);
    const url = new URL(withAfter(this.url, this.sink.lastSeq()));
    url.searchParams.set("batch", "1");
    const ws = new WebSocket(url.toString());
    this.ws = ws;
    ws.onopen = () => {
      if (this.editToken) ws.send(JSON.stringify({ type: "auth", edit_token: this.editToken }));
      this.sink.onState?.("open");
      this.reconnect.opened(() => this.send({ type: "ping" }));
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
    this.reconnect.stop();
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
    this.reconnect.stop();
    this.ws = null;
    if (this.closed || this.terminal) return;
    this.sink.onState?.("reconnecting");
    this.reconnects++;
    this.reconnect.schedule(() => this.open());
  }
}
