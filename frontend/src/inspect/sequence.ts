// The sequence (space-time) diagram's layout: one vertical lifeline per node, time running down,
// each message a slanted arrow from its sender's lifeline at the send time to the receiver's at
// the arrival time. Pure: the panel draws what this returns.
import type { TokenEvent } from "../playback/timeline";

export const MAX_ARROWS = 400;
export const AUTO_ALL = 8; // with no nodes selected, every node gets a lifeline up to this many

export interface Arrow { x0: number; y0: number; x1: number; y1: number; kind: number; ev: TokenEvent }
export interface SequenceLayout { lanes: { id: string; x: number }[]; arrows: Arrow[]; cursorY: number }

export const MAX_LANES = 10;

/** Which messages the diagram shows: between chosen nodes (`fixed`), or to and from one (`focus`). */
export interface Scope { fixed: number[] | null; focus: number | null; keep: (src: number, dst: number) => boolean }

/**
 * Two or more selected nodes: messages among them. One selected: its messages with whoever it
 * talks to. None: every node when there are few, else nothing (null: ask for a selection).
 */
export function scopeOf(runNodes: readonly string[], selected: readonly string[]): Scope | null {
  const chosen = new Set(selected);
  const picked = runNodes.flatMap((id, i) => (chosen.has(id) ? [i] : []));
  if (picked.length >= 2) {
    const set = new Set(picked);
    return { fixed: picked, focus: null, keep: (a, b) => set.has(a) && set.has(b) };
  }
  if (picked.length === 1) {
    const f = picked[0]!;
    return { fixed: null, focus: f, keep: (a, b) => a === f || b === f };
  }
  if (runNodes.length > 0 && runNodes.length <= AUTO_ALL) {
    const all = runNodes.map((_, i) => i);
    return { fixed: all, focus: null, keep: () => true };
  }
  return null;
}

/** The lifelines: the fixed ones, or the focused node then its counterparts by first message. */
export function lanesOf(scope: Scope, events: readonly TokenEvent[]): number[] {
  if (scope.fixed) return scope.fixed;
  const lanes = [scope.focus!];
  for (const e of events) {
    for (const n of [e.src, e.dst]) if (!lanes.includes(n) && lanes.length < MAX_LANES) lanes.push(n);
  }
  return lanes;
}

export interface SequenceBox { width: number; height: number; left: number; right: number; top: number; bottom: number }

/** Lanes spread across the box; time t0 at the top to t1 at the bottom; the cursor at `playhead`. */
export function layoutSequence(
  events: readonly TokenEvent[], lanes: readonly number[], ids: readonly string[], t0: number, t1: number, playhead: number, box: SequenceBox,
): SequenceLayout {
  const w = box.width - box.left - box.right;
  const h = box.height - box.top - box.bottom;
  const xOf = new Map<number, number>();
  lanes.forEach((n, k) => xOf.set(n, box.left + (lanes.length === 1 ? w / 2 : (k * w) / (lanes.length - 1))));
  const span = Math.max(t1 - t0, 1e-9);
  const y = (t: number) => box.top + (Math.min(Math.max(t, t0), t1) - t0) / span * h;
  const arrows: Arrow[] = [];
  for (const ev of events) {
    const xa = xOf.get(ev.src);
    const xb = xOf.get(ev.dst);
    if (xa === undefined || xb === undefined || ev.src === ev.dst) continue;
    arrows.push({ x0: xa, y0: y(ev.ts), x1: xb, y1: y(ev.ts + ev.dt), kind: ev.kind, ev });
    if (arrows.length >= MAX_ARROWS) break;
  }
  return { lanes: lanes.map((n) => ({ id: ids[n] ?? `#${n}`, x: xOf.get(n)! })), arrows, cursorY: y(playhead) };
}

/** The arrow passing nearest to (x, y) within `tol` pixels (distance to the segment), or null. */
export function nearestArrow(arrows: readonly Arrow[], x: number, y: number, tol: number): Arrow | null {
  let best: Arrow | null = null;
  let bestD = tol;
  for (const a of arrows) {
    const dx = a.x1 - a.x0;
    const dy = a.y1 - a.y0;
    const len2 = dx * dx + dy * dy;
    const f = len2 > 0 ? Math.max(0, Math.min(1, ((x - a.x0) * dx + (y - a.y0) * dy) / len2)) : 0;
    const d = Math.hypot(a.x0 + f * dx - x, a.y0 + f * dy - y);
    if (d <= bestD) { bestD = d; best = a; }
  }
  return best;
}
