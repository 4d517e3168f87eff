// Turning what a person typed into a param value (or a message saying why not), and the
// params a freshly dropped node starts with. Mirrors the schema's bounds; the server still
// validates everything on save.
import type { FieldSpec, KindSpec } from "./schema";
import type { ParamValue, Params } from "./types";

export type Parsed = { ok: true; value: ParamValue | undefined } | { ok: false; error: string };

/** "" means "not set": the engine's default applies (or null, for a required nullable field). */
export function parseField(spec: FieldSpec, raw: string | boolean): Parsed {
  if (spec.type === "boolean") return { ok: true, value: Boolean(raw) };
  const text = String(raw).trim();
  if (text === "") {
    if (spec.required && spec.default === undefined) {
      return spec.nullable ? { ok: true, value: null } : { ok: false, error: "required" };
    }
    return { ok: true, value: undefined };
  }
  switch (spec.type) {
    case "number":
    case "integer":
      return parseNumber(spec, text);
    case "enum":
      return spec.options?.includes(text) ? { ok: true, value: text } : { ok: false, error: "pick one of the options" };
    case "array":
      return parseArray(spec, text);
    case "json":
      return parseJson(text);
    default:
      return { ok: true, value: text };
  }
}

function parseNumber(spec: FieldSpec, text: string): Parsed {
  const n = Number(text);
  if (!Number.isFinite(n)) return { ok: false, error: "must be a number" };
  const err = checkNumber(spec, n, spec.type === "integer");
  return err ? { ok: false, error: err } : { ok: true, value: n };
}

export function checkNumber(spec: FieldSpec, n: number, integer: boolean): string | null {
  if (integer && !Number.isInteger(n)) return "must be a whole number";
  if (spec.minimum !== undefined && n < spec.minimum) return `must be ≥ ${spec.minimum}`;
  if (spec.maximum !== undefined && n > spec.maximum) return `must be ≤ ${spec.maximum}`;
  if (spec.exclusiveMinimum !== undefined && n <= spec.exclusiveMinimum) return `must be > ${spec.exclusiveMinimum}`;
  if (spec.exclusiveMaximum !== undefined && n >= spec.exclusiveMaximum) return `must be < ${spec.exclusiveMaximum}`;
  return null;
}

function parseArray(spec: FieldSpec, text: string): Parsed {
  const parts = text.replace(/^\[|\]$/g, "").split(",").map((p) => p.trim()).filter((p) => p !== "");
  if (spec.minItems !== undefined && parts.length < spec.minItems) return { ok: false, error: `needs ${spec.minItems} values` };
  if (spec.maxItems !== undefined && parts.length > spec.maxItems) return { ok: false, error: `at most ${spec.maxItems} values` };
  if (spec.itemType === "string") return { ok: true, value: parts };
  const nums = parts.map(Number);
  if (nums.some((n) => !Number.isFinite(n))) return { ok: false, error: "comma-separated numbers" };
  if (spec.itemType === "integer" && nums.some((n) => !Number.isInteger(n))) return { ok: false, error: "whole numbers" };
  return { ok: true, value: nums };
}

/** JSON text; a bare comma-separated list ("150, 300", as flat lists are shown) is a list. */
function parseJson(text: string): Parsed {
  for (const candidate of [text, `[${text}]`]) {
    try {
      return { ok: true, value: JSON.parse(candidate) as ParamValue };
    } catch {
      /* try the next reading */
    }
  }
  return { ok: false, error: "must be JSON, e.g. 150, [150, 300] or [[0, 50], [30, 200]]" };
}

/** How a value is shown in a text input: flat lists comma-separated, nested ones as JSON. */
export function formatValue(v: ParamValue | undefined): string {
  if (v === undefined || v === null) return "";
  if (Array.isArray(v)) return v.every((x) => typeof x !== "object" || x === null) ? v.join(", ") : JSON.stringify(v);
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

/** A friendly starting point for the kinds people drop most, when the schema knows the param. */
const STARTERS: Readonly<Record<string, Params>> = {
  client: { rate_rps: 20 },
  service: { workers: 1, service_time_ms: 20 },
};

/** Params of a new node: required params (default, minimum or a starter value) plus starters. */
export function defaultParams(spec: KindSpec | undefined): Params {
  if (!spec) return {};
  const known = new Map(spec.params.map((p) => [p.name, p]));
  const out: Record<string, ParamValue> = {};
  for (const [name, value] of Object.entries(STARTERS[spec.kind] ?? {})) {
    if (known.has(name)) out[name] = value;
  }
  for (const p of spec.params) {
    if (!p.required || p.name in out) continue;
    if (p.default !== undefined) out[p.name] = p.default;
    else if (p.type === "enum" && p.options?.[0]) out[p.name] = p.options[0];
    else if (p.type === "boolean") out[p.name] = false;
    else if (p.type === "number" || p.type === "integer") out[p.name] = p.minimum ?? (p.exclusiveMinimum ?? 0) + 1;
    else if (p.nullable) out[p.name] = null;
  }
  return out;
}
