// The `?` sheet: every shortcut, from the same table the keyboard handler documents.
import { useEffect, useRef } from "react";
import { SHORTCUTS } from "./useKeyboard";

export function HelpSheet({ onClose }: { onClose: () => void }) {
  const closeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => closeRef.current?.focus(), []);
  return (
    <div className="help-backdrop" onClick={onClose}>
      <div className="help-sheet" role="dialog" aria-modal="true" aria-labelledby="help-title" data-testid="help-sheet"
        onClick={(e) => e.stopPropagation()}>
        <div className="help-sheet__head">
          <h2 id="help-title">Keyboard shortcuts</h2>
          <button ref={closeRef} type="button" className="btn" onClick={onClose} aria-label="Close help">Close</button>
        </div>
        <table>
          <tbody>
            {SHORTCUTS.map(([keys, what]) => (
              <tr key={keys}><th scope="row"><kbd>{keys}</kbd></th><td>{what}</td></tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
