// A view-only page (someone else's share link, a moment replay): every edit is dropped except
// opening another scenario altogether (a template or an import), which starts a new one of ours.
import type { Change } from "../model/changes";

export type Apply = (change: Change, coalesce?: string) => void;

export function guardEdits(apply: Apply, readOnly: boolean): Apply {
  if (!readOnly) return apply;
  return (change, coalesce) => {
    if (change.type === "scene/replace") apply(change, coalesce);
  };
}
