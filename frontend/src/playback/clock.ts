// The playback clock owns simulated time. The worker computes as fast as it can; the clock
// advances the playhead by (screen seconds elapsed x speed), never past what has arrived
// (`limit`), so a slow stream makes playback wait rather than jump. Time is handed in (ms),
// which keeps it deterministic under test.

export const SPEEDS: readonly number[] = [0.1, 0.25, 0.5, 1, 2, 5, 10, 25, 50, 100];

export class PlaybackClock {
  playhead = 0;
  speed = 1;
  playing = false;
  /** True when playing but held at the limit, waiting for data. */
  waiting = false;
  private lastNow: number | null = null;

  play(): void {
    this.playing = true;
    this.lastNow = null;
  }

  pause(): void {
    this.playing = false;
    this.waiting = false;
    this.lastNow = null;
  }

  setSpeed(speed: number): void {
    if (Number.isFinite(speed) && speed > 0) this.speed = speed;
  }

  reset(): void {
    this.playhead = 0;
    this.playing = false;
    this.waiting = false;
    this.lastNow = null;
  }

  /** Advances to `now` (ms, monotonic) and returns the playhead in simulated seconds. */
  tick(now: number, limit: number): number {
    if (this.playing && this.lastNow !== null) {
      const dt = Math.max(0, Math.min(now - this.lastNow, 250)) / 1000; // a hidden tab must not leap
      const next = this.playhead + dt * this.speed;
      this.waiting = next > limit;
      this.playhead = Math.max(this.playhead, Math.min(next, limit));
    }
    this.lastNow = this.playing ? now : null;
    return this.playhead;
  }
}
