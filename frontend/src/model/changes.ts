// Edits are data: every change to the scene is a plain object, applied by one pure reducer.
// The reducer never mutates its input and returns the same object when nothing changed, so
// callers can compare by identity.
import { addStep, moveStep, patchStep, pruneSceneTour, removeStep, type StepPatch } from "./tour";
import type { Fault, ParamValue, Scene, SceneEdge, SceneNode, Settings, TourStep } from "./types";

export type Change =
  | { type: "node/add"; node: SceneNode }
  | { type: "node/move"; id: string; x: number; y: number }
  | { type: "node/label"; id: string; label: string }
  | { type: "node/param"; id: string; name: string; value: ParamValue | undefined }
  | { type: "edge/add"; edge: SceneEdge }
  | { type: "edge/param"; id: string; name: string; value: ParamValue | undefined }
  | { type: "remove"; nodes: readonly string[]; edges: readonly string[] }
  | { type: "scene/name"; name: string }
  | { type: "scene/setting"; name: string; value: number | undefined }
  | { type: "scene/faults"; faults: readonly Fault[] }
  | { type: "scene/replace"; scene: Scene }
  | { type: "tour/add"; step: TourStep; at?: number }
  | { type: "tour/remove"; index: number }
  | { type: "tour/move"; from: number; to: number }
  | { type: "tour/step"; index: number; patch: StepPatch };

export function applyChange(scene: Scene, change: Change): Scene {
  switch (change.type) {
    case "node/add":
      if (scene.nodes.some((n) => n.id === change.node.id)) return scene;
      return { ...scene, nodes: [...scene.nodes, change.node] };
    case "node/move":
      return mapNode(scene, change.id, (n) =>
        n.x === change.x && n.y === change.y ? n : { ...n, x: change.x, y: change.y },
      );
    case "node/label":
      return mapNode(scene, change.id, (n) => (n.label === change.label ? n : withLabel(n, change.label)));
    case "node/param":
      return mapNode(scene, change.id, (n) => {
        const params = setParam(n.params, change.name, change.value);
        return params === n.params ? n : { ...n, params };
      });
    case "edge/add":
      return addEdge(scene, change.edge);
    case "edge/param":
      return mapEdge(scene, change.id, (e) => {
        const params = setParam(e.params, change.name, change.value);
        return params === e.params ? e : { ...e, params };
      });
    case "remove":
      return pruneSceneTour(remove(scene, change.nodes, change.edges));
    case "scene/name":
      return scene.name === change.name ? scene : { ...scene, name: change.name };
    case "scene/setting":
      return setSetting(scene, change.name, change.value);
    case "scene/faults":
      return { ...scene, faults: change.faults };
    case "scene/replace":
      return change.scene;
    case "tour/add":
      return addStep(scene, change.step, change.at);
    case "tour/remove":
      return removeStep(scene, change.index);
    case "tour/move":
      return moveStep(scene, change.from, change.to);
    case "tour/step":
      return patchStep(scene, change.index, change.patch);
  }
}

export function applyChanges(scene: Scene, changes: readonly Change[]): Scene {
  return changes.reduce(applyChange, scene);
}

function withLabel(n: SceneNode, label: string): SceneNode {
  if (label === "") {
    const { label: _drop, ...rest } = n;
    return rest;
  }
  return { ...n, label };
}

function mapNode(scene: Scene, id: string, fn: (n: SceneNode) => SceneNode): Scene {
  let changed = false;
  const nodes = scene.nodes.map((n) => {
    if (n.id !== id) return n;
    const next = fn(n);
    changed ||= next !== n;
    return next;
  });
  return changed ? { ...scene, nodes } : scene;
}

function mapEdge(scene: Scene, id: string, fn: (e: SceneEdge) => SceneEdge): Scene {
  let changed = false;
  const edges = scene.edges.map((e) => {
    if (e.id !== id) return e;
    const next = fn(e);
    changed ||= next !== e;
    return next;
  });
  return changed ? { ...scene, edges } : scene;
}

/** Edges need both ends, no self loops, no duplicate of the same direction, a fresh id. */
function addEdge(scene: Scene, edge: SceneEdge): Scene {
  const ids = new Set(scene.nodes.map((n) => n.id));
  if (!ids.has(edge.source) || !ids.has(edge.target) || edge.source === edge.target) return scene;
  const clash = scene.edges.some(
    (e) => e.id === edge.id || (e.source === edge.source && e.target === edge.target),
  );
  return clash ? scene : { ...scene, edges: [...scene.edges, edge] };
}

/** Removing a node removes its edges too; faults naming removed things go with them (and the
 * tour forgets them: see pruneSceneTour). */
function remove(scene: Scene, nodeIds: readonly string[], edgeIds: readonly string[]): Scene {
  const goneNodes = new Set(nodeIds);
  const goneEdges = new Set(edgeIds);
  const nodes = scene.nodes.filter((n) => !goneNodes.has(n.id));
  const edges = scene.edges.filter(
    (e) => !goneEdges.has(e.id) && !goneNodes.has(e.source) && !goneNodes.has(e.target),
  );
  if (nodes.length === scene.nodes.length && edges.length === scene.edges.length) return scene;
  const removedEdges = new Set(scene.edges.filter((e) => !edges.includes(e)).map((e) => e.id));
  const faults = scene.faults.filter(
    (f) => !(typeof f.node === "string" && goneNodes.has(f.node)) &&
      !(typeof f.edge === "string" && removedEdges.has(f.edge)),
  );
  return { ...scene, nodes, edges, faults: faults.length === scene.faults.length ? scene.faults : faults };
}

function setParam<P extends Readonly<Record<string, ParamValue>>>(
  params: P, name: string, value: ParamValue | undefined,
): P {
  if (value === undefined) {
    if (!(name in params)) return params;
    const { [name]: _drop, ...rest } = params;
    return rest as P;
  }
  if (sameValue(params[name], value)) return params;
  return { ...params, [name]: value };
}

function setSetting(scene: Scene, name: string, value: number | undefined): Scene {
  const settings = setParam(scene.settings as Readonly<Record<string, ParamValue>>, name, value);
  return settings === scene.settings ? scene : { ...scene, settings: settings as Settings };
}

function sameValue(a: ParamValue | undefined, b: ParamValue): boolean {
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((v, i) => v === b[i]);
  }
  return a === b;
}
