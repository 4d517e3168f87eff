// Preview: the author steps through the tour alone, as a class would see it: the step's text,
// its highlighted nodes outlined on the canvas, its action carried out on the author's own run,
// and its question answered, then revealed (the correct choice marked).
import { useState } from "react";
import { actionText } from "../model/tour";
import type { TourStep } from "../model/types";

export interface TourPreviewProps {
  tour: readonly TourStep[];
  step: number;
  problem: string | null;
  onGo: (step: number) => void;
  onExit: () => void;
}

export function TourPreview({ tour, step, problem, onGo, onExit }: TourPreviewProps) {
  const current = tour[step];
  return (
    <aside className="tour-preview" aria-label="Tour preview" data-testid="tour-preview" data-step={step}>
      <div className="tour__nav">
        <button type="button" className="btn btn--small" data-testid="tour-preview-prev" disabled={step <= 0} onClick={() => onGo(step - 1)}>Previous</button>
        <span className="tour__count" data-testid="tour-preview-step">Preview · step {step + 1} of {tour.length}</span>
        <button type="button" className="btn btn--small btn--primary" data-testid="tour-preview-next" disabled={step >= tour.length - 1}
          onClick={() => onGo(step + 1)}>Next</button>
      </div>
      {current ? (
        <>
          <p className="tour__text" data-testid="tour-preview-text">{current.text}</p>
          {current.action ? <p className="tour__action">{actionText(current.action)}</p> : null}
          {problem ? <p className="tour__problem" role="alert">{problem}</p> : null}
          {current.question ? <PreviewQuestion key={step} step={current} /> : null}
        </>
      ) : null}
      <button type="button" className="btn btn--small btn--ghost tour-preview__exit" data-testid="tour-preview-exit" onClick={onExit}>
        End preview
      </button>
    </aside>
  );
}

function PreviewQuestion({ step }: { step: TourStep }) {
  const q = step.question!;
  const [mine, setMine] = useState<number | null>(null);
  const [revealed, setRevealed] = useState(false);
  return (
    <div className="quiz" data-testid="tour-preview-quiz">
      <p className="quiz__prompt">{q.prompt}</p>
      <div className={revealed ? "quiz__choices is-revealed" : "quiz__choices"} role="group" aria-label="Your prediction">
        {q.choices.map((c, i) => {
          const right = revealed && q.answer === i;
          const cls = `btn quiz__choice${mine === i ? " is-mine" : ""}${right ? " is-right" : ""}`;
          return (
            <button type="button" key={i} className={cls} data-testid={`tour-preview-choice-${i}`} aria-pressed={mine === i}
              aria-disabled={revealed} onClick={() => { if (!revealed) setMine(i); }}>{c}{right ? " ✓" : ""}</button>
          );
        })}
      </div>
      {revealed ? (
        <p className="quiz__note" data-testid="tour-preview-verdict">
          {q.answer === undefined ? "This question has no correct answer set." : mine === q.answer ? "Right." : `The answer: ${q.choices[q.answer] ?? "?"}.`}
        </p>
      ) : (
        <button type="button" className="btn btn--small" data-testid="tour-preview-reveal" onClick={() => setRevealed(true)}>Reveal</button>
      )}
    </div>
  );
}
