// Global shortcuts that must not fire while typing in a field.
import { useEffect } from "react";

export interface Shortcuts {
  undo: () => void;
  redo: () => void;
  toggleHud: () => void;
  togglePause: () => void;
}

export function useKeyboard(s: Shortcuts): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (isTyping(e.target)) return;
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      if (mod && key === "z") {
        e.preventDefault();
        if (e.shiftKey) s.redo();
        else s.undo();
      } else if (mod && key === "y") {
        e.preventDefault();
        s.redo();
      } else if (!mod && !e.altKey && key === "h") {
        s.toggleHud();
      } else if (!mod && !e.altKey && key === " " && !(e.target instanceof HTMLButtonElement)) {
        e.preventDefault();
        s.togglePause();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [s]);
}

function isTyping(t: EventTarget | null): boolean {
  return t instanceof HTMLElement && (t.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(t.tagName));
}
