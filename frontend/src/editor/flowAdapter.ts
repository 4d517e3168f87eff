// Scene -> React Flow props. The scene stays the source of truth: React Flow gets fresh
// nodes and edges derived from it, plus what only the view knows (measured size, selection,
// live node state, validation errors).
import type { Edge, Node } from "@xyflow/react";
import type { Scene, SceneNode } from "../model/types";

export interface TopoNodeData extends Record<string, unknown> {
  kind: string;
  label: string;
  detail: string;
  error: string | null;
  state: { q: number; busy: number; up: boolean; role?: string } | null;
  /** Busy workers / workers, 0..1, while a run plays (the utilisation ring). */
  util: number | null;
}
export type TopoFlowNode = Node<TopoNodeData, "topo">;
export type TopoFlowEdge = Edge<Record<string, unknown>, "topo">;

export interface ViewState {
  selectedNodes: ReadonlySet<string>;
  selectedEdges: ReadonlySet<string>;
  measured: ReadonlyMap<string, { width: number; height: number }>;
  nodeStates: ReadonlyMap<string, { q: number; busy: number; up: boolean; role?: string }>;
  nodeErrors: ReadonlyMap<string, string>;
}

export function toFlowNodes(scene: Scene, view: ViewState): TopoFlowNode[] {
  return scene.nodes.map((n) => {
    const m = view.measured.get(n.id);
    return {
      id: n.id,
      type: "topo",
      position: { x: n.x, y: n.y },
      selected: view.selectedNodes.has(n.id),
      ...(m ? { measured: m } : {}),
      data: {
        kind: n.kind,
        label: n.label || n.id,
        detail: detailOf(n),
        error: view.nodeErrors.get(n.id) ?? null,
        state: view.nodeStates.get(n.id) ?? null,
        util: utilOf(n, view.nodeStates.get(n.id)),
      },
    };
  });
}

export function toFlowEdges(scene: Scene, view: ViewState): TopoFlowEdge[] {
  return scene.edges.map((e) => ({
    id: e.id,
    type: "topo",
    source: e.source,
    target: e.target,
    selected: view.selectedEdges.has(e.id),
    data: { latency: e.params.latency_ms ?? null },
  }));
}

function utilOf(n: SceneNode, state: { busy: number } | undefined): number | null {
  if (!state) return null;
  const workers = typeof n.params.workers === "number" && n.params.workers > 0 ? n.params.workers : 1;
  return Math.min(1, state.busy / workers);
}

/** A one-line hint of the most telling params. */
function detailOf(n: SceneNode): string {
  const p = n.params;
  const parts: string[] = [];
  if (typeof p.rate_rps === "number") parts.push(`${p.rate_rps} req/s`);
  if (typeof p.workers === "number") parts.push(`${p.workers} worker${p.workers === 1 ? "" : "s"}`);
  if (typeof p.service_time_ms === "number") parts.push(`${p.service_time_ms} ms`);
  if (typeof p.strategy === "string") parts.push(p.strategy.replace(/_/g, " "));
  if (typeof p.protocol === "string") parts.push(p.protocol);
  return parts.length ? parts.join(" · ") : n.kind.replace(/_/g, " ");
}
