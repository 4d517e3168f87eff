// Autosave: a debounced save (POST the first time, PUT after; someone else's scenario is saved
// as a copy of one's own, see save.ts) after every edit, so a reload never loses work. The
// address bar follows the saved scenario, which is what a reload opens.
import { useEffect, useRef, useState } from "react";
import { toScenario } from "../model/serialize";
import type { Scene } from "../model/types";
import type { RunController } from "./runController";

export const AUTOSAVE_MS = 1200;

export type AutosaveState = "idle" | "pending" | "saving" | "saved" | "error";

/** `enabled` false (a student following a class) never saves: the scene is the presenter's. */
export function useAutosave(scene: Scene, controller: RunController, enabled = true): { state: AutosaveState; error: string | null } {
  const [state, setState] = useState<AutosaveState>("idle");
  const [error, setError] = useState<string | null>(null);
  const first = useRef(scene);
  useEffect(() => {
    if (!enabled || scene === first.current || scene.nodes.length === 0) return;
    setState("pending");
    const timer = setTimeout(() => {
      setState("saving");
      controller.save(toScenario(scene))
        .then(() => {
          setState("saved");
          setError(null);
        })
        .catch((e: unknown) => {
          setState("error");
          setError(e instanceof Error ? e.message : String(e));
        });
    }, AUTOSAVE_MS);
    return () => clearTimeout(timer);
  }, [scene, controller, enabled]);
  return { state, error };
}

export function autosaveText(state: AutosaveState, error: string | null): string {
  switch (state) {
    case "idle": return "";
    case "pending": return "Unsaved changes…";
    case "saving": return "Saving…";
    case "saved": return "All changes saved";
    case "error": return `Not saved: ${error ?? "error"}`;
  }
}
