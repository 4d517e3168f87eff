// One tour step's form: its text, the nodes it highlights (taken from the canvas selection),
// its action (run to N s, crash or restart a node or @leader) and its optional question with
// the correct answer. Every edit is a `tour/step` change; typing coalesces into one undo step.
import type { Change } from "../model/changes";
import { actionText, type TourAction } from "../model/tour";
import type { Scene, TourQuestion, TourStep } from "../model/types";

const MAX_CHOICES = 6;
const CONSENSUS_KINDS = new Set(["raft_server", "multipaxos_node"]);

export interface StepFormProps {
  scene: Scene;
  index: number;
  step: TourStep;
  selectedNodes: readonly string[];
  readOnly: boolean;
  apply: (change: Change, coalesce?: string) => void;
}

type ActionKind = "none" | "run_to" | "crash" | "restart" | "other";

function actionKind(a: TourStep["action"]): ActionKind {
  if (!a) return "none";
  if ("run_to" in a) return "run_to";
  return a.fault.action === "restart" ? "restart" : a.fault.action === "crash" ? "crash" : "other";
}

export function StepForm({ scene, index, step, selectedNodes, readOnly, apply }: StepFormProps) {
  const patch = (p: Parameters<typeof patchChange>[1], key?: string): void => apply(patchChange(index, p), key);
  return (
    <div className="tour-form" data-testid="tour-step-form">
      <label className="tour-form__label" htmlFor={`tour-text-${index}`}>Step {index + 1}: what to look at</label>
      <textarea id={`tour-text-${index}`} rows={3} value={step.text} disabled={readOnly} data-testid="tour-step-text"
        onChange={(e) => patch({ text: e.target.value }, `tour:${index}:text`)} />
      {step.text.trim() === "" ? <p className="tour-form__warn" role="alert">A step needs some text (it is not saved without).</p> : null}
      <HighlightField step={step} selectedNodes={selectedNodes} readOnly={readOnly}
        onChange={(highlight) => patch({ highlight })} />
      <ActionField scene={scene} step={step} readOnly={readOnly} onChange={(action, key) => patch({ action }, key)} />
      <QuestionField index={index} question={step.question} readOnly={readOnly} onChange={(question, key) => patch({ question }, key)} />
    </div>
  );
}

function patchChange(index: number, patch: { text?: string; highlight?: readonly string[]; action?: TourAction | null; question?: TourQuestion | null }): Change {
  return { type: "tour/step", index, patch };
}

function HighlightField({ step, selectedNodes, readOnly, onChange }: {
  step: TourStep; selectedNodes: readonly string[]; readOnly: boolean; onChange: (ids: readonly string[]) => void;
}) {
  return (
    <div className="tour-form__group">
      <span className="tour-form__label">Highlighted nodes</span>
      <div className="tour-chips" data-testid="tour-highlight-list">
        {step.highlight.length === 0 ? <span className="tour-form__hint">none</span> : null}
        {step.highlight.map((id) => (
          <span key={id} className="tour-chip" data-testid={`tour-chip-${id}`}>
            {id}
            <button type="button" className="tour-chip__x" aria-label={`Stop highlighting ${id}`} disabled={readOnly}
              onClick={() => onChange(step.highlight.filter((h) => h !== id))}>×</button>
          </span>
        ))}
      </div>
      <div className="tour-form__row">
        <button type="button" className="btn btn--small" data-testid="tour-use-selection" disabled={readOnly || selectedNodes.length === 0}
          title="Select nodes on the canvas first" onClick={() => onChange([...step.highlight, ...selectedNodes])}>
          Add selected ({selectedNodes.length})
        </button>
        <button type="button" className="btn btn--small btn--ghost" disabled={readOnly || step.highlight.length === 0}
          onClick={() => onChange([])}>Clear</button>
      </div>
    </div>
  );
}

function ActionField({ scene, step, readOnly, onChange }: {
  scene: Scene; step: TourStep; readOnly: boolean; onChange: (a: TourAction | null, key?: string) => void;
}) {
  const kind = actionKind(step.action);
  const duration = typeof scene.settings.duration_s === "number" ? scene.settings.duration_s : 60;
  const consensus = scene.nodes.some((n) => CONSENSUS_KINDS.has(n.kind));
  const targets = [...(consensus ? ["@leader"] : []), ...scene.nodes.map((n) => n.id)];
  const node = step.action && "fault" in step.action && typeof step.action.fault.node === "string" ? step.action.fault.node : targets[0] ?? "";
  const choose = (k: ActionKind): void => {
    if (k === "none" || k === "other") onChange(null);
    else if (k === "run_to") onChange({ run_to: Math.min(5, duration) });
    else onChange({ fault: { action: k, node } });
  };
  return (
    <div className="tour-form__group">
      <span className="tour-form__label">Action when the step is taken</span>
      <div className="tour-form__row">
        <select aria-label="Step action" value={kind} disabled={readOnly} data-testid="tour-action" onChange={(e) => choose(e.target.value as ActionKind)}>
          <option value="none">none</option>
          <option value="run_to">run to…</option>
          <option value="crash">crash…</option>
          <option value="restart">restart…</option>
          {kind === "other" ? <option value="other" disabled>{actionText(step.action)}</option> : null}
        </select>
        {step.action && "run_to" in step.action ? (
          <>
            <input type="number" min={0.1} max={duration} step="any" aria-label="Run to (s)" data-testid="tour-run-to" disabled={readOnly}
              value={step.action.run_to}
              onChange={(e) => Number.isFinite(e.target.valueAsNumber) && e.target.valueAsNumber > 0 && onChange({ run_to: e.target.valueAsNumber }, "tour:run_to")} />
            <span className="tour-form__hint">s of {duration}</span>
          </>
        ) : null}
        {kind === "crash" || kind === "restart" ? (
          <select aria-label="Action target" value={node} disabled={readOnly} data-testid="tour-action-target"
            onChange={(e) => onChange({ fault: { action: kind, node: e.target.value } })}>
            {targets.map((id) => <option key={id} value={id}>{id}</option>)}
          </select>
        ) : null}
        {kind === "other" ? <span className="tour-form__hint">kept as written in the JSON</span> : null}
      </div>
    </div>
  );
}

function QuestionField({ index, question, readOnly, onChange }: {
  index: number; question: TourQuestion | undefined; readOnly: boolean; onChange: (q: TourQuestion | null, key?: string) => void;
}) {
  const set = (q: Partial<TourQuestion>, key?: string): void => onChange({ ...question!, ...q }, key);
  const removeChoice = (i: number): void => {
    const choices = question!.choices.filter((_, j) => j !== i);
    const a = question!.answer;
    const answer = a === undefined || a === i ? 0 : a > i ? a - 1 : a;
    onChange({ prompt: question!.prompt, choices, answer });
  };
  return (
    <div className="tour-form__group">
      <label className="tour-form__check">
        <input type="checkbox" checked={question !== undefined} disabled={readOnly} data-testid="tour-question-toggle"
          onChange={(e) => onChange(e.target.checked ? { prompt: "What do you predict?", choices: ["Option A", "Option B"], answer: 0 } : null)} />
        Ask a question first (predict, then reveal)
      </label>
      {question ? (
        <>
          <input type="text" aria-label="Question" value={question.prompt} disabled={readOnly} data-testid="tour-question-prompt"
            onChange={(e) => set({ prompt: e.target.value }, `tour:${index}:prompt`)} />
          <ol className="tour-choices">
            {question.choices.map((c, i) => (
              <li key={i} className="tour-choices__row">
                <input type="radio" name={`tour-answer-${index}`} checked={question.answer === i} disabled={readOnly}
                  aria-label={`Choice ${i + 1} is correct`} data-testid={`tour-choice-correct-${i}`} onChange={() => set({ answer: i })} />
                <input type="text" aria-label={`Choice ${i + 1}`} value={c} placeholder={`Choice ${i + 1}`} disabled={readOnly}
                  data-testid={`tour-choice-${i}`}
                  onChange={(e) => set({ choices: question.choices.map((x, j) => (j === i ? e.target.value : x)) }, `tour:${index}:choice:${i}`)} />
                <button type="button" className="icon-btn" aria-label={`Remove choice ${i + 1}`} disabled={readOnly || question.choices.length <= 2}
                  onClick={() => removeChoice(i)}>×</button>
              </li>
            ))}
          </ol>
          <button type="button" className="btn btn--small" data-testid="tour-add-choice" disabled={readOnly || question.choices.length >= MAX_CHOICES}
            onClick={() => set({ choices: [...question.choices, ""] })}>+ Choice</button>
          {question.choices.some((c) => c.trim() === "") ? <p className="tour-form__warn">Every choice needs text.</p> : null}
        </>
      ) : null}
    </div>
  );
}
