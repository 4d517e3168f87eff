// The animation layer: one <canvas> above React Flow (pointer-events: none) redrawn from the
// shared animation loop with the current viewport transform. It never re-renders React.
import { useStoreApi } from "@xyflow/react";
import { useEffect, useRef } from "react";
import { animationLoop } from "./loop";
import { KIND_COLORS, lerp, OTHER_COLOR, progressOf, toScreen, type Point, type TokenField } from "./tokens";
import { MESSAGE_KINDS } from "../net/protocol";

export interface TokenSource {
  readonly tokens: TokenField;
  /** Node id for a node index of the running scenario. */
  nodeId(index: number): string | undefined;
  playhead(): number;
  /** Called once per frame before drawing (advances playback). */
  beforeDraw(now: number): void;
  afterDraw?(drawn: number): void;
}

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
    const colors = MESSAGE_KINDS.map((k) => KIND_COLORS[k] ?? OTHER_COLOR);

    const stop = animationLoop.add((now) => {
      source.beforeDraw(now);
      const dpr = window.devicePixelRatio || 1;
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      ctx.clearRect(0, 0, canvas.width / dpr, canvas.height / dpr);
      const { transform, nodeLookup } = store.getState();
      const centres = new Map<number, Point | null>();
      const centre = (i: number): Point | null => {
        if (!centres.has(i)) {
          const id = source.nodeId(i);
          const n = id === undefined ? undefined : nodeLookup.get(id);
          centres.set(i, n ? {
            x: n.internals.positionAbsolute.x + (n.measured.width ?? 0) / 2,
            y: n.internals.positionAbsolute.y + (n.measured.height ?? 0) / 2,
          } : null);
        }
        return centres.get(i) ?? null;
      };
      const playhead = source.playhead();
      const still = reducedMotion();
      const r = Math.max(2.5, Math.min(6, 4.5 * transform[2]));
      let drawn = 0;
      for (const t of source.tokens.tokens) {
        const a = centre(t.src);
        const b = centre(t.dst);
        if (!a || !b) continue;
        const p = toScreen(lerp(a, b, still ? 0.5 : progressOf(t, playhead)), transform);
        ctx.fillStyle = colors[t.kind] ?? OTHER_COLOR;
        ctx.globalAlpha = still ? 0.5 : 0.95;
        ctx.beginPath();
        ctx.arc(p.x, p.y, r, 0, Math.PI * 2);
        ctx.fill();
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
