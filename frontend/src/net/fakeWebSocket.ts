// Test support for the sockets in this folder (not shipped: only *.test.ts files import it).
// A stand-in for the browser WebSocket that records what is sent and lets a test open, close
// and feed each connection by hand; timers are faked, so backoff delays are stepped with
// vi.advanceTimersByTime.
import { afterEach, beforeEach, vi } from "vitest";

export class FakeSocket {
  static OPEN = 1;
  /** Every socket constructed since the test began, in order (reconnects append). */
  static all: FakeSocket[] = [];
  readyState = 0;
  sent: string[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((ev: { data: string }) => void) | null = null;
  onclose: ((ev: { code: number }) => void) | null = null;
  onerror: (() => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  send(text: string): void {
    this.sent.push(text);
  }
  close(code = 1000): void {
    this.readyState = 3;
    this.onclose?.({ code });
  }
  open(): void {
    this.readyState = 1;
    this.onopen?.();
  }
  receive(msg: object): void {
    this.onmessage?.({ data: JSON.stringify(msg) });
  }
}

/** Call inside a describe: each test gets a fresh FakeSocket as WebSocket and fake timers. */
export function useFakeWebSocket(): void {
  beforeEach(() => {
    FakeSocket.all = [];
    vi.stubGlobal("WebSocket", FakeSocket);
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });
}
