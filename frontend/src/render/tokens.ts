// Message tokens in flight, in simulated time. A token goes from its source node centre to its
// destination node centre over its transit time. Transit times are often a millisecond, which
// would be invisible at any speed, so each token stays on screen at least MIN_SCREEN_S: its
// drawn lifetime in simulated time is max(dt, MIN_SCREEN_S * speed). Pure and framework-free.
import type { TokenEvent } from "../playback/timeline";

export const MIN_SCREEN_S = 0.35;
export const MAX_TOKENS = 4000;

export interface Token {
  readonly start: number;
  readonly life: number;
  readonly src: number;
  readonly dst: number;
  readonly kind: number;
  /** Real transit time (life is stretched to stay visible); arrival is start + dt. */
  readonly dt: number;
  readonly edge: number;
  /** Trace and span id when the message belongs to a sampled request. */
  readonly trace?: number;
  readonly span?: number;
}

export interface Point { x: number; y: number }

export class TokenField {
  tokens: Token[] = [];
  added = 0;
  dropped = 0;

  add(events: readonly TokenEvent[], speed: number): void {
    const minLife = MIN_SCREEN_S * speed;
    for (const e of events) {
      const t: Token = { start: e.ts, life: Math.max(e.dt, minLife, 1e-9), src: e.src, dst: e.dst, kind: e.kind, dt: e.dt, edge: e.edge };
      this.tokens.push(e.trace === undefined ? t : { ...t, trace: e.trace, span: e.span });
    }
    this.added += events.length;
    if (this.tokens.length > MAX_TOKENS) {
      const extra = this.tokens.length - MAX_TOKENS;
      this.tokens.splice(0, extra); // the oldest are nearest to arriving anyway
      this.dropped += extra;
    }
  }

  /** Forgets tokens that have arrived by `playhead`. */
  prune(playhead: number): void {
    if (this.tokens.some((t) => t.start + t.life < playhead)) {
      this.tokens = this.tokens.filter((t) => t.start + t.life >= playhead);
    }
  }

  clear(): void {
    this.tokens = [];
  }

  get inFlight(): number {
    return this.tokens.length;
  }
}

/** Fraction of the way from source to destination at `playhead`, in [0, 1]. */
export function progressOf(t: Token, playhead: number): number {
  return Math.min(1, Math.max(0, (playhead - t.start) / t.life));
}

export function lerp(a: Point, b: Point, f: number): Point {
  return { x: a.x + (b.x - a.x) * f, y: a.y + (b.y - a.y) * f };
}

/** Flow coordinates -> canvas pixels with React Flow's transform [tx, ty, zoom]. */
export function toScreen(p: Point, transform: readonly [number, number, number]): Point {
  return { x: p.x * transform[2] + transform[0], y: p.y * transform[2] + transform[1] };
}
