// One form field generated from a schema field spec: number (bounds, step, unit suffix),
// enum (select), boolean (checkbox), list (comma-separated) or text. Typing commits every
// valid value at once (the history coalesces keystrokes); an invalid one stays in the field
// with a message and is not applied.
import { useEffect, useId, useState } from "react";
import type { FieldSpec } from "../model/schema";
import { formatValue, parseField } from "../model/params";
import type { ParamValue } from "../model/types";

export interface FieldInputProps {
  spec: FieldSpec;
  value: ParamValue | undefined;
  onCommit: (value: ParamValue | undefined) => void;
  disabled?: boolean;
}

export function FieldInput({ spec, value, onCommit, disabled = false }: FieldInputProps) {
  const id = useId();
  const [draft, setDraft] = useState(formatValue(value));
  const [error, setError] = useState<string | null>(null);

  // Follow outside changes (undo, redo, a load) unless the draft already means the same.
  useEffect(() => {
    const parsed = parseField(spec, draft);
    if (!parsed.ok || formatValue(parsed.value) !== formatValue(value)) {
      setDraft(formatValue(value));
      setError(null);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only outside changes matter
  }, [value]);

  const change = (raw: string | boolean): void => {
    if (typeof raw === "string") setDraft(raw);
    const parsed = parseField(spec, raw);
    setError(parsed.ok ? null : parsed.error);
    if (parsed.ok) onCommit(parsed.value);
  };

  const testId = `param-${spec.name}`;
  const placeholder = spec.default !== undefined && spec.default !== null ? formatValue(spec.default) : spec.nullable ? "none" : "";
  const describedBy = error ? `${id}-err` : spec.description ? `${id}-desc` : undefined;
  const common = { id, disabled, "data-testid": testId, "aria-invalid": error ? true : undefined, "aria-describedby": describedBy };

  let control;
  if (spec.type === "boolean") {
    control = <input type="checkbox" {...common} checked={value === true || (value === undefined && spec.default === true)}
      onChange={(e) => change(e.target.checked)} />;
  } else if (spec.type === "enum") {
    control = (
      <select {...common} value={typeof value === "string" ? value : ""} onChange={(e) => change(e.target.value)}>
        {!spec.required || spec.default !== undefined ? <option value="">{placeholder ? `default (${placeholder})` : "default"}</option> : null}
        {(spec.options ?? []).map((o) => <option key={o} value={o}>{o.replace(/_/g, " ")}</option>)}
      </select>
    );
  } else if (spec.type === "number" || spec.type === "integer") {
    control = <input type="number" inputMode="decimal" {...common} value={draft} placeholder={placeholder}
      min={spec.minimum ?? spec.exclusiveMinimum} max={spec.maximum ?? spec.exclusiveMaximum}
      step={spec.type === "integer" ? 1 : spec.multipleOf ?? "any"} onChange={(e) => change(e.target.value)} />;
  } else {
    control = <input type="text" {...common} value={draft} placeholder={spec.type === "array" ? `${placeholder || "a, b"}` : placeholder}
      onChange={(e) => change(e.target.value)} spellCheck={false} />;
  }

  return (
    <div className={`field${error ? " field--error" : ""}${spec.type === "boolean" ? " field--check" : ""}`}>
      <label htmlFor={id} title={spec.name}>{humanize(spec.name)}{spec.required ? <span className="req" aria-label="required">*</span> : null}</label>
      <div className="field__control">
        {control}
        {unitOf(spec) ? <span className="field__unit">{unitOf(spec)}</span> : null}
      </div>
      {error ? <p className="field__error" id={`${id}-err`} role="alert">{error}</p>
        : spec.description ? <p className="field__desc" id={`${id}-desc`}>{spec.description}</p> : null}
    </div>
  );
}

/** `service_time_ms` -> `Service time` (the unit is shown beside the field). */
export function humanize(name: string): string {
  const s = name.replace(/_(ms|s|rps|mbps|kbps|mb|kb|bytes)$/, "").replace(/_/g, " ");
  return s.charAt(0).toUpperCase() + s.slice(1);
}

const UNIT_NAMES: Readonly<Record<string, string>> = {
  rps: "req/s", ms: "ms", s: "s", mbps: "Mbit/s", kbps: "kbit/s", mb: "MB", kb: "KB", b: "B", bytes: "B",
};

/** The unit shown beside a field: `x-unit` if the schema gives one, else the name's suffix. */
export function unitOf(spec: FieldSpec): string | null {
  const raw = spec.unit ?? /_(ms|s|rps|mbps|kbps|mb|kb|bytes)$/.exec(spec.name)?.[1];
  return raw ? UNIT_NAMES[raw.toLowerCase()] ?? raw : null;
}
