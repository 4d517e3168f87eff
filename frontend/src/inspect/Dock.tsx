// The run dock under the canvas: Sequence, Traces and Inspector in tabs, collapsible to its tab
// bar, so the views never float over the nodes. A click on a token opens the Inspector on it.
import { useCallback, useState } from "react";
import type { Timeline } from "../playback/timeline";
import type { Token } from "../render/tokens";
import { Inspector, type PickedMessage } from "./Inspector";
import { SequencePanel } from "./SequencePanel";
import { TracesPanel } from "./TracesPanel";
import type { TraceStore } from "./traces";

export type DockTab = "sequence" | "traces" | "inspector";
const TABS: readonly [DockTab, string][] = [["sequence", "Sequence"], ["traces", "Traces"], ["inspector", "Inspector"]];

/** What the dock reads of a run (the RunController provides it). */
export interface DockSource {
  readonly traces: TraceStore;
  timeline(): Timeline | null;
  nodeId(index: number): string | undefined;
  seek(t: number): void;
}

export interface DockState {
  open: boolean; tab: DockTab; picked: PickedMessage | null; trace: number | null;
  setOpen: (v: boolean) => void; setTab: (t: DockTab) => void; setTrace: (id: number) => void;
  pick: (m: PickedMessage) => void;
  pickToken: (t: Token) => void;
}

export function useDock(): DockState {
  const [open, setOpen] = useState(false);
  const [tab, setTab] = useState<DockTab>("sequence");
  const [picked, setPicked] = useState<PickedMessage | null>(null);
  const [trace, setTraceId] = useState<number | null>(null);
  const pick = useCallback((m: PickedMessage) => { setPicked(m); setTab("inspector"); setOpen(true); }, []);
  const pickToken = useCallback((t: Token) => pick({
    ts: t.start, dt: t.dt, src: t.src, dst: t.dst, kind: t.kind, edge: t.edge,
    ...(t.trace !== undefined ? { trace: t.trace, span: t.span } : {}),
  }), [pick]);
  const setTrace = useCallback((id: number) => { setTraceId(id); setTab("traces"); setOpen(true); }, []);
  return { open, tab, picked, trace, setOpen, setTab, setTrace, pick, pickToken };
}

export interface RunDockProps {
  dock: DockState;
  source: DockSource;
  playhead: number;
  tracesVersion: number;
  runNodes: readonly string[];
  selected: readonly string[];
}

export function RunDock({ dock, source, playhead, tracesVersion, runNodes, selected }: RunDockProps) {
  const count = source.traces.size;
  return (
    <section className={`dock${dock.open ? " dock--open" : ""}`} data-testid="run-dock" aria-label="Run views">
      <header className="dock__head">
        <div className="dock__tabs" role="tablist">
          {TABS.map(([id, title]) => (
            <button key={id} type="button" role="tab" aria-selected={dock.open && dock.tab === id} data-testid={`dock-tab-${id}`}
              className={`dock__tab${dock.open && dock.tab === id ? " dock__tab--on" : ""}`}
              onClick={() => { dock.setTab(id); dock.setOpen(!(dock.open && dock.tab === id)); }}>
              {title}{id === "traces" && count ? <span className="dock__count">{count}</span> : null}
            </button>
          ))}
        </div>
        <button type="button" className="icon-btn" data-testid="dock-toggle" aria-expanded={dock.open}
          aria-label={dock.open ? "Collapse the run views" : "Expand the run views"} onClick={() => dock.setOpen(!dock.open)}>
          {dock.open ? "▾" : "▴"}
        </button>
      </header>
      {dock.open ? (
        <div className="dock__body" role="tabpanel">
          {dock.tab === "sequence" ? (
            <SequencePanel timeline={source.timeline()} runNodes={runNodes} selected={selected} playhead={playhead} onPick={dock.pick} />
          ) : dock.tab === "traces" ? (
            <TracesPanel traces={source.traces} version={tracesVersion} selected={dock.trace} onSelect={dock.setTrace}
              playhead={playhead} onSeek={(t) => source.seek(t)} />
          ) : (
            <Inspector picked={dock.picked} nodeId={(i) => source.nodeId(i)} traces={source.traces} playhead={playhead} onShowTrace={dock.setTrace} />
          )}
        </div>
      ) : null}
    </section>
  );
}
