// Pure rules of follow mode: where a student's viewport goes, where the presenter's playhead
// is now, and when a student's clock has drifted far enough to correct. No React, no socket.
import type { SessionState, SessionViewport } from "../net/classroomProtocol";

export interface Viewport { x: number; y: number; zoom: number }
export interface Size { w: number; h: number }

/**
 * The student's viewport showing the region the presenter sees. With the presenter's canvas
 * size known, the same centre is kept and the zoom scaled so the whole region fits a smaller
 * (or larger) screen; without it, the transform is copied as is.
 */
export function fitViewport(vp: SessionViewport, mine: Size | null): Viewport {
  if (!mine || !vp.w || !vp.h || mine.w <= 0 || mine.h <= 0) return { x: vp.x, y: vp.y, zoom: vp.zoom };
  if (Math.abs(mine.w - vp.w) < 1 && Math.abs(mine.h - vp.h) < 1) return { x: vp.x, y: vp.y, zoom: vp.zoom };
  const cx = (vp.w / 2 - vp.x) / vp.zoom;
  const cy = (vp.h / 2 - vp.y) / vp.zoom;
  const zoom = vp.zoom * Math.min(mine.w / vp.w, mine.h / vp.h);
  return { x: mine.w / 2 - cx * zoom, y: mine.h / 2 - cy * zoom, zoom };
}

export function sameViewport(a: Viewport, b: Viewport, eps = 0.5): boolean {
  return Math.abs(a.x - b.x) < eps && Math.abs(a.y - b.y) < eps && Math.abs(a.zoom - b.zoom) < 1e-3;
}

/** The presenter's playhead now, extrapolated from the last state received at `receivedAt` (ms). */
export function expectedPlayhead(state: SessionState, receivedAt: number, now: number): number | null {
  if (state.playhead === undefined) return null;
  if (!state.playing) return state.playhead;
  const speed = state.speed ?? 1;
  // Extrapolate at most a few seconds: a presenter whose socket went quiet has not run on.
  const elapsed = Math.min(Math.max(0, now - receivedAt), 5_000) / 1000;
  return state.playhead + elapsed * speed;
}

/** Drift worth correcting: a quarter second of screen time at the current speed, at least 0.2 s. */
export function driftTolerance(speed: number): number {
  return Math.max(0.2, 0.25 * speed);
}

/** Keeps only ids that exist in the scene, split into nodes and edges. */
export function selectionIn(ids: readonly string[], nodes: ReadonlySet<string>, edges: ReadonlySet<string>) {
  return { nodes: ids.filter((id) => nodes.has(id)), edges: ids.filter((id) => edges.has(id) && !nodes.has(id)) };
}

/** A run id the student may open a socket for (the server's run ids are UUIDs). */
export function isRunId(v: unknown): v is string {
  return typeof v === "string" && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v);
}

/** CSS outlining the tour step's highlighted nodes (ids are [A-Za-z0-9_.-], quoted anyway). */
export function highlightCss(ids: readonly string[]): string {
  const safe = ids.filter((id) => /^[A-Za-z0-9_.-]{1,64}$/.test(id));
  if (!safe.length) return "";
  const sel = safe.map((id) => `.react-flow__node[data-id="${id}"]`).join(",\n");
  return `${sel} { outline: 3px solid var(--tour-highlight, #f2cc60); outline-offset: 4px; border-radius: 10px; }`;
}
