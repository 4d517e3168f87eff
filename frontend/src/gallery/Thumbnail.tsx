// A small SVG of a topology from its node positions: edges as lines, nodes as rounded boxes in
// their kind's accent colour. Pure rendering of data; labels are not drawn (too small to read).
import { accentOf } from "../editor/icons";
import type { Scene } from "../model/types";

const W = 200;
const H = 110;
const PAD = 12;
const NODE_W = 180; // approximate card size in flow units, so boxes keep their proportions
const NODE_H = 64;

export function Thumbnail({ scene, title }: { scene: Scene; title: string }) {
  if (scene.nodes.length === 0) return <svg width={W} height={H} role="img" aria-label={title} />;
  const xs = scene.nodes.map((n) => n.x);
  const ys = scene.nodes.map((n) => n.y);
  const x0 = Math.min(...xs);
  const y0 = Math.min(...ys);
  const spanX = Math.max(...xs) + NODE_W - x0;
  const spanY = Math.max(...ys) + NODE_H - y0;
  const k = Math.min((W - 2 * PAD) / spanX, (H - 2 * PAD) / spanY);
  const ox = (W - spanX * k) / 2;
  const oy = (H - spanY * k) / 2;
  const pos = new Map(scene.nodes.map((n) => [n.id, { x: ox + (n.x - x0) * k, y: oy + (n.y - y0) * k }]));
  const w = NODE_W * k;
  const h = NODE_H * k;
  return (
    <svg className="thumb" width={W} height={H} viewBox={`0 0 ${W} ${H}`} role="img" aria-label={title}>
      {scene.edges.map((e) => {
        const a = pos.get(e.source);
        const b = pos.get(e.target);
        if (!a || !b) return null;
        return <line key={e.id} x1={a.x + w} y1={a.y + h / 2} x2={b.x} y2={b.y + h / 2} stroke="#6e7681" strokeWidth={1} />;
      })}
      {scene.nodes.map((n) => {
        const p = pos.get(n.id)!;
        return <rect key={n.id} x={p.x} y={p.y} width={Math.max(w, 3)} height={Math.max(h, 3)} rx={Math.min(4, h / 4)}
          fill="#161b22" stroke={accentOf(n.kind)} strokeWidth={1.2} />;
      })}
    </svg>
  );
}
