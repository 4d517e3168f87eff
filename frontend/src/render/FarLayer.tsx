// Far-zoom renderer for large scenes: below FAR_ZOOM with more than LARGE nodes, the cards and
// edges are drawn on one canvas (a tile per node in its kind's colour, a straight line per edge)
// and React Flow's own node and edge layers are hidden (visibility, so they keep their measured
// sizes and box selection still works). Thousands of DOM cards and SVG paths cost a software
// compositor far more per pan or zoom step than one canvas redraw. Redrawn only when the
// viewport or the nodes change, never from the animation loop.
import { useStore, useStoreApi } from "@xyflow/react";
import { useEffect, useRef } from "react";
import { accentOf } from "../editor/icons";

export interface FarTile { x: number; y: number; w: number; h: number; colour: string; selected: boolean }

/** Tiles and edge segments in flow coordinates, from React Flow's node lookup and edges. */
export function farScene(
  nodes: Iterable<{ id: string; x: number; y: number; w: number; h: number; kind: string; selected: boolean }>,
  edges: readonly { source: string; target: string }[],
): { tiles: FarTile[]; lines: [number, number, number, number][] } {
  const tiles: FarTile[] = [];
  const centre = new Map<string, [number, number, number, number]>(); // cx, cy, right, left
  for (const n of nodes) {
    tiles.push({ x: n.x, y: n.y, w: n.w, h: n.h, colour: accentOf(n.kind), selected: n.selected });
    centre.set(n.id, [n.x + n.w / 2, n.y + n.h / 2, n.x + n.w, n.x]);
  }
  const lines: [number, number, number, number][] = [];
  for (const e of edges) {
    const a = centre.get(e.source);
    const b = centre.get(e.target);
    if (a && b) lines.push([a[2], a[1], b[3], b[1]]); // out of the right side, into the left
  }
  return { tiles, lines };
}

export function FarLayer() {
  const ref = useRef<HTMLCanvasElement>(null);
  const store = useStoreApi();
  const transform = useStore((s) => s.transform);
  const nodeLookup = useStore((s) => s.nodeLookup);
  const edges = useStore((s) => s.edges);
  const nodesVersion = useStore((s) => s.nodes); // nodeLookup is updated in place: redraw on new nodes

  useEffect(() => {
    const canvas = ref.current;
    const ctx = canvas?.getContext("2d");
    if (!canvas || !ctx) return;
    const dpr = window.devicePixelRatio || 1;
    const w = canvas.clientWidth;
    const h = canvas.clientHeight;
    if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
      canvas.width = Math.round(w * dpr);
      canvas.height = Math.round(h * dpr);
    }
    const [tx, ty, k] = transform;
    ctx.setTransform(dpr * k, 0, 0, dpr * k, dpr * tx, dpr * ty);
    ctx.clearRect(-tx / k, -ty / k, w / k, h / k);
    const nodes = [...nodeLookup.values()].map((n) => ({
      id: n.id, x: n.internals.positionAbsolute.x, y: n.internals.positionAbsolute.y,
      w: n.measured.width ?? 170, h: n.measured.height ?? 48, kind: String(n.data.kind ?? ""), selected: !!n.selected,
    }));
    const scene = farScene(nodes, edges);
    ctx.strokeStyle = "#4b5563";
    ctx.lineWidth = 2 / Math.max(k, 0.05) * 0.5;
    ctx.beginPath();
    for (const [x0, y0, x1, y1] of scene.lines) { ctx.moveTo(x0, y0); ctx.lineTo(x1, y1); }
    ctx.stroke();
    ctx.globalAlpha = 0.75;
    for (const t of scene.tiles) {
      ctx.fillStyle = t.colour;
      ctx.fillRect(t.x, t.y, t.w, t.h);
    }
    ctx.globalAlpha = 1;
    ctx.strokeStyle = "#58a6ff";
    ctx.lineWidth = 3 / Math.max(k, 0.05);
    for (const t of scene.tiles) if (t.selected) ctx.strokeRect(t.x, t.y, t.w, t.h);
  }, [transform, nodeLookup, nodesVersion, edges, store]);

  return <canvas ref={ref} className="far-layer" data-testid="far-layer" aria-hidden="true" />;
}
