// Auto layout: a small layered (Sugiyama-style) layout with no dependency. Layers are the
// longest path from a source (cycles are broken by ignoring edges back to a node already being
// visited), nodes in a layer are ordered by the mean position of their parents (one barycentre
// sweep), then placed left to right by layer. Deterministic: ties keep scene order.
import type { Change } from "../model/changes";
import type { Scene } from "../model/types";

export const LAYER_GAP = 260;
export const ROW_GAP = 110;

export function layoutPositions(scene: Scene): Map<string, { x: number; y: number }> {
  const ids = scene.nodes.map((n) => n.id);
  const out = new Map<string, string[]>(ids.map((id) => [id, []]));
  const parents = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const e of scene.edges) {
    if (e.source === e.target || !out.has(e.source) || !out.has(e.target)) continue;
    out.get(e.source)!.push(e.target);
    parents.get(e.target)!.push(e.source);
  }
  const layer = new Map<string, number>();
  const visiting = new Set<string>();
  const depth = (id: string): number => {
    const known = layer.get(id);
    if (known !== undefined) return known;
    visiting.add(id);
    let d = 0;
    for (const p of parents.get(id)!) if (!visiting.has(p)) d = Math.max(d, depth(p) + 1);
    visiting.delete(id);
    layer.set(id, d);
    return d;
  };
  ids.forEach(depth);
  const layers: string[][] = [];
  for (const id of ids) (layers[layer.get(id)!] ??= []).push(id);
  const row = new Map<string, number>();
  const pos = new Map<string, { x: number; y: number }>();
  layers.forEach((members, li) => {
    const key = (id: string): number => {
      const ps = parents.get(id)!.filter((p) => row.has(p));
      return ps.length ? ps.reduce((s, p) => s + row.get(p)!, 0) / ps.length : Infinity;
    };
    const order = members.map((id, i) => ({ id, i, k: key(id) })).sort((a, b) => a.k - b.k || a.i - b.i);
    const offset = -(order.length - 1) / 2;
    order.forEach(({ id }, r) => {
      row.set(id, r + offset);
      pos.set(id, { x: li * LAYER_GAP, y: Math.round((r + offset) * ROW_GAP) });
    });
  });
  return pos;
}

/** The moves that lay the scene out (only nodes that actually move). */
export function layoutChanges(scene: Scene): Change[] {
  const pos = layoutPositions(scene);
  return scene.nodes
    .filter((n) => pos.get(n.id)!.x !== n.x || pos.get(n.id)!.y !== n.y)
    .map((n) => ({ type: "node/move", id: n.id, x: pos.get(n.id)!.x, y: pos.get(n.id)!.y }));
}
