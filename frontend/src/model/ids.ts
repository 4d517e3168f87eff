// Id rules of topolab/1: 1-64 chars of [A-Za-z0-9_.-], unique within nodes (and within edges).
import type { Scene } from "./types";

export const ID_RE = /^[A-Za-z0-9_.-]{1,64}$/;

export function isValidId(id: string): boolean {
  return ID_RE.test(id);
}

/** `client-1`, `client-2`, ...: one more than the highest number already used for this kind. */
export function nextNodeId(scene: Scene, kind: string): string {
  const base = kind.replace(/[^A-Za-z0-9_.-]/g, "_").slice(0, 50) || "node";
  const taken = new Set(scene.nodes.map((n) => n.id));
  const pattern = new RegExp(`^${escapeRe(base)}-(\\d+)$`);
  let n = 0;
  for (const id of taken) {
    const m = pattern.exec(id);
    if (m?.[1]) n = Math.max(n, Number(m[1]));
  }
  let id = `${base}-${n + 1}`;
  while (taken.has(id)) id = `${base}-${++n + 1}`;
  return id;
}

/** `e1`, `e2`, ...: one more than the highest `eN` in the scene. */
export function nextEdgeId(scene: Scene): string {
  const taken = new Set(scene.edges.map((e) => e.id));
  let n = 0;
  for (const id of taken) {
    const m = /^e(\d+)$/.exec(id);
    if (m?.[1]) n = Math.max(n, Number(m[1]));
  }
  let id = `e${n + 1}`;
  while (taken.has(id)) id = `e${++n + 1}`;
  return id;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
