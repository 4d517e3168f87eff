// The top bar: brand, scenario name, history buttons, run controls and sharing.
import type { ReactNode } from "react";
import { SPEEDS } from "../playback/clock";
import type { RunSnapshot } from "./runController";
import { Icon } from "./Icon";

export interface HeaderProps {
  name: string;
  run: RunSnapshot;
  canUndo: boolean;
  canRedo: boolean;
  canRun: boolean;
  onUndo: () => void;
  onRedo: () => void;
  onRun: () => void;
  onPause: () => void;
  onSpeed: (speed: number) => void;
  onShare: () => void;
  onExport: () => void;
  /** More sharing controls (the classroom's Present button). */
  children?: ReactNode;
}

const busyPhases = new Set(["saving", "starting"]);

export function Header(p: HeaderProps) {
  const { run } = p;
  const busy = busyPhases.has(run.phase);
  const runLabel = busy ? (run.phase === "saving" ? "Saving…" : "Starting…") : run.phase === "idle" ? "Run" : "Run again";
  return (
    <header className="topbar">
      <div className="brand">
        <svg width="22" height="22" viewBox="0 0 24 24" aria-hidden="true" className="brand__mark">
          <circle cx="5" cy="12" r="3" /><circle cx="19" cy="5" r="3" /><circle cx="19" cy="19" r="3" />
          <path d="M8 12h4l4-6M12 12l4 6" fill="none" />
        </svg>
        <span className="brand__name">Topolab</span>
      </div>
      <h1 className="scenario-name" title={p.name}>{p.name || "Untitled topology"}</h1>
      <div className="toolbar" role="toolbar" aria-label="Edit">
        <button type="button" className="icon-btn" onClick={p.onUndo} disabled={!p.canUndo} aria-label="Undo" title="Undo (Ctrl+Z)" data-testid="undo-button">
          <Icon name="undo" />
        </button>
        <button type="button" className="icon-btn" onClick={p.onRedo} disabled={!p.canRedo} aria-label="Redo" title="Redo (Ctrl+Shift+Z)" data-testid="redo-button">
          <Icon name="redo" />
        </button>
      </div>
      <div className="run-controls" role="group" aria-label="Run">
        <button type="button" className="btn btn--primary" data-testid="run-button" onClick={p.onRun}
          disabled={busy || !p.canRun} title={p.canRun ? "Save and simulate this topology" : "Add at least one node"}>
          <Icon name="play" /> {runLabel}
        </button>
        <button type="button" className="btn" data-testid="pause-button" onClick={p.onPause}
          disabled={run.phase !== "running"} aria-pressed={run.phase === "running" && !run.playing}>
          <Icon name={run.playing ? "pause" : "play"} /> {run.playing || run.phase !== "running" ? "Pause" : "Resume"}
        </button>
        <label className="speed">
          <span className="sr-only">Playback speed (simulated seconds per second)</span>
          <select data-testid="speed" value={run.speed} onChange={(e) => p.onSpeed(Number(e.target.value))} title="Simulated seconds per screen second">
            {SPEEDS.map((s) => <option key={s} value={s}>{s}×</option>)}
          </select>
        </label>
      </div>
      <div className="share-controls">
        <button type="button" className="btn btn--ghost" data-testid="share-button" onClick={p.onShare} disabled={!p.canRun}>
          <Icon name="link" /> Share
        </button>
        <button type="button" className="btn btn--ghost" data-testid="export-button" onClick={p.onExport}>
          <Icon name="download" /> Export
        </button>
        {p.children}
      </div>
    </header>
  );
}
