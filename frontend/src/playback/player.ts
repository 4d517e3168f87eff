// One run's playback: seq ordering (SeqBuffer) -> simulated-time store (Timeline) -> clock.
// Framework-free; the studio drives tick() from the single animation loop.
import type { LoggedMsg } from "../net/protocol";
import { PlaybackClock } from "./clock";
import { SeqBuffer, type PushResult } from "./seqbuffer";
import { Timeline, type Released } from "./timeline";

export class Player {
  readonly buffer = new SeqBuffer();
  readonly timeline = new Timeline();
  readonly clock = new PlaybackClock();
  received = 0;
  duplicates = 0;

  push(msg: LoggedMsg): PushResult {
    const r = this.buffer.push(msg);
    if (r === "duplicate") this.duplicates++;
    else this.received++;
    for (const m of this.buffer.drain()) this.timeline.add(m);
    return r;
  }

  /** Jumps the playhead to `t` (clamped to what has arrived); playback resumes from there. */
  seek(t: number): number {
    const limit = this.timeline.end ?? this.timeline.available;
    const to = Math.max(0, Math.min(t, limit));
    this.clock.playhead = to;
    this.timeline.seek(to);
    return to;
  }

  /** Paused single step: moves the playhead by `dt`; the next tick releases what it passed. */
  step(dt: number): void {
    this.clock.pause();
    const limit = this.timeline.end ?? this.timeline.available;
    this.clock.playhead = Math.min(limit, this.clock.playhead + dt);
  }

  tick(now: number): Released {
    const limit = this.timeline.end ?? this.timeline.available;
    const playhead = this.clock.tick(now, limit);
    const released = this.timeline.release(playhead);
    if (released.done) this.clock.pause();
    return released;
  }
}
