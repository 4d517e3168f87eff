// The classroom websocket (/ws/sessions/<code>, apps/classroom/consumers.py). Everyone joins
// as a student; with a presenter token the socket says `hello` on every (re)connect, so a
// dropped presenter comes back as the presenter. A drop reconnects with jittered backoff (the
// server's `welcome` carries the latest state, so nothing needs replaying); the session ending
// (close 4410), an unknown code (4404) or too many wrong tokens (4403) stop it for good.
import {
  decodeSessionMessage, encodeSessionMessage, END_CLOSE_CODE, NOT_FOUND_CLOSE_CODE,
  TOO_MANY_TRIES_CLOSE_CODE, type SessionClientMsg, type SessionServerMsg,
} from "./classroomProtocol";
import { DEFAULT_BACKOFF, Reconnector, type BackoffOptions } from "./reconnect";
import type { SocketState } from "./socket";

export type SessionEnd = "ended" | "not-found" | "refused";

export interface SessionSink {
  message(msg: SessionServerMsg): void;
  state?(state: SocketState): void;
  /** The socket stopped for good because of the server (not close()). */
  over?(why: SessionEnd): void;
}

const FINAL: ReadonlyMap<number, SessionEnd> = new Map([
  [END_CLOSE_CODE, "ended"], [NOT_FOUND_CLOSE_CODE, "not-found"], [TOO_MANY_TRIES_CLOSE_CODE, "refused"],
]);

export class SessionSocket {
  private ws: WebSocket | null = null;
  private readonly reconnect: Reconnector;
  private closed = false;

  constructor(
    private readonly url: string,
    private readonly sink: SessionSink,
    private readonly presenterToken: string | null = null,
    backoff: BackoffOptions = DEFAULT_BACKOFF,
  ) {
    this.reconnect = new Reconnector(backoff);
  }

  open(): void {
    if (this.closed) return;
    this.sink.state?.(this.reconnect.opening);
    const ws = new WebSocket(this.url);
    this.ws = ws;
    ws.onopen = () => {
      this.sink.state?.("open");
      if (this.presenterToken) this.send({ type: "hello", presenter_token: this.presenterToken });
      this.reconnect.opened(() => this.send({ type: "ping" }));
    };
    ws.onmessage = (ev: MessageEvent) => {
      if (typeof ev.data !== "string") return;
      const msg = decodeSessionMessage(ev.data);
      if (msg) this.sink.message(msg);
    };
    ws.onclose = (ev: CloseEvent) => this.dropped(ws, ev.code);
    ws.onerror = () => ws.close();
  }

  /** Sends if open; false otherwise (nothing is queued: the next welcome resynchronises). */
  send(m: SessionClientMsg): boolean {
    if (this.ws?.readyState !== WebSocket.OPEN) return false;
    this.ws.send(encodeSessionMessage(m));
    return true;
  }

  close(): void {
    this.closed = true;
    this.reconnect.stop();
    this.ws?.close();
    this.ws = null;
    this.sink.state?.("closed");
  }

  private dropped(ws: WebSocket, code: number): void {
    if (ws !== this.ws) return;
    this.reconnect.stop();
    this.ws = null;
    if (this.closed) return;
    const final = FINAL.get(code);
    if (final) {
      this.closed = true;
      this.sink.state?.("closed");
      this.sink.over?.(final);
      return;
    }
    this.sink.state?.("reconnecting");
    this.reconnect.schedule(() => this.open());
  }
}
