// Copy, paste and duplicate: pure functions from the scene and a selection to Changes. A clip
// holds the selected nodes and the edges between them; pasting gives every node a fresh id
// (`kind-N`), remaps the edges, and offsets positions so the copy lands clear of the
// original. The caller brackets the changes in one history gesture (one undo step).
import type { Change } from "../model/changes";
import { nextEdgeId, nextNodeId } from "../model/ids";
import { applyChange } from "../model/changes";
import type { Scene, SceneEdge, SceneNode } from "../model/types";
import type { Selection } from "./selection";

export interface Clip {
  readonly nodes: readonly SceneNode[];
  readonly edges: readonly SceneEdge[];
}

/** The copy goes just below the copied group (cards are ~64 px tall), a little to the right. */
export function pasteOffset(clip: Clip): { dx: number; dy: number } {
  const ys = clip.nodes.map((n) => n.y);
  return { dx: 30, dy: Math.max(...ys) - Math.min(...ys) + 100 };
}

export function copyOf(scene: Scene, sel: Selection): Clip | null {
  const ids = new Set(sel.nodes);
  const nodes = scene.nodes.filter((n) => ids.has(n.id));
  if (nodes.length === 0) return null;
  const edges = scene.edges.filter((e) => ids.has(e.source) && ids.has(e.target));
  return { nodes, edges };
}

/** The changes that paste `clip` into `scene`, and the selection of what was pasted. */
export function pasteChanges(scene: Scene, clip: Clip, offset = pasteOffset(clip)): { changes: Change[]; selection: Selection } {
  const changes: Change[] = [];
  const idMap = new Map<string, string>();
  let s = scene;
  for (const n of clip.nodes) {
    const id = nextNodeId(s, n.kind);
    idMap.set(n.id, id);
    const change: Change = { type: "node/add", node: { ...n, id, x: n.x + offset.dx, y: n.y + offset.dy } };
    changes.push(change);
    s = applyChange(s, change);
  }
  const edgeIds: string[] = [];
  for (const e of clip.edges) {
    const source = idMap.get(e.source);
    const target = idMap.get(e.target);
    if (!source || !target) continue;
    const change: Change = { type: "edge/add", edge: { ...e, id: nextEdgeId(s), source, target } };
    edgeIds.push(change.edge.id);
    changes.push(change);
    s = applyChange(s, change);
  }
  return { changes, selection: { nodes: [...idMap.values()], edges: edgeIds } };
}
