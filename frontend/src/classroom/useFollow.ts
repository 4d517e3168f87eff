// Student side: while attached (and the session lives), mirror the presenter: load the same
// scenario revision, watch the same run (its own run socket, no pacing), copy viewport,
// selection, speed and pause, and keep the local clock within a small drift of the presenter's
// playhead. Touching the canvas detaches (the student explores); Re-attach snaps back.
import { useEffect, useRef, type RefObject } from "react";
import { useReactFlow } from "@xyflow/react";
import type { Change } from "../model/changes";
import { fromScenario, toScenario, type ScenarioJson } from "../model/serialize";
import type { Scene } from "../model/types";
import type { Selection } from "../editor/selection";
import type { SessionState } from "../net/classroomProtocol";
import { fetchScenario } from "../net/api";
import type { RunController } from "../studio/runController";
import { driftTolerance, expectedPlayhead, fitViewport, isRunId, selectionIn, sameViewport } from "./follow";
import { canvasSize } from "./usePresenter";
import type { ClassroomSession, ClassroomSnapshot } from "./session";

const SYNC_MS = 250;
const EXPLORE = "[data-testid=canvas], [data-testid=scrubber], [data-testid=step-button], [data-testid=pause-button]";

export interface FollowArgs {
  session: ClassroomSession;
  snap: ClassroomSnapshot;
  controller: RunController;
  scene: Scene;
  apply: (change: Change) => void;
  onSelection: (s: Selection) => void;
  bootScenarioId: string | null;
}

export function useFollow({ session, snap, controller, scene, apply, onSelection, bootScenarioId }: FollowArgs): void {
  const following = snap.mode === "student" && snap.attached && !snap.ended;
  const sceneRef = useRef(scene);
  sceneRef.current = scene;
  useFollowScenarioAndRun(following, snap.state, controller, apply, sceneRef, bootScenarioId);
  useFollowView(following, snap.state, sceneRef, scene.nodes, onSelection);
  useFollowClock(following, snap.state, snap.stateAt, controller);
  useDetachOnExplore(following, session);
}

/** Scenario revision, then run: one after the other, so a run is attached to its own scenario. */
function useFollowScenarioAndRun(
  following: boolean, state: SessionState, controller: RunController, apply: (change: Change) => void,
  sceneRef: RefObject<Scene>, bootScenarioId: string | null,
): void {
  const loaded = useRef<{ key: string; scenario: ScenarioJson | null }>({ key: `${bootScenarioId}:boot`, scenario: null });
  const queue = useRef<Promise<void>>(Promise.resolve());
  useEffect(() => {
    if (!following || !state.scenario) return;
    const id = state.scenario;
    const key = `${id}:${state.revision ?? "?"}`;
    const runId = isRunId(state.run) ? state.run : null;
    queue.current = queue.current.then(async () => {
      if (loaded.current.key !== key) {
        const record = await fetchScenario(id);
        const next = fromScenario(record.scenario);
        apply({ type: "scene/replace", scene: next });
        loaded.current = { key, scenario: toScenario(next) };
      }
      if (runId && controller.getSnapshot().runId !== runId) {
        const scenario = loaded.current.scenario ?? toScenario(sceneRef.current);
        controller.attach(scenario, runId, `/ws/runs/${runId}`);
      }
    }).catch((e: unknown) => console.warn("topolab: could not follow the presenter's scenario", e));
  }, [following, state.scenario, state.revision, state.run, apply, controller, sceneRef]);
}

/** The same region as the presenter's canvas, and the same selection. */
function useFollowView(
  following: boolean, state: SessionState, sceneRef: RefObject<Scene>, nodes: Scene["nodes"],
  onSelection: (s: Selection) => void,
): void {
  const flow = useReactFlow();
  const vp = state.viewport;
  useEffect(() => {
    if (!following || !vp) return;
    const target = fitViewport(vp, canvasSize());
    if (!sameViewport(flow.getViewport(), target)) void flow.setViewport(target);
  }, [following, vp, flow]);

  const selection = state.selection;
  useEffect(() => {
    if (!following || !selection) return;
    const s = sceneRef.current;
    onSelection(selectionIn(selection, new Set(s.nodes.map((n) => n.id)), new Set(s.edges.map((e) => e.id))));
  }, [following, selection, nodes, onSelection, sceneRef]);
}

/** Speed, pause and playhead: on every state message and a few times a second in between. */
function useFollowClock(following: boolean, state: SessionState, stateAt: number, controller: RunController): void {
  useEffect(() => {
    if (!following) return;
    const sync = (): void => {
      const run = controller.getSnapshot();
      if (!state.run || run.runId !== state.run) return;
      if (state.speed !== undefined && state.speed > 0 && run.speed !== state.speed) controller.setSpeed(state.speed);
      if (state.playing !== undefined) controller.setPlaying(state.playing);
      const expected = expectedPlayhead(state, stateAt, performance.now());
      if (expected !== null && Math.abs(controller.playhead() - expected) > driftTolerance(run.speed)) {
        controller.syncTo(expected);
      }
    };
    sync();
    const timer = setInterval(sync, SYNC_MS);
    return () => clearInterval(timer);
  }, [following, state, stateAt, controller]);
}

/** A student who grabs the canvas or the scrubber is exploring: stop overriding what they do. */
function useDetachOnExplore(following: boolean, session: ClassroomSession): void {
  useEffect(() => {
    if (!following) return;
    const detach = (e: Event): void => {
      const el = e.target instanceof Element ? e.target : null;
      if (e.isTrusted && el?.closest(EXPLORE)) session.detach();
    };
    document.addEventListener("pointerdown", detach, { capture: true });
    document.addEventListener("wheel", detach, { capture: true, passive: true });
    return () => {
      document.removeEventListener("pointerdown", detach, { capture: true });
      document.removeEventListener("wheel", detach, { capture: true });
    };
  }, [following, session]);
}
