// Which nodes a server validation error names, for highlighting them on the canvas.
import type { ErrorDetail } from "../net/api";

export interface RunErrorState { message: string; details: ErrorDetail[] }

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
