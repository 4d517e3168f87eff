// Presenter side: broadcast what the presenter's studio shows (scenario revision, viewport,
// selection, run, speed, pause, playhead) through PresenterSync, and carry out tour actions
// ("run to 5 s", "crash @leader") in this studio.
import { useCallback, useEffect, useRef, useState } from "react";
import { useOnViewportChange, useReactFlow, type Viewport } from "@xyflow/react";
import type { Selection } from "../editor/selection";
import type { ControlMsg } from "../net/protocol";
import type { SessionViewport, TourStep } from "../net/classroomProtocol";
import type { RunController, RunSnapshot } from "../studio/runController";
import { PresenterSync } from "./presenterSync";
import type { ClassroomSession, ClassroomSnapshot } from "./session";

export function canvasSize(): { w: number; h: number } | null {
  const r = document.querySelector<HTMLElement>("[data-testid=canvas]")?.getBoundingClientRect();
  return r && r.width > 0 && r.height > 0 ? { w: Math.round(r.width), h: Math.round(r.height) } : null;
}

function withSize(vp: Viewport): SessionViewport {
  const size = canvasSize();
  return { x: vp.x, y: vp.y, zoom: vp.zoom, ...(size ?? {}) };
}

export interface PresenterArgs {
  session: ClassroomSession;
  snap: ClassroomSnapshot;
  run: RunSnapshot;
  selection: Selection;
}

export function usePresenterBroadcast({ session, snap, run, selection }: PresenterArgs): void {
  const flow = useReactFlow();
  const live = snap.mode === "presenter" && snap.role === "presenter" && !snap.ended;
  const [sync] = useState(() => new PresenterSync({
    send: (u) => session.send({ type: "state", ...u }),
    now: () => performance.now(),
    wallNow: () => Date.now(),
    setTimer: (fn, ms) => setTimeout(fn, ms),
    clearTimer: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
  }));
  const liveRef = useRef(live);
  liveRef.current = live;
  useEffect(() => () => sync.dispose(), [sync]);

  useOnViewportChange({ onChange: (vp) => { if (liveRef.current) sync.viewport(withSize(vp)); } });

  useEffect(() => {
    // After every welcome (first connect, reconnect) the server may hold older state than ours.
    session.onWelcome = () => {
      sync.resend();
      sync.viewport(withSize(flow.getViewport()));
    };
    return () => { session.onWelcome = null; };
  }, [session, sync, flow]);

  const save = run.save;
  useEffect(() => {
    if (live && save) sync.discrete({ scenario: save.id, revision: save.revision ?? null });
  }, [live, sync, save]);
  useEffect(() => {
    if (live) sync.discrete({ selection: [...selection.nodes, ...selection.edges].slice(0, 500) });
  }, [live, sync, selection]);
  useEffect(() => {
    if (live) sync.discrete({ run: run.runId });
  }, [live, sync, run.runId]);
  useEffect(() => {
    if (live && run.runId) sync.playback({ playhead: run.playhead, playing: run.playing, speed: run.speed });
  }, [live, sync, run.runId, run.playhead, run.playing, run.speed]);
}

/** Tour actions for the presenter's studio (or an author previewing alone: no session):
 * run_to pauses at the given simulated time; a fault goes to this run (and the class). */
export function useTourActions(controller: RunController, run: RunSnapshot, startRun: () => void, session: ClassroomSession | null) {
  const target = useRef<number | null>(null);

  useEffect(() => {
    const t = target.current;
    if (t === null || run.phase !== "running" && run.phase !== "done") return;
    if (run.playhead >= t - 1e-6) {
      target.current = null;
      controller.setPlaying(false);
      if (run.playhead > t + 0.5) controller.seek(t);
    }
  }, [run.playhead, run.phase, controller]);

  /** Carries out the step's action; returns why it could not (or null). */
  return useCallback((step: TourStep | undefined): string | null => {
    const action = step?.action;
    if (!action) return null;
    if (action.run_to !== undefined) {
      target.current = action.run_to;
      const snap = controller.getSnapshot();
      if (snap.phase === "running" || snap.phase === "done") {
        if (snap.playhead > action.run_to) controller.seek(action.run_to);
        controller.setPlaying(snap.playhead < action.run_to);
      } else startRun();
    } else if (action.fault) {
      const sent = controller.control(action.fault as Omit<ControlMsg, "type">);
      if (!sent) return `Run the scenario first: this step ${faultText(action.fault)}.`;
      session?.send({ type: "fault", fault: action.fault });
    }
    return null;
  }, [controller, startRun, session]);
}

export function faultText(f: { action: string; node?: string; edge?: string; factor?: number }): string {
  const what = f.node ?? f.edge ?? "";
  return `${f.action}${what ? ` ${what}` : ""}${f.factor !== undefined ? ` ×${f.factor}` : ""}`;
}
