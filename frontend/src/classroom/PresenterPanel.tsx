// The presenter's side: the dialog that opens a session (with the scenario's own guided tour, or
// one pasted as JSON in the format of apps/engine/tour.py) and the panel that shows the join code big, the join link ready to
// copy, the live audience, the tour controls and End.
import { useState } from "react";
import { ApiError } from "../net/api";
import { Icon } from "../studio/Icon";
import type { ClassroomSnapshot } from "./session";
import { PresenterTour } from "./TourPanel";

const TOUR_HINT = `[{"text": "Watch the queue in front of the API.", "highlight": ["api-1"]},
 {"text": "Run to 5 s.", "action": {"run_to": 5}},
 {"text": "Crash the DB.", "action": {"fault": {"action": "crash", "node": "db"}},
  "question": {"prompt": "p99 will…", "choices": ["fall", "rise"], "answer": 1}}]`;

/** The tour text as the API wants it: nothing (no tour) or a parsed JSON value; else a message. */
export function parseTour(text: string): { tour?: unknown; error?: string } {
  if (!text.trim()) return {};
  try {
    return { tour: JSON.parse(text) as unknown };
  } catch (e) {
    return { error: `Tour: not valid JSON (${e instanceof Error ? e.message : String(e)})` };
  }
}

export function PresentDialog({ onStart, onClose, ownSteps = 0 }: { onStart: (tour: unknown) => Promise<void>; onClose: () => void; ownSteps?: number }) {
  const [text, setText] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const start = (): void => {
    const parsed = parseTour(text);
    if (parsed.error) {
      setError(parsed.error);
      return;
    }
    setBusy(true);
    setError(null);
    onStart(parsed.tour).catch((e: unknown) => {
      const details = e instanceof ApiError ? e.details.map((d) => d.loc).filter(Boolean) : [];
      setError(`${e instanceof Error ? e.message : String(e)}${details.length ? ` (${details.join(", ")})` : ""}`);
    }).finally(() => setBusy(false));
  };
  return (
    <div className="classroom-panel present-dialog" role="dialog" aria-label="Present" data-testid="present-dialog">
      <div className="classroom-panel__head">
        <h2>Present this scenario</h2>
        <button type="button" className="icon-btn" onClick={onClose} aria-label="Close"><Icon name="close" /></button>
      </div>
      <p className="classroom-muted">Students open the join link (or type the code at /join) and follow your screen.</p>
      {ownSteps ? (
        <p className="present-dialog__own" data-testid="present-own-tour">
          The session uses this scenario's guided tour ({ownSteps} step{ownSteps === 1 ? "" : "s"}, edit it with Tour).
        </p>
      ) : null}
      <label className="present-dialog__label" htmlFor="tour-input">
        {ownSteps ? "Or paste another tour to use instead (JSON list of steps)" : "Guided tour (optional, JSON list of steps)"}
      </label>
      <textarea id="tour-input" data-testid="tour-input" rows={6} spellCheck={false} placeholder={TOUR_HINT}
        value={text} onChange={(e) => setText(e.target.value)} />
      {error ? <p className="classroom-error" role="alert" data-testid="present-error">{error}</p> : null}
      <button type="button" className="btn btn--primary" data-testid="present-start" onClick={start} disabled={busy}>
        {busy ? "Opening…" : "Start session"}
      </button>
    </div>
  );
}

export interface PresenterPanelProps {
  snap: ClassroomSnapshot;
  problem: string | null;
  onGo: (step: number) => void;
  onReveal: (step: number) => void;
  onEnd: () => Promise<void>;
  onClose: () => void;
}

export function PresenterPanel({ snap, problem, onGo, onReveal, onEnd, onClose }: PresenterPanelProps) {
  const [copied, setCopied] = useState(false);
  const [endError, setEndError] = useState<string | null>(null);
  const [small, setSmall] = useState(false);
  const link = snap.joinUrl ? new URL(snap.joinUrl, location.href).toString() : "";
  const copy = (): void => {
    void navigator.clipboard?.writeText(link).then(() => setCopied(true), () => setCopied(false));
  };
  const end = (): void => {
    if (!window.confirm("End the session for everyone?")) return;
    onEnd().catch((e: unknown) => setEndError(e instanceof Error ? e.message : String(e)));
  };
  if (snap.ended) {
    return (
      <aside className="classroom-panel" aria-label="Classroom session" data-testid="presenter-panel">
        <p role="status" data-testid="session-ended">Session {snap.code} has ended.</p>
        <button type="button" className="btn btn--small" onClick={onClose}>Close</button>
      </aside>
    );
  }
  const dot = <span className={`follow-dot follow-dot--${snap.socket ?? "connecting"}`} title={snap.socket ?? ""} aria-hidden="true" />;
  if (small) {
    return (
      <aside className="classroom-panel classroom-panel--small" aria-label="Classroom session" data-testid="presenter-panel">
        {dot}
        <span className="join-code join-code--small" data-testid="presenter-code">{snap.code}</span>
        <span><strong data-testid="audience-count">{snap.audience}</strong> following</span>
        <button type="button" className="btn btn--small" data-testid="presenter-expand" onClick={() => setSmall(false)}>Show</button>
      </aside>
    );
  }
  return (
    <aside className="classroom-panel" aria-label="Classroom session" data-testid="presenter-panel">
      <div className="classroom-panel__head">
        <span className="classroom-muted">Join code</span>
        <span className="classroom-panel__row">
          {dot}
          <button type="button" className="btn btn--small btn--ghost" data-testid="presenter-minimise" onClick={() => setSmall(true)}
            title="Keep only the code and the audience on screen">Hide</button>
        </span>
      </div>
      <div className="join-code" data-testid="presenter-code" aria-label={`Join code ${snap.code ?? ""}`}>{snap.code}</div>
      <div className="join-link">
        <input readOnly value={link} data-testid="join-link" aria-label="Join link" onFocus={(e) => e.currentTarget.select()} />
        <button type="button" className="btn btn--small" onClick={copy}>{copied ? "Copied" : "Copy"}</button>
      </div>
      <div className="classroom-panel__row">
        <span><strong data-testid="audience-count">{snap.audience}</strong> following</span>
        <button type="button" className="btn btn--small btn--danger" data-testid="end-session" onClick={end}>End</button>
      </div>
      {snap.role === "student" ? <p className="classroom-error" role="alert">The server did not accept the presenter token.</p> : null}
      {snap.error ? <p className="classroom-error" role="alert">{snap.error}</p> : null}
      {endError ? <p className="classroom-error" role="alert">{endError}</p> : null}
      {snap.tour && snap.tour.length ? (
        <PresenterTour tour={snap.tour} step={snap.step} answers={snap.answers[snap.step] ?? 0}
          reveal={snap.revealed[snap.step]} problem={problem} onGo={onGo} onReveal={onReveal} />
      ) : null}
    </aside>
  );
}
