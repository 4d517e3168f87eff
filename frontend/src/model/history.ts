// Undo history. It records user intent only: a change applied with source "remote" (a load,
// a future collaborator, anything not typed or dragged by this user) moves the present without
// leaving an undo step, and simulation updates never touch the scene at all.
//
// Entries are whole scene snapshots; the reducer shares structure, so they are cheap.
// Two ways to fold many changes into one step:
//  - a gesture (a node drag): begin() ... changes ... end() -> one step, or none if nothing moved;
//  - coalescing (typing in a field): consecutive changes with the same `coalesce` key within
//    COALESCE_MS replace the previous step instead of adding one.
import { applyChange, type Change } from "./changes";
import type { Scene } from "./types";

export const HISTORY_LIMIT = 200;
export const COALESCE_MS = 1000;

export interface History {
  readonly past: readonly Scene[];
  readonly present: Scene;
  readonly future: readonly Scene[];
  /** Scene at the start of the open gesture, if any. */
  readonly gestureBase: Scene | null;
  readonly lastCoalesce: { key: string; at: number } | null;
}

export type HistoryAction =
  | { type: "apply"; change: Change; source?: "user" | "remote"; coalesce?: string; now?: number }
  | { type: "begin" }
  | { type: "end" }
  | { type: "undo" }
  | { type: "redo" }
  | { type: "reset"; scene: Scene };

export function createHistory(scene: Scene): History {
  return { past: [], present: scene, future: [], gestureBase: null, lastCoalesce: null };
}

export const canUndo = (h: History): boolean => h.past.length > 0;
export const canRedo = (h: History): boolean => h.future.length > 0;

export function historyReducer(h: History, action: HistoryAction): History {
  switch (action.type) {
    case "apply":
      return applyToHistory(h, action);
    case "begin":
      return h.gestureBase ? h : { ...h, gestureBase: h.present, lastCoalesce: null };
    case "end": {
      const base = h.gestureBase;
      if (!base) return h;
      if (base === h.present) return { ...h, gestureBase: null };
      return { ...h, past: pushPast(h.past, base), future: [], gestureBase: null };
    }
    case "undo": {
      const prev = h.past[h.past.length - 1];
      if (!prev || h.gestureBase) return h;
      return { ...h, past: h.past.slice(0, -1), present: prev, future: [h.present, ...h.future], lastCoalesce: null };
    }
    case "redo": {
      const [next, ...rest] = h.future;
      if (!next || h.gestureBase) return h;
      return { ...h, past: pushPast(h.past, h.present), present: next, future: rest, lastCoalesce: null };
    }
    case "reset":
      return createHistory(action.scene);
  }
}

function applyToHistory(h: History, action: Extract<HistoryAction, { type: "apply" }>): History {
  const present = applyChange(h.present, action.change);
  if (present === h.present) return h;
  if (action.source === "remote" || h.gestureBase) {
    return { ...h, present };
  }
  const now = action.now ?? Date.now();
  const last = h.lastCoalesce;
  if (action.coalesce && last && last.key === action.coalesce && now - last.at < COALESCE_MS && h.past.length > 0) {
    return { ...h, present, future: [], lastCoalesce: { key: action.coalesce, at: now } };
  }
  return {
    ...h,
    past: pushPast(h.past, h.present),
    present,
    future: [],
    lastCoalesce: action.coalesce ? { key: action.coalesce, at: now } : null,
  };
}

function pushPast(past: readonly Scene[], scene: Scene): readonly Scene[] {
  const next = [...past, scene];
  return next.length > HISTORY_LIMIT ? next.slice(next.length - HISTORY_LIMIT) : next;
}
