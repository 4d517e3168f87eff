// Animation export: a run segment drawn offline, frame by frame, from the run's log. Each frame
// is the diagram (render/diagramSvg.ts, drawn as an image) with the message tokens of that
// simulated instant composited on top, exactly as the token layer places them (centre to
// centre, never over a card). Used by the WebM recorder (real time) and the GIF encoder.
import { messageKinds } from "../model/messageKinds";
import type { Scene } from "../model/types";
import type { LoggedMsg } from "../net/protocol";
import { Timeline } from "../playback/timeline";
import { CARD, PAD } from "../render/diagramSvg";
import { drawShape, FALLBACK_STYLE, styleOf } from "../render/messageStyle";
import { lerp, progressOf, TokenField, type Point } from "../render/tokens";

export interface Segment { t0: number; t1: number; fps: number; speed: number }

export const MAX_FRAMES = 600;

/** Checks a segment against the run's end; returns the problem in words, or null. */
export function segmentProblem(s: Segment, end: number): string | null {
  if (![s.t0, s.t1, s.fps, s.speed].every(Number.isFinite)) return "times, frame rate and speed must be numbers";
  if (s.t0 < 0) return "the segment cannot start before 0 s";
  if (s.t1 <= s.t0) return "the segment must end after it starts";
  if (s.t1 > end + 1e-9) return `the run ends at ${end.toFixed(1)} s`;
  if (s.fps < 1 || s.fps > 30) return "frame rate must be 1 to 30 frames per second";
  if (s.speed <= 0 || s.speed > 100) return "speed must be above 0 and at most 100×";
  const n = frameTimes(s).length;
  if (n > MAX_FRAMES) return `${n} frames is more than ${MAX_FRAMES}: shorten the segment, raise the speed or lower the frame rate`;
  return null;
}

/** Simulated time of each frame: `fps` frames per screen second, `speed` simulated s per screen s. */
export function frameTimes(s: Segment): number[] {
  const n = Math.max(1, Math.round(((s.t1 - s.t0) / s.speed) * s.fps));
  return Array.from({ length: n }, (_, i) => s.t0 + (i * s.speed) / s.fps);
}

/** Node centres in diagram pixels (the SVG's coordinate system), by node id. */
export function centres(scene: Scene): Map<string, Point> {
  // The same origin as diagramSvg: the top-left card, less the padding.
  const minX = (scene.nodes.length ? Math.min(...scene.nodes.map((n) => n.x)) : 0) - PAD;
  const minY = (scene.nodes.length ? Math.min(...scene.nodes.map((n) => n.y)) : 0) - PAD;
  return new Map(scene.nodes.map((n) => [n.id, { x: n.x - minX + CARD.w / 2, y: n.y - minY + CARD.h / 2 }]));
}

const insideCard = (p: Point, c: Point): boolean => Math.abs(p.x - c.x) < CARD.w / 2 && Math.abs(p.y - c.y) < CARD.h / 2;

/** Draws a run's frames onto a 2D context; `at(t)` must be called with non-decreasing t. */
export class SegmentPainter {
  private readonly timeline = new Timeline();
  private readonly tokens = new TokenField();
  private readonly at: (Point | undefined)[];
  private readonly styles = messageKinds().map(styleOf);
  tokensDrawn = 0;

  constructor(
    private readonly image: { img: CanvasImageSource; width: number; height: number },
    scene: Scene, runNodeIds: readonly string[], log: readonly LoggedMsg[], private readonly speed: number,
  ) {
    for (const msg of log) this.timeline.add(msg);
    const c = centres(scene);
    this.at = runNodeIds.map((id) => c.get(id));
  }

  start(t0: number): void {
    this.timeline.seek(t0);
    this.tokens.clear();
  }

  paint(ctx: CanvasRenderingContext2D, t: number, scale: number): void {
    const rel = this.timeline.release(t);
    this.tokens.add(rel.events, this.speed);
    this.tokens.prune(t);
    ctx.setTransform(scale, 0, 0, scale, 0, 0);
    ctx.drawImage(this.image.img, 0, 0, this.image.width, this.image.height);
    const r = 5;
    for (const tok of this.tokens.tokens) {
      const a = this.at[tok.src];
      const b = this.at[tok.dst];
      if (!a || !b) continue;
      const p = lerp(a, b, progressOf(tok, t));
      if (insideCard(p, a) || insideCard(p, b)) continue;
      ctx.fillStyle = (this.styles[tok.kind] ?? FALLBACK_STYLE).color;
      drawShape(ctx, (this.styles[tok.kind] ?? FALLBACK_STYLE).shape, p.x, p.y, r);
      this.tokensDrawn++;
    }
    ctx.fillStyle = "#e6edf3";
    ctx.font = "13px system-ui, sans-serif";
    ctx.fillText(`t = ${t.toFixed(2)} s`, 12, this.image.height - 12);
  }
}
