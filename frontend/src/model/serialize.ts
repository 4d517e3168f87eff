// Scene <-> scenario JSON (topolab/1). toScenario emits only the keys of the format, in a
// stable order, so the same scene always serialises to the same text. fromScenario is
// lenient about shape (the server is the validator) but never trusts types blindly.
import { emptyScene, SCENARIO_FORMAT, type Fault, type ParamValue, type Params, type Scene, type SceneEdge, type SceneNode, type Settings } from "./types";
import { parseTour, tourJson, type TourJson } from "./tourJson";

export interface ScenarioJson {
  format: string;
  name: string;
  description?: string;
  nodes: Array<{ id: string; kind: string; label?: string; x: number; y: number; params: Record<string, ParamValue> }>;
  edges: Array<{ id: string; source: string; target: string; params: Record<string, ParamValue> }>;
  faults: Array<Record<string, unknown>>;
  settings: Record<string, number | string | boolean>;
  tour?: TourJson[];
}

export function toScenario(scene: Scene): ScenarioJson {
  return {
    format: SCENARIO_FORMAT,
    name: scene.name,
    ...(scene.description ? { description: scene.description } : {}),
    nodes: scene.nodes.map((n) => ({
      id: n.id,
      kind: n.kind,
      ...(n.label ? { label: n.label } : {}),
      x: Math.round(n.x),
      y: Math.round(n.y),
      params: { ...n.params },
    })),
    edges: scene.edges.map((e) => ({ id: e.id, source: e.source, target: e.target, params: { ...e.params } })),
    faults: scene.faults.map((f) => ({ ...f })),
    settings: definedOnly(scene.settings),
    ...(scene.tour?.length ? { tour: scene.tour.map(tourJson) } : {}),
  };
}

export class ScenarioParseError extends Error {}

export function fromScenario(data: unknown): Scene {
  if (!isRecord(data)) throw new ScenarioParseError("a scenario must be a JSON object");
  const base = emptyScene();
  const nodes = asArray(data.nodes, "nodes").map((raw, i) => parseNode(raw, i));
  const edges = asArray(data.edges, "edges").map((raw, i) => parseEdge(raw, i));
  const faults = asArray(data.faults, "faults").filter(isRecord) as Fault[];
  const settings = isRecord(data.settings) ? (scalarsOnly(data.settings) as Settings) : base.settings;
  const tour = parseTour(data.tour);
  return {
    name: typeof data.name === "string" ? data.name : base.name,
    ...(typeof data.description === "string" && data.description !== "" ? { description: data.description } : {}),
    nodes,
    edges,
    faults,
    settings,
    ...(tour.length ? { tour } : {}),
  };
}

function parseNode(raw: unknown, i: number): SceneNode {
  if (!isRecord(raw) || typeof raw.id !== "string" || typeof raw.kind !== "string") {
    throw new ScenarioParseError(`nodes[${i}]: needs a string id and kind`);
  }
  const node: SceneNode = {
    id: raw.id,
    kind: raw.kind,
    x: typeof raw.x === "number" ? raw.x : 80 + (i % 5) * 200,
    y: typeof raw.y === "number" ? raw.y : 80 + Math.floor(i / 5) * 140,
    params: parseParams(raw.params),
  };
  return typeof raw.label === "string" && raw.label !== "" ? { ...node, label: raw.label } : node;
}

function parseEdge(raw: unknown, i: number): SceneEdge {
  if (!isRecord(raw) || typeof raw.source !== "string" || typeof raw.target !== "string") {
    throw new ScenarioParseError(`edges[${i}]: needs string source and target`);
  }
  const id = typeof raw.id === "string" ? raw.id : `e${i + 1}`;
  return { id, source: raw.source, target: raw.target, params: parseParams(raw.params) };
}

function parseParams(raw: unknown): Params {
  if (!isRecord(raw)) return {};
  const out: Record<string, ParamValue> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (isParamValue(v)) out[k] = v;
  }
  return out;
}

// Any JSON value is a param value (lists of [at_s, rate] pairs, [low, high] ranges, route tables
// like {"read": ["catalog"]}): the server validates meaning; dropping what the editor has no
// form for would silently change the scenario on its next save. Depth is bounded against
// pathological input.
const MAX_PARAM_DEPTH = 8;

function isParamValue(v: unknown, depth = 0): v is ParamValue {
  if (v === null || typeof v === "string" || typeof v === "boolean") return true;
  if (typeof v === "number") return Number.isFinite(v);
  if (depth >= MAX_PARAM_DEPTH) return false;
  if (Array.isArray(v)) return v.every((x) => isParamValue(x, depth + 1));
  return isRecord(v) && Object.values(v).every((x) => isParamValue(x, depth + 1));
}

function scalarsOnly(raw: Record<string, unknown>): Record<string, number | string | boolean> {
  const out: Record<string, number | string | boolean> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (typeof v === "number" || typeof v === "string" || typeof v === "boolean") out[k] = v;
  }
  return out;
}

function definedOnly(s: Settings): Record<string, number | string | boolean> {
  const out: Record<string, number | string | boolean> = {};
  for (const [k, v] of Object.entries(s)) if (v !== undefined) out[k] = v;
  return out;
}

function asArray(v: unknown, what: string): unknown[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new ScenarioParseError(`${what} must be a list`);
  return v;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
