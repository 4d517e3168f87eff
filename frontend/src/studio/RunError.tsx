// Server validation errors, shown under the Run button; the nodes they name are highlighted.
import type { ErrorDetail } from "../net/api";

export interface RunErrorState { message: string; details: ErrorDetail[] }

export function RunError({ error }: { error: RunErrorState }) {
  return (
    <div className="run-error" role="alert" data-testid="run-error">
      <strong>Could not run:</strong> <span>{error.message}</span>
      {error.details.length > 0 ? (
        <ul>
          {error.details.slice(0, 6).map((d, i) => (
            <li key={i}><code>{String(d.loc ?? d.node ?? "")}</code> {String(d.msg ?? "")}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** node id -> message, from `details[].node` or a `nodes[i]` location (i into the sent scenario). */
export function nodeErrorsOf(error: RunErrorState | null, sentNodes: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const d of error?.details ?? []) {
    let id = typeof d.node === "string" ? d.node : undefined;
    const m = typeof d.loc === "string" ? /^nodes\[(\d+)\]/.exec(d.loc) : null;
    if (!id && m?.[1]) id = sentNodes[Number(m[1])];
    if (id && !out.has(id)) out.set(id, String(d.msg ?? error?.message ?? "invalid"));
  }
  return out;
}
