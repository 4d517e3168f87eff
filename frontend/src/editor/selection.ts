// What the user has selected: view state, never part of the scene or its undo history.
export interface Selection {
  readonly nodes: readonly string[];
  readonly edges: readonly string[];
}

export const emptySelection: Selection = { nodes: [], edges: [] };

/** The one thing the properties panel shows. */
export type Focus = { type: "node"; id: string } | { type: "edge"; id: string } | { type: "scene" };

export function focusOf(s: Selection): Focus {
  if (s.nodes.length === 1 && s.edges.length === 0) return { type: "node", id: s.nodes[0]! };
  if (s.edges.length === 1 && s.nodes.length === 0) return { type: "edge", id: s.edges[0]! };
  return { type: "scene" };
}
