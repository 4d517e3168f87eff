// A small toolbar over the canvas: fit, snap to grid, import/export, shortcut help. Every
// button mirrors a keyboard shortcut (see useKeyboard.ts).
import type { ReactNode } from "react";

export interface CanvasToolsProps {
  snap: boolean;
  onFit: () => void;
  onSnap: () => void;
  onHelp: () => void;
  children?: ReactNode;
}

export function CanvasTools({ snap, onFit, onSnap, onHelp, children }: CanvasToolsProps) {
  return (
    <div className="canvas-tools" role="toolbar" aria-label="Canvas tools">
      <button type="button" className="btn btn--small" onClick={onFit} title="Fit the diagram in view (F)" data-testid="fit-button">Fit</button>
      <button type="button" className="btn btn--small" onClick={onSnap} aria-pressed={snap} title="Snap to grid (G)"
        data-testid="snap-button">Snap {snap ? "on" : "off"}</button>
      {children}
      <button type="button" className="btn btn--small" onClick={onHelp} title="Keyboard shortcuts (?)" aria-label="Keyboard shortcuts"
        data-testid="help-button">?</button>
    </div>
  );
}
