// The animation layer: one <canvas> above React Flow (pointer-events: none) redrawn from the
// shared animation loop with the current viewport transform. It never re-renders React.
import { useStoreApi } from "@xyflow/react";
import { useEffect, useRef } from "react";
import { animationLoop } from "./loop";
import { lerp, progressOf, toScreen, type Point, type Token, type TokenField } from "./tokens";
import { DrawnTokens } from "../inspect/hitTest";
import { messageKinds, messageKindsVersion } from "../model/messageKinds";
import { drawShape, FALLBACK_STYLE, styleOf, type MessageStyle } from "./messageStyle";

export interface TokenSource {
  readonly tokens: TokenField;
  /** Node id for a node index of the running scenario. */
  nodeId(index: number): string | undefined;
  playhead(): number;
  /** Called once per frame before drawing (advances playback). */
  beforeDraw(now: number): void;
  afterDraw?(drawn: number): void;
  /** Where the tokens were drawn last frame (kept by the source so tests can find them). */
  readonly drawn?: DrawnTokens;
}

// A click this close to a drawn token (CSS pixels beyond its radius) picks it.
const PICK_SLOP = 4;

interface Box { centre: Point; x0: number; y0: number; x1: number; y1: number }

function boxOf(pos: Point, w: number, h: number): Box {
  return { centre: { x: pos.x + w / 2, y: pos.y + h / 2 }, x0: pos.x, y0: pos.y, x1: pos.x + w, y1: pos.y + h };
}

// Dense traffic is drawn as flows, not tokens: above DENSE tokens in flight, a link carrying
// more than FLOW_MIN of them becomes one animated stream whose width grows with the count, so
// the page stays at 60 fps and the picture stays readable.
export const DENSE = 400;
export const FLOW_MIN = 8;

/** Fraction along centre(a) -> centre(b) where the segment leaves box a (0..1). */
function exitFraction(a: Box, b: Box): number {
  const dx = Math.abs(b.centre.x - a.centre.x);
  const dy = Math.abs(b.centre.y - a.centre.y);
  const fx = dx > 0 ? (a.x1 - a.x0) / 2 / dx : Infinity;
  const fy = dy > 0 ? (a.y1 - a.y0) / 2 / dy : Infinity;
  return Math.min(1, fx, fy);
}

const inside = (p: Point, b: Box): boolean => p.x > b.x0 && p.x < b.x1 && p.y > b.y0 && p.y < b.y1;

const reducedMotion = (): boolean =>
  typeof matchMedia === "function" && matchMedia("(prefers-reduced-motion: reduce)").matches;

export function TokenLayer({ source, onPick }: { source: TokenSource; onPick?: (t: Token) => void }) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const store = useStoreApi();
  const drawnRef = useRef(source.drawn ?? new DrawnTokens());
  const radiusRef = useRef(4.5);
  const pickRef = useRef(onPick);
  pickRef.current = onPick;

  // The canvas lets pointer events through to React Flow; a click on a token is caught on the
  // way down (capture) so it opens the inspector instead of clearing the selection.
  useEffect(() => {
    const host = canvasRef.current?.parentElement;
    if (!host) return;
    const onClick = (e: MouseEvent): void => {
      const pick = pickRef.current;
      const canvas = canvasRef.current;
      if (!pick || !canvas) return;
      // Panels (toolbar, fault bar, views, controls) and cards are drawn above the tokens: a
      // click there is theirs, even with a token underneath.
      if (e.target instanceof Element && e.target.closest(".react-flow__panel, .react-flow__node")) return;
      const r = canvas.getBoundingClientRect();
      const t = drawnRef.current.nearest(e.clientX - r.left, e.clientY - r.top, radiusRef.current + PICK_SLOP);
      if (!t) return;
      e.stopPropagation();
      pick(t);
    };
    host.addEventListener("click", onClick, true);
    return () => host.removeEventListener("click", onClick, true);
  }, []);

  useEffect(() => {
    const canvas = canvasRef.current;
    const ctx = canvas?.getContext("2d");
    if (!canvas || !ctx) return;
    const resize = (): void => {
      const dpr = window.devicePixelRatio || 1;
      canvas.width = Math.round(canvas.clientWidth * dpr);
      canvas.height = Math.round(canvas.clientHeight * dpr);
    };
    const ro = new ResizeObserver(resize);
    ro.observe(canvas);
    resize();
    let styles: MessageStyle[] = [];
    let stylesVersion = -1;

    const stop = animationLoop.add((now) => {
      source.beforeDraw(now);
      if (stylesVersion !== messageKindsVersion()) {
        stylesVersion = messageKindsVersion();
        styles = messageKinds().map(styleOf);
      }
      const dpr = window.devicePixelRatio || 1;
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      ctx.clearRect(0, 0, canvas.width / dpr, canvas.height / dpr);
      const { transform, nodeLookup } = store.getState();
      const boxes = new Map<number, Box | null>();
      const box = (i: number): Box | null => {
        if (!boxes.has(i)) {
          const id = source.nodeId(i);
          const n = id === undefined ? undefined : nodeLookup.get(id);
          boxes.set(i, n ? boxOf(n.internals.positionAbsolute, n.measured.width ?? 0, n.measured.height ?? 0) : null);
        }
        return boxes.get(i) ?? null;
      };
      const playhead = source.playhead();
      const still = reducedMotion();
      const r = Math.max(2.5, Math.min(6, 4.5 * transform[2]));
      radiusRef.current = r;
      const hits = drawnRef.current;
      hits.reset();
      let drawn = 0;
      const all = source.tokens.tokens;
      let flows: Map<number, { n: number; kind: number; src: number; dst: number }> | null = null;
      if (all.length > DENSE) {
        flows = new Map();
        for (const t of all) {
          const key = t.src * 1_000_003 + t.dst;
          const f = flows.get(key);
          if (f) f.n++;
          else flows.set(key, { n: 1, kind: t.kind, src: t.src, dst: t.dst });
        }
        for (const [key, f] of flows) {
          if (f.n < FLOW_MIN) {
            flows.delete(key);
            continue;
          }
          const a = box(f.src);
          const b = box(f.dst);
          if (!a || !b) continue;
          // from where the link leaves the source card to where it enters the target card
          const f0 = exitFraction(a, b);
          const f1 = 1 - exitFraction(b, a);
          if (f0 >= f1) continue;
          const p = toScreen(lerp(a.centre, b.centre, f0), transform);
          const q = toScreen(lerp(a.centre, b.centre, f1), transform);
          ctx.strokeStyle = (styles[f.kind] ?? FALLBACK_STYLE).color;
          ctx.globalAlpha = 0.7;
          ctx.lineWidth = Math.min(10, 1.5 + Math.log2(f.n)) * Math.max(0.5, transform[2]);
          ctx.setLineDash([6, 10]);
          ctx.lineDashOffset = still ? 0 : -(now / 40) % 16;
          ctx.beginPath();
          ctx.moveTo(p.x, p.y);
          ctx.lineTo(q.x, q.y);
          ctx.stroke();
          drawn += f.n;
        }
        ctx.setLineDash([]);
      }
      for (const t of all) {
        if (flows && flows.has(t.src * 1_000_003 + t.dst)) continue;
        const a = box(t.src);
        const b = box(t.dst);
        if (!a || !b) continue;
        const f = lerp(a.centre, b.centre, still ? 0.5 : progressOf(t, playhead));
        // Centre to centre, but not drawn over the cards themselves (labels stay readable).
        if (inside(f, a) || inside(f, b)) continue;
        const p = toScreen(f, transform);
        const style = styles[t.kind] ?? FALLBACK_STYLE;
        ctx.fillStyle = style.color;
        ctx.globalAlpha = still ? 0.5 : 0.95;
        drawShape(ctx, style.shape, p.x, p.y, r);
        hits.push(p.x, p.y, t);
        drawn++;
      }
      ctx.globalAlpha = 1;
      source.afterDraw?.(drawn);
    });
    return () => {
      stop();
      ro.disconnect();
    };
  }, [source, store]);

  return <canvas ref={canvasRef} className="token-layer" aria-hidden="true" />;
}
