// The palette: one item per node kind known from the schema. Drag one onto the canvas, or
// click it (or press Enter on it) to add a node in the middle of the view.
import type { DragEvent } from "react";
import type { KindSpec } from "../model/schema";
import { KIND_MIME } from "./dnd";
import { accentOf, kindTitle, KindIcon } from "./icons";

export interface PaletteProps {
  kinds: readonly KindSpec[];
  onAdd: (kind: string) => void;
  disabled?: boolean;
}

export function Palette({ kinds, onAdd, disabled = false }: PaletteProps) {
  const onDragStart = (e: DragEvent<HTMLButtonElement>, kind: string): void => {
    e.dataTransfer.setData(KIND_MIME, kind);
    e.dataTransfer.setData("text/plain", kind);
    e.dataTransfer.effectAllowed = "copy";
  };
  return (
    <nav className="palette" aria-label="Node kinds">
      <h2 className="panel-title">Components</h2>
      <p className="panel-hint">Drag onto the canvas, or click to add.</p>
      <ul>
        {kinds.map((k) => (
          <li key={k.kind}>
            <button type="button" className="palette-item" draggable={!disabled} disabled={disabled}
              data-testid={`palette-item-${k.kind}`} onDragStart={(e) => onDragStart(e, k.kind)}
              onClick={() => onAdd(k.kind)} title={k.description ?? kindTitle(k.kind)}
              style={{ ["--accent" as string]: accentOf(k.kind) }}>
              <span className="palette-item__icon"><KindIcon kind={k.kind} /></span>
              <span>{kindTitle(k.kind)}</span>
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}
