// One "Results" menu in the canvas toolbar (a single button, so the toolbar stays narrow): the
// finished run's reports (the server's HTML, PDF, CSV, JSON and the offline replay, as plain
// links) and animation export, then comparing runs and sweeping a parameter.
import type { MouseEvent } from "react";
import { reportUrl } from "../net/shareApi";

const FORMATS: readonly [string, string][] = [
  ["html", "HTML report"], ["pdf", "PDF report"], ["csv", "CSV metrics"], ["json", "JSON result"], ["replay", "Offline replay (HTML)"],
];

export interface ReportMenuProps {
  /** The finished run the reports are about, or null (no run finished yet). */
  runId: string | null;
  canCompare: boolean;
  canSweep: boolean;
  onAnimation: () => void;
  onCompare: () => void;
  onSweep: () => void;
}

function closing(action: () => void) {
  return (e: MouseEvent<HTMLElement>): void => {
    e.currentTarget.closest("details")?.removeAttribute("open");
    action();
  };
}

export function ReportMenu({ runId, canCompare, canSweep, onAnimation, onCompare, onSweep }: ReportMenuProps) {
  return (
    <details className="menu" data-testid="report-menu">
      <summary className="btn btn--small">Results ▾</summary>
      <div className="menu__list" role="menu">
        {runId ? FORMATS.map(([format, label]) => (
          <a key={format} role="menuitem" className="menu__item" href={reportUrl(runId, format)} target="_blank" rel="noopener"
            data-testid={`report-${format}`} onClick={(e) => e.currentTarget.closest("details")?.removeAttribute("open")}>{label}</a>
        )) : <span className="menu__note" data-testid="report-none">Reports appear when a run has finished.</span>}
        {runId ? (
          <button type="button" role="menuitem" className="menu__item" data-testid="report-animation" onClick={closing(onAnimation)}>
            Animation (WebM, GIF)…</button>
        ) : null}
        <hr className="menu__sep" />
        <button type="button" role="menuitem" className="menu__item" data-testid="compare-button" disabled={!canCompare}
          title={canCompare ? "Compare two finished runs of this scenario" : "Save and run the scenario first"} onClick={closing(onCompare)}>
          Compare two runs…</button>
        <button type="button" role="menuitem" className="menu__item" data-testid="sweep-button" disabled={!canSweep}
          title="Run the scenario for several values of one parameter" onClick={closing(onSweep)}>Parameter sweep…</button>
      </div>
    </details>
  );
}
