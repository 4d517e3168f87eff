// The animation layer: one <canvas> above React Flow (pointer-events: none) redrawn from the
// shared animation loop with the current viewport transform. It never re-renders React.
import { useStoreApi } from "@xyflow/react";
import { useEffect, useRef } from "react";
import { animationLoop } from "./loop";
import { lerp, progressOf, toScreen, type Point, type TokenField } from "./tokens";
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
}

interface Box { centre: Point; x0: number; y0: number; x1: number; y1: number }

function boxOf(pos: Point, w: number, h: number): Box {
  return { centre: { x: pos.x + w / 2, y: pos.y + h / 2 }, x0: pos.x, y0: pos.y, x1: pos.x + w, y1: pos.y + h };
}

const inside = (p: Point, b: Box): boolean => p.x > b.x0 && p.x < b.x1 && p.y > b.y0 && p.y < b.y1;

const reducedMotion = (): boolean =>
  typeof matchMedia === "function" && matchMedia("(prefers-reduced-motion: reduce)").matches;

export function TokenLayer({ source }: { source: TokenSource }) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const store = useStoreApi();

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
      let drawn = 0;
      for (const t of source.tokens.tokens) {
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
