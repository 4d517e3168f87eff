// The guided tour as the presenter drives it (Previous/Next, the step's text and action, the
// live answer count and Reveal) and as a student sees it (the text, the question's answer
// buttons, then the revealed tally). Text is React text, never HTML.
import type { TourQuestion, TourStep } from "../net/classroomProtocol";
import type { Reveal } from "./session";
import { faultText } from "./usePresenter";

export function Tally({ question, reveal }: { question: TourQuestion; reveal: Reveal }) {
  const max = Math.max(1, ...reveal.tally);
  return (
    <div className="tally" data-testid="tally" data-total={reveal.total}>
      {question.choices.map((choice, i) => {
        const n = reveal.tally[i] ?? 0;
        const right = reveal.answer === i;
        return (
          <div key={i} className={right ? "tally__row is-right" : "tally__row"}>
            <span className="tally__label">{choice}{right ? " ✓" : ""}</span>
            <span className="tally__track">
              <span className="tally__bar" data-testid={`tally-bar-${i}`} data-count={n} style={{ width: `${(100 * n) / max}%` }} />
            </span>
            <span className="tally__n">{n}</span>
          </div>
        );
      })}
      <p className="tally__total">{reveal.total} answer{reveal.total === 1 ? "" : "s"}</p>
    </div>
  );
}

function actionText(step: TourStep): string | null {
  const a = step.action;
  if (!a) return null;
  if (a.run_to !== undefined) return `Runs to ${a.run_to} s`;
  return a.fault ? `Injects: ${faultText(a.fault)}` : null;
}

export interface PresenterTourProps {
  tour: TourStep[];
  step: number;
  answers: number;
  reveal: Reveal | undefined;
  problem: string | null;
  onGo: (step: number) => void;
  onReveal: (step: number) => void;
}

export function PresenterTour({ tour, step, answers, reveal, problem, onGo, onReveal }: PresenterTourProps) {
  const current = step >= 0 ? tour[step] : undefined;
  const q = current?.question;
  const action = current ? actionText(current) : null;
  return (
    <section className="tour" aria-label="Guided tour" data-testid="tour-panel">
      <div className="tour__nav">
        <button type="button" className="btn btn--small" data-testid="tour-prev" disabled={step <= 0} onClick={() => onGo(step - 1)}>Previous</button>
        <span className="tour__count" data-testid="tour-step">{step < 0 ? `${tour.length} steps` : `Step ${step + 1} of ${tour.length}`}</span>
        <button type="button" className="btn btn--small btn--primary" data-testid="tour-next" disabled={step >= tour.length - 1}
          onClick={() => onGo(step + 1)}>{step < 0 ? "Start tour" : "Next"}</button>
      </div>
      {current ? <p className="tour__text" data-testid="tour-text">{current.text}</p> : null}
      {action ? <p className="tour__action">{action}</p> : null}
      {problem ? <p className="tour__problem" role="alert">{problem}</p> : null}
      {q ? (
        <div className="quiz">
          <p className="quiz__prompt">{q.prompt}</p>
          {reveal ? <Tally question={q} reveal={reveal} /> : (
            <>
              {q.answer !== undefined ? (
                <p className="quiz__note" data-testid="presenter-answer">Correct: {q.choices[q.answer]} (students do not see this)</p>
              ) : null}
              <div className="quiz__live">
                <span><strong data-testid="answer-count">{answers}</strong> answered</span>
                <button type="button" className="btn btn--small" data-testid="reveal-button" onClick={() => onReveal(step)}>Reveal</button>
              </div>
            </>
          )}
        </div>
      ) : null}
    </section>
  );
}

export interface StudentStepProps {
  step: number;
  steps: number;
  content: TourStep;
  mine: number | undefined;
  reveal: Reveal | undefined;
  onAnswer: (choice: number) => void;
}

export function StudentStep({ step, steps, content, mine, reveal, onAnswer }: StudentStepProps) {
  const q = content.question;
  return (
    <section className="tour" aria-label="Presenter's step" data-testid="student-step">
      <span className="tour__count">Step {step + 1} of {steps}</span>
      <p className="tour__text" data-testid="tour-text">{content.text}</p>
      {q ? (
        <div className="quiz" data-testid="quiz">
          <p className="quiz__prompt">{q.prompt}</p>
          {reveal ? <Tally question={q} reveal={reveal} /> : (
            <div className="quiz__choices" role="group" aria-label="Your answer">
              {q.choices.map((c, i) => (
                <button type="button" key={i} className={mine === i ? "btn quiz__choice is-mine" : "btn quiz__choice"}
                  data-testid={`quiz-choice-${i}`} disabled={mine !== undefined} aria-pressed={mine === i}
                  onClick={() => onAnswer(i)}>{c}</button>
              ))}
              {mine !== undefined ? <p className="quiz__note" data-testid="quiz-answered">Answer sent. Wait for the reveal.</p> : null}
            </div>
          )}
        </div>
      ) : null}
    </section>
  );
}
