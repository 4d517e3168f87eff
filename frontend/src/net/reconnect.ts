// Staying connected, shared by the run socket (socket.ts) and the classroom socket
// (sessionSocket.ts): a dropped connection is retried after an exponential backoff with full
// jitter, and an open one is pinged every 20 s. Each socket decides when a drop is final.

export interface BackoffOptions { baseMs: number; maxMs: number; random: () => number }

// An 8 s cap: after a Daphne restart, 500 viewers were all back within 12-17 s (docs/reliability.md).
export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, maxMs: 8_000, random: Math.random };

/** Full jitter: uniform in [0, min(max, base * 2^attempt)], never below 100 ms. */
export function backoffDelay(attempt: number, o: BackoffOptions = DEFAULT_BACKOFF): number {
  const cap = Math.min(o.maxMs, o.baseMs * 2 ** Math.min(attempt, 16));
  return Math.max(100, Math.round(o.random() * cap));
}

const PING_MS = 20_000;

/** The attempt count, the pending retry and the ping of one socket. */
export class Reconnector {
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private ping: ReturnType<typeof setInterval> | null = null;

  constructor(private readonly backoff: BackoffOptions = DEFAULT_BACKOFF) {}

  /** What a connection being opened is: the first try, or a retry after a drop. */
  get opening(): "connecting" | "reconnecting" {
    return this.attempt === 0 ? "connecting" : "reconnecting";
  }

  /** A connection opened: the backoff starts over, and `ping` runs every 20 s until stop(). */
  opened(ping: () => void): void {
    this.attempt = 0;
    this.ping = setInterval(ping, PING_MS);
  }

  /** Calls `open` once the next attempt's backoff delay has passed. */
  schedule(open: () => void): void {
    this.timer = setTimeout(open, backoffDelay(this.attempt++, this.backoff));
  }

  /** Cancels the pending retry and the ping. */
  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.ping) clearInterval(this.ping);
    this.timer = null;
    this.ping = null;
  }
}
