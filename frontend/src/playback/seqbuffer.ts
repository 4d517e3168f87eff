// Orders a run's logged messages by seq. Messages may arrive twice (a resync, a reconnect
// with ?after=N overlapping the live stream) or out of order (a gap the server fills later);
// only the contiguous prefix 1..n is handed on, each seq exactly once.
import type { LoggedMsg } from "../net/protocol";

export type PushResult = "accepted" | "duplicate" | "gap";

export class SeqBuffer {
  /** Every seq <= contiguous has been handed on. */
  private contiguousSeq = 0;
  private readonly pending = new Map<number, LoggedMsg>();
  private ready: LoggedMsg[] = [];

  get lastSeq(): number {
    return this.contiguousSeq;
  }

  /** True while something past a missing seq waits: the caller should ask for a resync. */
  get hasGap(): boolean {
    return this.pending.size > 0;
  }

  push(msg: LoggedMsg): PushResult {
    if (msg.seq <= this.contiguousSeq || this.pending.has(msg.seq)) return "duplicate";
    this.pending.set(msg.seq, msg);
    for (let next = this.pending.get(this.contiguousSeq + 1); next; next = this.pending.get(this.contiguousSeq + 1)) {
      this.pending.delete(next.seq);
      this.ready.push(next);
      this.contiguousSeq = next.seq;
    }
    return this.pending.size > 0 ? "gap" : "accepted";
  }

  /** Messages that became contiguous since the last call, in seq order. */
  drain(): LoggedMsg[] {
    const out = this.ready;
    this.ready = [];
    return out;
  }
}
