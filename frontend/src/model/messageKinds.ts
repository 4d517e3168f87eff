// The message kinds of frame events (`frame.events.kind` indexes into this list). The server
// is the source: the schema endpoint carries `x-message-kinds` (apps/engine MESSAGE_KINDS), so
// kinds the engine appends never desynchronise the animation. The list below is only the
// fallback until the schema arrives.
import { MESSAGE_KINDS as FALLBACK } from "../net/protocol";

let kinds: readonly string[] = FALLBACK;
let version = 0;

export function messageKinds(): readonly string[] {
  return kinds;
}

/** Bumped on every change so renderers can cache per-kind styles. */
export function messageKindsVersion(): number {
  return version;
}

/** Takes the list from the raw schema (`x-message-kinds`) when it is a list of strings. */
export function setMessageKindsFromSchema(raw: unknown): boolean {
  const list = typeof raw === "object" && raw !== null ? (raw as Record<string, unknown>)["x-message-kinds"] : undefined;
  if (!Array.isArray(list) || list.length === 0 || !list.every((k) => typeof k === "string")) return false;
  kinds = list as string[];
  version++;
  return true;
}
