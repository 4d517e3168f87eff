// Global shortcuts that must not fire while typing in a field. SHORTCUTS is also what the `?`
// help sheet lists, so the sheet cannot drift from what the keys do.
import { useEffect } from "react";

export interface Shortcuts {
  undo: () => void;
  redo: () => void;
  toggleHud: () => void;
  togglePause: () => void;
  copy?: () => void;
  paste?: () => void;
  duplicate?: () => void;
  selectAll?: () => void;
  fit?: () => void;
  toggleSnap?: () => void;
  layout?: () => void;
  toggleHelp?: () => void;
  escape?: () => void;
}

export const SHORTCUTS: readonly (readonly [string, string])[] = [
  ["Drag from palette", "Add a node (or click / Enter on a palette item)"],
  ["Drag right dot → left dot", "Connect two nodes"],
  ["Shift + drag", "Select with a box"],
  ["Ctrl/⌘ + click", "Add to the selection"],
  ["Ctrl/⌘ + A", "Select everything"],
  ["Delete / Backspace", "Delete the selection"],
  ["Ctrl/⌘ + C / V", "Copy / paste"],
  ["Ctrl/⌘ + D", "Duplicate"],
  ["Ctrl/⌘ + Z", "Undo"],
  ["Ctrl/⌘ + Shift + Z / Y", "Redo"],
  ["F", "Fit the diagram in view"],
  ["G", "Snap to grid on/off"],
  ["L", "Auto layout (layers, left to right)"],
  ["Space", "Pause / resume the run"],
  ["H", "Stats overlay (fps, packets)"],
  ["?", "This help"],
  ["Esc", "Close / clear the selection"],
];

export function useKeyboard(s: Shortcuts): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (isTyping(e.target)) return;
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      const run = (fn: (() => void) | undefined): void => {
        if (!fn) return;
        e.preventDefault();
        fn();
      };
      if (mod && key === "z") run(e.shiftKey ? s.redo : s.undo);
      else if (mod && key === "y") run(s.redo);
      else if (mod && key === "c") run(s.copy);
      else if (mod && key === "v") run(s.paste);
      else if (mod && key === "d") run(s.duplicate);
      else if (mod && key === "a") run(s.selectAll);
      else if (mod || e.altKey) return;
      else if (e.key === "?") run(s.toggleHelp);
      else if (key === "escape") s.escape?.();
      else if (key === "h") s.toggleHud();
      else if (key === "f") run(s.fit);
      else if (key === "g") run(s.toggleSnap);
      else if (key === "l") run(s.layout);
      else if (key === " " && !(e.target instanceof HTMLButtonElement)) run(s.togglePause);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [s]);
}

function isTyping(t: EventTarget | null): boolean {
  return t instanceof HTMLElement && (t.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(t.tagName));
}
