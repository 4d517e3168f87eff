// The classroom in the studio: the header's Present button, the presenter's panel (join code,
// link, audience, tour, End), and for students the follow bar (Detach / Re-attach), the step
// card with the quiz and the "session has ended" notice. Panels float over the workspace
// (a portal to <body>); the feature's effects live in usePresenter.ts and useFollow.ts.
import { useCallback, useEffect, useState, useSyncExternalStore } from "react";
import { createPortal } from "react-dom";
import type { Change } from "../model/changes";
import type { Scene } from "../model/types";
import type { Selection } from "../editor/selection";
import { toScenario } from "../model/serialize";
import type { RunController, RunSnapshot } from "../studio/runController";
import { highlightCss } from "./follow";
import { PresentDialog, PresenterPanel } from "./PresenterPanel";
import type { ClassroomSession, ClassroomSnapshot } from "./session";
import { StudentStep } from "./TourPanel";
import { useFollow } from "./useFollow";
import { usePresenterBroadcast, useTourActions } from "./usePresenter";
import "../styles/classroom.css";

export interface ClassroomProps {
  session: ClassroomSession;
  controller: RunController;
  run: RunSnapshot;
  scene: Scene;
  selection: Selection;
  onSelection: (s: Selection) => void;
  apply: (change: Change) => void;
  onRun: () => void;
  bootScenarioId: string | null;
}

declare global {
  interface Window { __classroom?: () => ClassroomSnapshot }
}

export function Classroom(p: ClassroomProps) {
  const { session, controller, run, scene } = p;
  const snap = useSyncExternalStore(session.subscribe, session.getSnapshot);
  const [dialog, setDialog] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  usePresenterBroadcast({ session, snap, run, selection: p.selection });
  useFollow({ session, snap, controller, scene, apply: p.apply, onSelection: p.onSelection, bootScenarioId: p.bootScenarioId });
  const act = useTourActions(controller, run, p.onRun, session);

  useEffect(() => {
    window.__classroom = session.getSnapshot;
    const body = document.body.classList;
    body.toggle("is-following", snap.mode === "student");
    body.toggle("is-presenting", snap.mode === "presenter" && !snap.ended);
  }, [session, snap.mode, snap.ended]);

  const present = useCallback(async (tour: unknown) => {
    const saved = await controller.save(toScenario(scene));
    await session.present(saved.id, tour);
    setDialog(false);
  }, [controller, scene, session]);

  const go = useCallback((k: number) => {
    session.goStep(k);
    setProblem(act(snap.tour?.[k]));
  }, [session, act, snap.tour]);

  const highlight = snap.mode === "presenter" ? (snap.tour?.[snap.step]?.highlight ?? []) : (snap.stepContent?.highlight ?? []);
  const css = snap.ended ? "" : highlightCss(highlight);
  const panels = (
    <div className="classroom-layer">
      {dialog && snap.mode === "off" ? (
        <PresentDialog onStart={present} onClose={() => setDialog(false)} ownSteps={scene.tour?.length ?? 0} />
      ) : null}
      {snap.mode === "presenter" ? (
        <PresenterPanel snap={snap} problem={problem} onGo={go} onReveal={(k) => session.reveal(k)}
          onEnd={() => session.end()} onClose={() => session.leave()} />
      ) : null}
      {snap.mode === "student" ? <StudentPanel session={session} snap={snap} /> : null}
    </div>
  );
  return (
    <>
      {snap.mode === "off" ? (
        <button type="button" className="btn btn--ghost" data-testid="present-button" onClick={() => setDialog(true)}
          disabled={scene.nodes.length === 0} title={scene.nodes.length ? "Start a live session your class can follow" : "Add at least one node"}>
          Present
        </button>
      ) : null}
      {css ? <style data-testid="tour-highlight">{css}</style> : null}
      {createPortal(panels, document.body)}
    </>
  );
}

function StudentPanel({ session, snap }: { session: ClassroomSession; snap: ClassroomSnapshot }) {
  const content = snap.stepContent;
  return (
    <aside className="classroom-panel classroom-panel--student" aria-label="Classroom session">
      {snap.ended ? (
        <p className="follow-bar follow-bar--ended" role="status" data-testid="session-ended">
          The session has ended. What you see stays here: explore it on your own.
        </p>
      ) : (
        <div className="follow-bar" data-testid="follow-bar" data-attached={snap.attached}>
          <span className={`follow-dot follow-dot--${snap.socket ?? "connecting"}`} aria-hidden="true" />
          <span className="follow-bar__text" role="status">
            {snap.attached ? "Following the presenter" : "Exploring on your own"} · session <strong>{snap.code}</strong>
          </span>
          {snap.attached ? (
            <button type="button" className="btn btn--small" data-testid="detach-button" onClick={() => session.detach()}
              title="Pan, select and scrub on your own">Detach</button>
          ) : (
            <button type="button" className="btn btn--small btn--primary" data-testid="reattach-button" onClick={() => session.attach()}
              title="Snap back to what the presenter shows">Re-attach</button>
          )}
        </div>
      )}
      {snap.error && !snap.ended ? <p className="classroom-error" role="alert">{snap.error}</p> : null}
      {content && snap.step >= 0 ? (
        <StudentStep step={snap.step} steps={snap.steps} content={content} mine={snap.myAnswers[snap.step]}
          reveal={snap.revealed[snap.step]} onAnswer={(c) => session.answer(snap.step, c)} />
      ) : null}
    </aside>
  );
}
