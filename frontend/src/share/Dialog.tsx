// A modal sheet (portalled to <body> so no canvas panel clips or transforms it).
import type { ReactNode } from "react";
import { createPortal } from "react-dom";

export function Dialog({ title, testId, onClose, children, wide = false }: { title: string; testId: string; onClose: () => void; children: ReactNode; wide?: boolean }) {
  return createPortal(
    <div className="help-backdrop" onClick={onClose} onKeyDown={(e) => e.key === "Escape" && onClose()}>
      <div className={`help-sheet share-dialog${wide ? " share-dialog--wide" : ""}`} role="dialog" aria-modal="true" aria-label={title}
        data-testid={testId} onClick={(e) => e.stopPropagation()}>
        <div className="help-sheet__head">
          <h2>{title}</h2>
          <button type="button" className="btn" onClick={onClose} data-testid={`${testId}-close`}>Close</button>
        </div>
        {children}
      </div>
    </div>,
    document.body,
  );
}
