// The scene and its undo history as React state. `apply` records user intent; pass a
// coalesce key for keystrokes so typing "120" is one undo step, not three.
import { useCallback, useMemo, useReducer } from "react";
import type { Change } from "../model/changes";
import { canRedo, canUndo, createHistory, historyReducer } from "../model/history";
import type { Scene } from "../model/types";

export interface SceneApi {
  scene: Scene;
  apply: (change: Change, coalesce?: string) => void;
  gesture: (phase: "begin" | "end") => void;
  undo: () => void;
  redo: () => void;
  canUndo: boolean;
  canRedo: boolean;
}

export function useScene(initial: () => Scene): SceneApi {
  const [history, dispatch] = useReducer(historyReducer, undefined, () => createHistory(initial()));
  const apply = useCallback((change: Change, coalesce?: string) =>
    dispatch({ type: "apply", change, ...(coalesce ? { coalesce } : {}) }), []);
  const gesture = useCallback((phase: "begin" | "end") => dispatch({ type: phase }), []);
  const undo = useCallback(() => dispatch({ type: "undo" }), []);
  const redo = useCallback(() => dispatch({ type: "redo" }), []);
  return useMemo(() => ({
    scene: history.present, apply, gesture, undo, redo, canUndo: canUndo(history), canRedo: canRedo(history),
  }), [history, apply, gesture, undo, redo]);
}
