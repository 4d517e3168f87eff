// Reads the scenario JSON Schema served at /api/schema/scenario.json (made by pydantic in
// apps/engine) into simple field specs the properties panel turns into a form. Defensive by
// design: it follows $ref, anyOf/oneOf (nullable fields), discriminated unions on `kind`
// (oneOf + discriminator, or allOf of if/then), and falls back to built-in specs.
import { isRecord } from "./serialize";
import type { ParamValue } from "./types";

// "json": nested arrays, objects and unions of several shapes, edited as JSON text.
export type FieldType = "number" | "integer" | "string" | "boolean" | "enum" | "array" | "json" | "unknown";

export interface FieldSpec {
  readonly name: string;
  readonly type: FieldType;
  readonly title?: string;
  readonly description?: string;
  readonly unit?: string;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: number;
  readonly exclusiveMaximum?: number;
  readonly multipleOf?: number;
  readonly default?: ParamValue;
  readonly options?: readonly string[];
  readonly nullable: boolean;
  readonly required: boolean;
  /** Arrays: item type and fixed length, if known. */
  readonly itemType?: "number" | "integer" | "string";
  readonly minItems?: number;
  readonly maxItems?: number;
}

export interface KindSpec {
  readonly kind: string;
  readonly title?: string;
  readonly description?: string;
  readonly params: readonly FieldSpec[];
}

export interface SchemaSpec {
  readonly kinds: readonly KindSpec[];
  readonly edgeParams: readonly FieldSpec[];
  readonly settings: readonly FieldSpec[];
  /** True when built from the server's schema, false for the built-in fallback. */
  readonly fromServer: boolean;
}

type Json = Record<string, unknown>;

export function parseSchema(root: unknown): SchemaSpec {
  if (!isRecord(root)) return FALLBACK_SCHEMA;
  const r = (s: unknown): Json => resolve(root, s);
  const top = r(root);
  const props = isRecord(top.properties) ? top.properties : {};
  const nodeItem = r(r(props.nodes).items);
  const kinds = nodeBranches(root, nodeItem)
    .map((b) => kindFromBranch(root, b))
    .filter((k): k is KindSpec => k !== null);
  if (kinds.length === 0) return FALLBACK_SCHEMA;
  const edgeItem = r(r(props.edges).items);
  const edgeParams = fieldsOf(root, r(r(edgeItem.properties).params));
  const settings = fieldsOf(root, r(props.settings));
  return {
    kinds: dedupe(kinds),
    edgeParams: edgeParams.length ? edgeParams : FALLBACK_EDGE,
    settings: settings.length ? settings : FALLBACK_SETTINGS,
    fromServer: true,
  };
}

/** Resolves local `#/...` references (repeatedly), returns {} for anything unusable. */
export function resolve(root: unknown, s: unknown, depth = 0): Json {
  if (!isRecord(s)) return {};
  if (typeof s.$ref === "string" && depth < 32) {
    const target = pointer(root, s.$ref);
    const { $ref: _drop, ...rest } = s;
    return { ...resolve(root, target, depth + 1), ...rest };
  }
  return s;
}

function pointer(root: unknown, ref: string): unknown {
  if (!ref.startsWith("#")) return undefined;
  const parts = ref.slice(1).split("/").filter(Boolean).map((p) => decodeURIComponent(p.replace(/~1/g, "/").replace(/~0/g, "~")));
  let cur: unknown = root;
  for (const p of parts) cur = isRecord(cur) ? cur[p] : undefined;
  return cur;
}

function nodeBranches(root: unknown, item: Json): Json[] {
  const union = [item.oneOf, item.anyOf].find(Array.isArray) as unknown[] | undefined;
  if (union) return union.map((b) => resolve(root, b));
  if (Array.isArray(item.allOf)) {
    const out: Json[] = [];
    for (const part of item.allOf.map((p) => resolve(root, p))) {
      const cond = resolve(root, part.if);
      const then = resolve(root, part.then);
      const kindConst = constOf(resolve(root, resolve(root, cond.properties).kind));
      if (kindConst) out.push({ properties: { ...resolve(root, then.properties), kind: { const: kindConst } } });
    }
    if (out.length) return out;
  }
  // A single node schema with `kind` as an enum: every kind shares its params schema.
  const kindEnum = resolve(root, resolve(root, item.properties).kind).enum;
  if (Array.isArray(kindEnum)) {
    return kindEnum.filter((k): k is string => typeof k === "string").map((k) => ({
      properties: { ...resolve(root, item.properties), kind: { const: k } },
    }));
  }
  return [];
}

function kindFromBranch(root: unknown, branch: Json): KindSpec | null {
  const props = resolve(root, branch.properties);
  const kind = constOf(resolve(root, props.kind));
  if (!kind) return null;
  const paramsSchema = resolve(root, props.params);
  return {
    kind,
    ...(typeof branch.title === "string" ? { title: branch.title } : {}),
    ...(typeof branch.description === "string" ? { description: branch.description } : {}),
    params: fieldsOf(root, nonNull(root, paramsSchema)),
  };
}

function constOf(s: Json): string | null {
  if (typeof s.const === "string") return s.const;
  if (Array.isArray(s.enum) && s.enum.length === 1 && typeof s.enum[0] === "string") return s.enum[0];
  return null;
}

/** `anyOf: [X, {type: null}]` -> X (pydantic's Optional). */
function nonNull(root: unknown, s: Json): Json {
  const union = [s.anyOf, s.oneOf].find(Array.isArray) as unknown[] | undefined;
  if (!union) return s;
  const parts = union.map((p) => resolve(root, p)).filter((p) => p.type !== "null");
  if (parts.length !== 1 || !parts[0]) return s;
  const { anyOf: _a, oneOf: _o, ...rest } = s;
  return { ...parts[0], ...rest };
}

export function fieldsOf(root: unknown, objectSchema: Json): FieldSpec[] {
  const props = resolve(root, objectSchema.properties);
  const required = new Set(Array.isArray(objectSchema.required) ? objectSchema.required : []);
  return Object.entries(props).map(([name, raw]) => fieldOf(root, name, resolve(root, raw), required.has(name)));
}

function fieldOf(root: unknown, name: string, raw: Json, required: boolean): FieldSpec {
  const union = [raw.anyOf, raw.oneOf].find(Array.isArray) as unknown[] | undefined;
  const nullable = raw.type === "null" || (Array.isArray(raw.type) && raw.type.includes("null")) ||
    (union ?? []).some((p) => resolve(root, p).type === "null");
  const s = nonNull(root, raw);
  const num = (k: string): number | undefined => (typeof s[k] === "number" ? (s[k] as number) : undefined);
  const str = (k: string): string | undefined => (typeof s[k] === "string" ? (s[k] as string) : undefined);
  const spec: Record<string, unknown> = {
    name, nullable, required, type: fieldType(root, s),
    title: str("title"), description: str("description"), unit: str("x-unit"),
    minimum: num("minimum"), maximum: num("maximum"), exclusiveMinimum: num("exclusiveMinimum"),
    exclusiveMaximum: num("exclusiveMaximum"), multipleOf: num("multipleOf"),
    minItems: num("minItems"), maxItems: num("maxItems"),
  };
  if ("default" in raw && isDefault(raw.default)) spec.default = raw.default;
  if (spec.type === "enum") spec.options = enumOptions(root, s);
  if (spec.type === "array") spec.itemType = arrayItemType(root, s);
  for (const k of Object.keys(spec)) if (spec[k] === undefined) delete spec[k];
  return spec as unknown as FieldSpec;
}

function fieldType(root: unknown, s: Json): FieldType {
  if (enumOptions(root, s).length) return "enum";
  const union = [s.anyOf, s.oneOf].find(Array.isArray) as unknown[] | undefined;
  if (union && union.map((p) => resolve(root, p)).filter((p) => p.type !== "null").length > 1) return "json";
  if (s.type === "object") return "json";
  if (s.type === "array") {
    const items = [resolve(root, s.items), ...(Array.isArray(s.prefixItems) ? s.prefixItems.map((p) => resolve(root, p)) : [])];
    if (items.some((i) => i.type === "array" || i.type === "object" || Array.isArray(i.anyOf) || Array.isArray(i.oneOf))) return "json";
  }
  const t = Array.isArray(s.type) ? s.type.find((x) => x !== "null") : s.type;
  if (t === "number" || t === "integer" || t === "string" || t === "boolean" || t === "array") return t;
  return "unknown";
}

function enumOptions(root: unknown, s: Json): string[] {
  if (Array.isArray(s.enum)) return s.enum.filter((v): v is string => typeof v === "string");
  const union = [s.anyOf, s.oneOf].find(Array.isArray) as unknown[] | undefined;
  if (union) {
    const consts = union.map((p) => constOf(resolve(root, p)));
    if (consts.length && consts.every((c) => c !== null)) return consts as string[];
  }
  return [];
}

function arrayItemType(root: unknown, s: Json): "number" | "integer" | "string" {
  const prefix = Array.isArray(s.prefixItems) ? resolve(root, s.prefixItems[0]) : {};
  const item = resolve(root, s.items);
  const t = item.type ?? prefix.type;
  return t === "integer" || t === "string" ? t : "number";
}

function isDefault(v: unknown): v is ParamValue {
  if (v === null || ["number", "string", "boolean"].includes(typeof v)) return true;
  if (Array.isArray(v)) return v.every(isDefault);
  return isRecord(v) && Object.values(v).every(isDefault);
}

function dedupe(kinds: KindSpec[]): KindSpec[] {
  const seen = new Set<string>();
  return kinds.filter((k) => (seen.has(k.kind) ? false : (seen.add(k.kind), true)));
}

const f = (name: string, type: FieldType, extra: Partial<FieldSpec> = {}): FieldSpec => ({
  name, type, nullable: false, required: false, ...extra,
});

export const FALLBACK_EDGE: readonly FieldSpec[] = [
  f("latency_ms", "number", { minimum: 0, unit: "ms", description: "One-way latency" }),
  f("jitter_ms", "number", { minimum: 0, unit: "ms", default: 0, description: "Latency jitter" }),
  f("bandwidth_mbps", "number", { exclusiveMinimum: 0, unit: "Mbit/s", description: "Link bandwidth" }),
  f("loss", "number", { minimum: 0, maximum: 1, default: 0, description: "Packet loss probability" }),
  f("weight", "number", { minimum: 0, default: 1, description: "Weight for weighted balancing" }),
];

export const FALLBACK_SETTINGS: readonly FieldSpec[] = [
  f("duration_s", "number", { exclusiveMinimum: 0, maximum: 3600, unit: "s", default: 60, description: "Simulated duration" }),
  f("warmup_s", "number", { minimum: 0, unit: "s", default: 0, description: "Excluded from metrics" }),
  f("seed", "integer", { minimum: 0, default: 1, description: "Random seed" }),
];

export const FALLBACK_SCHEMA: SchemaSpec = {
  fromServer: false,
  kinds: [
    { kind: "client", params: [
      f("rate_rps", "number", { minimum: 0, unit: "req/s", default: 10, description: "Open Poisson workload" }),
      f("arrival", "enum", { options: ["poisson", "constant"], default: "poisson" }),
      f("timeout_ms", "number", { minimum: 0, unit: "ms", nullable: true }),
      f("retries", "integer", { minimum: 0, maximum: 10, default: 0 }),
    ] },
    { kind: "service", params: [
      f("workers", "integer", { minimum: 1, default: 1, description: "Parallel servers" }),
      f("service_time_ms", "number", { minimum: 0, unit: "ms", default: 10, description: "Mean service time" }),
      f("service_time_dist", "enum", { options: ["exponential", "constant"], default: "exponential" }),
      f("queue_capacity", "integer", { minimum: 0, nullable: true, description: "Unbounded when empty" }),
    ] },
  ],
  edgeParams: FALLBACK_EDGE,
  settings: FALLBACK_SETTINGS,
};
