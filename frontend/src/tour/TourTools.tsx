// The studio's tour feature in one component: the toolbar's "Tour" button, the tour editor and
// the preview (both float over the workspace through a portal), the preview's node highlight and
// its actions on the author's own run (the presenter's useTourActions, without a class).
import { useCallback, useEffect, useState, useSyncExternalStore } from "react";
import { createPortal } from "react-dom";
import type { Selection } from "../editor/selection";
import type { Change } from "../model/changes";
import { tourOf } from "../model/tour";
import { tourJson } from "../model/tourJson";
import type { Scene, TourStep } from "../model/types";
import type { TourStep as WireStep } from "../net/classroomProtocol";
import type { RunController, RunSnapshot } from "../studio/runController";
import { highlightCss } from "../classroom/follow";
import type { ClassroomSession } from "../classroom/session";
import { useTourActions } from "../classroom/usePresenter";
import { TourEditor } from "./TourEditor";
import { TourPreview } from "./TourPreview";
import "../styles/tour.css";

export interface TourToolsProps {
  scene: Scene;
  selection: Selection;
  readOnly: boolean;
  apply: (change: Change, coalesce?: string) => void;
  controller: RunController;
  run: RunSnapshot;
  onRun: () => void;
  session: ClassroomSession;
}

/** The step as the presenter's action runner reads it (the same JSON as apps/engine/tour.py). */
const wire = (step: TourStep | undefined): WireStep | undefined => (step ? (tourJson(step) as unknown as WireStep) : undefined);

export function TourTools({ scene, selection, readOnly, apply, controller, run, onRun, session }: TourToolsProps) {
  const classroom = useSyncExternalStore(session.subscribe, session.getSnapshot);
  const [open, setOpen] = useState(false);
  const [preview, setPreview] = useState<number | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const act = useTourActions(controller, run, onRun, null);
  const tour = tourOf(scene);
  const live = classroom.mode !== "off" && !classroom.ended;
  const previewing = preview !== null && !live && preview < tour.length;

  const go = useCallback((k: number) => {
    setPreview(k);
    setProblem(act(wire(tourOf(scene)[k])));
  }, [act, scene]);
  const exit = useCallback(() => {
    setPreview(null);
    setProblem(null);
    setOpen(!readOnly); // a reader goes back to the canvas, an author to the editor
  }, [readOnly]);

  const editing = open && !previewing && !readOnly;
  useEffect(() => {
    // The editor covers the palette; the template's explanation card would peek out beside it.
    document.body.classList.toggle("is-tour-editing", editing);
    return () => document.body.classList.remove("is-tour-editing");
  }, [editing]);

  // A reader (someone else's share link) may step through the tour but not edit it; a class
  // following its presenter gets the presenter's tour instead.
  if (readOnly && (tour.length === 0 || live)) return null;
  const css = previewing ? highlightCss(tour[preview]?.highlight ?? []) : "";
  const layer = (
    <div className="tour-layer">
      {open && !previewing ? (
        <TourEditor scene={scene} selectedNodes={selection.nodes} readOnly={readOnly} apply={apply}
          onPreview={(k) => { setOpen(false); go(k); }} onClose={() => setOpen(false)} />
      ) : null}
      {previewing ? <TourPreview tour={tour} step={preview} problem={problem} onGo={go} onExit={exit} /> : null}
    </div>
  );
  return (
    <>
      <button type="button" className="btn btn--small" data-testid="tour-button" aria-pressed={open || previewing}
        title={readOnly ? "Step through this scenario's guided tour" : live ? "Edit the tour (the session uses the tour it started with)" : "Edit or preview this scenario's guided tour"}
        onClick={() => {
          if (readOnly) return previewing ? exit() : go(0);
          setPreview(null);
          setOpen((v) => !v || previewing);
        }}>
        Tour{tour.length ? ` (${tour.length})` : ""}
      </button>
      {css ? <style data-testid="tour-preview-highlight">{css}</style> : null}
      {createPortal(layer, document.body)}
    </>
  );
}
