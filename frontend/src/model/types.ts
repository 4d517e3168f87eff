// The scene is the scenario (format topolab/1, see shared/CONTRACT.md section 2) as plain,
// immutable data. Nothing here knows about React, React Flow or the network.

export const SCENARIO_FORMAT = "topolab/1";

/** Nested params (lists of [at_s, rate] pairs, number-or-range unions) are plain JSON. */
export type JsonValue = number | string | boolean | null | readonly JsonValue[] | { readonly [k: string]: JsonValue };
export type ParamValue = number | string | boolean | number[] | string[] | null | readonly JsonValue[] | { readonly [k: string]: JsonValue };
export type Params = Readonly<Record<string, ParamValue>>;

export interface SceneNode {
  readonly id: string;
  readonly kind: string;
  readonly label?: string;
  readonly x: number;
  readonly y: number;
  readonly params: Params;
}

export interface SceneEdge {
  readonly id: string;
  readonly source: string;
  readonly target: string;
  readonly params: Params;
}

/** Faults are plain records (editor/FaultsEditor.tsx edits crash/restart/slow/cut/restore/heal; others are kept verbatim). */
export type Fault = Readonly<Record<string, unknown>>;

/** A live fault a tour step takes (a scheduled fault without at_s; node may be "@leader"). */
export type TourFault = Readonly<Record<string, unknown>> & { readonly action: string };
export interface TourQuestion { readonly prompt: string; readonly choices: readonly string[]; readonly answer?: number }
/** One guided-tour step (apps/engine/tour.py): text, highlighted nodes, an action, a question. */
export interface TourStep {
  readonly text: string;
  readonly highlight: readonly string[];
  readonly action?: { readonly run_to: number } | { readonly fault: TourFault };
  readonly question?: TourQuestion;
}

export interface Settings {
  readonly duration_s?: number;
  readonly warmup_s?: number;
  readonly seed?: number;
  readonly [key: string]: number | string | boolean | undefined;
}

export interface Scene {
  readonly name: string;
  /** The scenario's free-text description (kept as is; the editor does not change it). */
  readonly description?: string;
  readonly nodes: readonly SceneNode[];
  readonly edges: readonly SceneEdge[];
  readonly faults: readonly Fault[];
  readonly settings: Settings;
  /** The guided tour carried by the scenario (optional; the engine never simulates it). */
  readonly tour?: readonly TourStep[];
}

export const emptyScene = (): Scene => ({
  name: "Untitled topology",
  nodes: [],
  edges: [],
  faults: [],
  settings: { duration_s: 30, warmup_s: 0, seed: 42 },
});
