// What the presenter's studio sends, and when: discrete actions (selection, run, speed, pause,
// a jump of the playhead, the scenario revision) go at once; the viewport at most every
// VIEWPORT_MS (the last position always goes, trailing); while playing, the playhead only as a
// heartbeat, because students run their own clocks at the same speed. Time and timers are handed
// in so tests drive them.
import type { SessionState, SessionViewport } from "../net/classroomProtocol";

export const VIEWPORT_MS = 100; // ≤ 10 updates a second while panning
export const HEARTBEAT_MS = 2_000;
/** A playhead this far (simulated s) from where the presenter's clock should be is a seek. */
export const JUMP_S = 0.5;

export interface Playback { playhead: number; playing: boolean; speed: number }

export interface SyncDeps {
  send(update: SessionState & { sent_at?: number }): boolean;
  now(): number;
  wallNow(): number;
  setTimer(fn: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
}

export class PresenterSync {
  private lastViewportAt = -Infinity;
  private pendingViewport: SessionViewport | null = null;
  private viewportTimer: unknown = null;
  private sent: Playback | null = null;
  private sentAt = 0;
  private last: SessionState = {};

  constructor(private readonly deps: SyncDeps) {}

  /** Discrete fields: sent now, and only when they differ from what was last sent. */
  discrete(update: SessionState): void {
    const changed: SessionState = {};
    for (const [k, v] of Object.entries(update) as [keyof SessionState, unknown][]) {
      if (JSON.stringify(this.last[k]) !== JSON.stringify(v)) (changed as Record<string, unknown>)[k] = v;
    }
    if (Object.keys(changed).length) this.emit(changed);
  }

  viewport(vp: SessionViewport): void {
    this.pendingViewport = vp;
    const wait = this.lastViewportAt + VIEWPORT_MS - this.deps.now();
    if (wait <= 0) this.flushViewport();
    else if (this.viewportTimer === null) this.viewportTimer = this.deps.setTimer(() => this.flushViewport(), wait);
  }

  playback(p: Playback): void {
    const s = this.sent;
    const now = this.deps.now();
    if (s && s.playing === p.playing && s.speed === p.speed) {
      const expected = s.playing ? s.playhead + ((now - this.sentAt) / 1000) * s.speed : s.playhead;
      const jumped = Math.abs(p.playhead - expected) > Math.max(JUMP_S, 0.25 * p.speed);
      const heartbeat = p.playing && now - this.sentAt >= HEARTBEAT_MS;
      const moved = !p.playing && p.playhead !== s.playhead;
      if (!jumped && !heartbeat && !moved) return;
    }
    this.sent = { ...p };
    this.sentAt = now;
    this.emit({ playhead: round(p.playhead), playing: p.playing, speed: p.speed });
  }

  /** Everything again (after a (re)connect: the server keeps state, but ours may be newer). */
  resend(): void {
    const all = { ...this.last };
    if (Object.keys(all).length) this.emit(all);
  }

  dispose(): void {
    if (this.viewportTimer !== null) this.deps.clearTimer(this.viewportTimer);
    this.viewportTimer = null;
  }

  private flushViewport(): void {
    this.viewportTimer = null;
    const vp = this.pendingViewport;
    if (!vp) return;
    this.pendingViewport = null;
    this.lastViewportAt = this.deps.now();
    this.emit({ viewport: vp });
  }

  private emit(update: SessionState): void {
    this.last = { ...this.last, ...update };
    this.deps.send({ ...update, sent_at: this.deps.wallNow() });
  }
}

const round = (t: number): number => Math.round(t * 1000) / 1000;
