// Tour edits as pure functions over the scene's `tour` (see changes.ts for the Change types):
// add, remove, move and patch a step. Removing nodes or edges from the scene prunes what the
// tour says about them, so a saved tour never names something that is gone (the server would
// refuse it: "tour[2].highlight: unknown node 'x'").
import type { Scene, TourFault, TourQuestion, TourStep } from "./types";

export type TourAction = NonNullable<TourStep["action"]>;

/** A patch to one step: `action` or `question` null removes it. */
export interface StepPatch {
  text?: string;
  highlight?: readonly string[];
  action?: TourAction | null;
  question?: TourQuestion | null;
}

export const MAX_TOUR_STEPS = 50;

export function tourOf(scene: Scene): readonly TourStep[] {
  return scene.tour ?? [];
}

function withTour(scene: Scene, tour: readonly TourStep[]): Scene {
  if (tour.length === 0) {
    if (scene.tour === undefined) return scene;
    const { tour: _drop, ...rest } = scene;
    return rest;
  }
  return { ...scene, tour };
}

export function addStep(scene: Scene, step: TourStep, at?: number): Scene {
  const tour = tourOf(scene);
  if (tour.length >= MAX_TOUR_STEPS) return scene;
  const i = at === undefined ? tour.length : Math.max(0, Math.min(at, tour.length));
  return withTour(scene, [...tour.slice(0, i), step, ...tour.slice(i)]);
}

export function removeStep(scene: Scene, index: number): Scene {
  const tour = tourOf(scene);
  if (index < 0 || index >= tour.length) return scene;
  return withTour(scene, tour.filter((_, j) => j !== index));
}

export function moveStep(scene: Scene, from: number, to: number): Scene {
  const tour = tourOf(scene);
  if (from === to || from < 0 || to < 0 || from >= tour.length || to >= tour.length) return scene;
  const next = [...tour];
  const [step] = next.splice(from, 1);
  next.splice(to, 0, step!);
  return withTour(scene, next);
}

export function patchStep(scene: Scene, index: number, patch: StepPatch): Scene {
  const tour = tourOf(scene);
  const step = tour[index];
  if (!step) return scene;
  let next: TourStep = { ...step };
  if (patch.text !== undefined) next = { ...next, text: patch.text };
  if (patch.highlight !== undefined) next = { ...next, highlight: [...new Set(patch.highlight)] };
  if (patch.action !== undefined) next = setOptional(next, "action", patch.action);
  if (patch.question !== undefined) next = setOptional(next, "question", patch.question);
  if (sameStep(step, next)) return scene;
  return withTour(scene, tour.map((s, j) => (j === index ? next : s)));
}

function setOptional<K extends "action" | "question">(step: TourStep, key: K, value: TourStep[K] | null): TourStep {
  if (value === null) {
    const { [key]: _drop, ...rest } = step;
    return rest as TourStep;
  }
  return { ...step, [key]: value };
}

function sameStep(a: TourStep, b: TourStep): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The tour without highlights of, or actions on, nodes and edges that are gone. */
export function pruneTour(tour: readonly TourStep[], nodes: ReadonlySet<string>, edges: ReadonlySet<string>): readonly TourStep[] {
  let changed = false;
  const next = tour.map((step) => {
    let s = step;
    const highlight = s.highlight.filter((id) => nodes.has(id));
    if (highlight.length !== s.highlight.length) s = { ...s, highlight };
    if (s.action && "fault" in s.action && namesMissing(s.action.fault, nodes, edges)) s = setOptional(s, "action", null);
    changed ||= s !== step;
    return s;
  });
  return changed ? next : tour;
}

function namesMissing(f: TourFault, nodes: ReadonlySet<string>, edges: ReadonlySet<string>): boolean {
  if (typeof f.node === "string" && f.node !== "@leader" && !nodes.has(f.node)) return true;
  if (typeof f.edge === "string" && !edges.has(f.edge)) return true;
  const groups = Array.isArray(f.groups) ? (f.groups as unknown[]) : [];
  return groups.some((g) => Array.isArray(g) && g.some((id) => typeof id === "string" && !nodes.has(id)));
}

/** After a `remove` change: the scene with its tour pruned to what still exists. */
export function pruneSceneTour(scene: Scene): Scene {
  if (!scene.tour) return scene;
  const tour = pruneTour(scene.tour, new Set(scene.nodes.map((n) => n.id)), new Set(scene.edges.map((e) => e.id)));
  return tour === scene.tour ? scene : withTour(scene, tour);
}

/** A one-line description of a step's action ("Runs to 5 s", "crash @leader"). */
export function actionText(action: TourStep["action"]): string | null {
  if (!action) return null;
  if ("run_to" in action) return `Runs to ${action.run_to} s`;
  const f = action.fault;
  const what = typeof f.node === "string" ? f.node : typeof f.edge === "string" ? f.edge : "";
  return `${f.action}${what ? ` ${what}` : ""}${typeof f.factor === "number" ? ` ×${f.factor}` : ""}`;
}
