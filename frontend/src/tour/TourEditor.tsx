// The tour editor: the scenario's guided tour as a list of steps (select, reorder, remove, add)
// and the form of the selected step. Edits are scene Changes, so they are undoable, autosaved
// with the scenario and presented with it. "Preview" steps through the tour alone.
import { useState } from "react";
import type { Change } from "../model/changes";
import { actionText, MAX_TOUR_STEPS, tourOf } from "../model/tour";
import type { Scene, TourStep } from "../model/types";
import { Icon } from "../studio/Icon";
import { StepForm } from "./StepForm";

export interface TourEditorProps {
  scene: Scene;
  selectedNodes: readonly string[];
  readOnly: boolean;
  apply: (change: Change, coalesce?: string) => void;
  onPreview: (from: number) => void;
  onClose: () => void;
}

/** A new step: highlights what is selected, so "select, then add" is the quick path. */
export function newStep(selectedNodes: readonly string[], n: number): TourStep {
  return { text: `Step ${n}: what should the class look at?`, highlight: [...selectedNodes] };
}

export function TourEditor({ scene, selectedNodes, readOnly, apply, onPreview, onClose }: TourEditorProps) {
  const tour = tourOf(scene);
  const [current, setCurrent] = useState(0);
  const k = Math.min(current, Math.max(0, tour.length - 1));
  const step = tour[k];
  const add = (): void => {
    apply({ type: "tour/add", step: newStep(selectedNodes, tour.length + 1), at: tour.length ? k + 1 : 0 });
    setCurrent(tour.length ? k + 1 : 0);
  };
  const move = (from: number, to: number): void => {
    apply({ type: "tour/move", from, to });
    setCurrent(to);
  };
  return (
    <aside className="tour-editor" aria-label="Tour editor" data-testid="tour-editor">
      <div className="tour-editor__head">
        <h2>Guided tour</h2>
        <span className="tour-editor__count" data-testid="tour-step-count">{tour.length} step{tour.length === 1 ? "" : "s"}</span>
        <button type="button" className="icon-btn" onClick={onClose} aria-label="Close the tour editor" data-testid="tour-editor-close"><Icon name="close" /></button>
      </div>
      {tour.length === 0 ? (
        <p className="tour-editor__empty">
          No tour yet. A tour walks a class (or you) through the scenario: what to look at, when to run or break
          something, and questions to predict before the answer shows. Select nodes on the canvas, then add a step.
        </p>
      ) : (
        <ol className="tour-steps" data-testid="tour-steps">
          {tour.map((s, i) => (
            <li key={i} className={i === k ? "tour-steps__row is-current" : "tour-steps__row"} data-testid={`tour-step-${i}`}>
              <button type="button" className="tour-steps__pick" onClick={() => setCurrent(i)} aria-current={i === k ? "step" : undefined}>
                <span className="tour-steps__n">{i + 1}</span>
                <span className="tour-steps__text">{s.text || "(no text)"}</span>
                <span className="tour-steps__tags">
                  {s.action ? <span className="tour-tag" title={actionText(s.action) ?? ""}>▶</span> : null}
                  {s.question ? <span className="tour-tag" title={s.question.prompt}>?</span> : null}
                </span>
              </button>
              <button type="button" className="icon-btn" aria-label={`Move step ${i + 1} up`} disabled={readOnly || i === 0}
                data-testid={`tour-up-${i}`} onClick={() => move(i, i - 1)}>↑</button>
              <button type="button" className="icon-btn" aria-label={`Move step ${i + 1} down`} disabled={readOnly || i === tour.length - 1}
                data-testid={`tour-down-${i}`} onClick={() => move(i, i + 1)}>↓</button>
              <button type="button" className="icon-btn" aria-label={`Remove step ${i + 1}`} disabled={readOnly}
                data-testid={`tour-remove-${i}`} onClick={() => apply({ type: "tour/remove", index: i })}>×</button>
            </li>
          ))}
        </ol>
      )}
      <div className="tour-editor__actions">
        <button type="button" className="btn btn--small" data-testid="tour-add-step" disabled={readOnly || tour.length >= MAX_TOUR_STEPS}
          onClick={add}>+ Add step{selectedNodes.length ? ` (highlights ${selectedNodes.length})` : ""}</button>
        <button type="button" className="btn btn--small btn--primary" data-testid="tour-preview-button" disabled={tour.length === 0}
          onClick={() => onPreview(k)} title="Step through the tour on your own run">Preview</button>
      </div>
      {step ? <StepForm key={k} scene={scene} index={k} step={step} selectedNodes={selectedNodes} readOnly={readOnly} apply={apply} /> : null}
    </aside>
  );
}
