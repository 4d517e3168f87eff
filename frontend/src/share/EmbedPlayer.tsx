// The iframe-able player (/embed/<slug>) for course pages: the diagram, Run, Pause and the
// scrubber. Nothing is edited or saved; Run starts a run of the stored scenario.
import { useCallback, useEffect, useMemo, useState, useSyncExternalStore } from "react";
import { Canvas } from "../editor/Canvas";
import type { ViewState } from "../editor/flowAdapter";
import { toScenario } from "../model/serialize";
import { SPEEDS } from "../playback/clock";
import type { BootData } from "../studio/boot";
import { installDebugHook } from "../studio/debug";
import { initialScene } from "../studio/initialScene";
import { RunController } from "../studio/runController";

const NONE = new Set<string>();
const ignore = (): void => undefined;

export function EmbedPlayer({ boot }: { boot: BootData }) {
  const [scene] = useState(() => initialScene(boot));
  const [controller] = useState(() => new RunController(boot.scenarioId
    ? { id: boot.scenarioId, shareUrl: boot.slug ? `/s/${boot.slug}` : null, canEdit: false, savedText: null, revision: boot.revision, readOnly: true }
    : null));
  const run = useSyncExternalStore(controller.subscribe, controller.getSnapshot);
  const [measured, setMeasured] = useState<ReadonlyMap<string, { width: number; height: number }>>(new Map());
  useEffect(() => installDebugHook(controller, () => scene), [controller, scene]);
  useEffect(() => () => controller.stop(), [controller]);
  const view: ViewState = useMemo(() => ({ selectedNodes: NONE, selectedEdges: NONE, measured, nodeStates: run.nodeStates, nodeErrors: new Map() }),
    [measured, run.nodeStates]);
  const onMeasured = useCallback((sizes: ReadonlyMap<string, { width: number; height: number }>) => setMeasured((m) => new Map([...m, ...sizes])), []);
  const busy = run.phase === "saving" || run.phase === "starting";
  const total = run.duration || 0;
  const full = boot.slug ? `/s/${encodeURIComponent(boot.slug)}` : "/";

  return (
    <div className="embed" data-testid="embed-player">
      <div className="embed__bar">
        <a className="embed__title" href={full} target="_blank" rel="noopener" title="Open in Topolab">{scene.name || "Untitled"} ↗</a>
        <button type="button" className="btn btn--primary btn--small" data-testid="run-button" disabled={busy || scene.nodes.length === 0}
          onClick={() => void controller.run(toScenario(scene))}>{busy ? "Starting…" : run.phase === "idle" ? "Run" : "Run again"}</button>
        <button type="button" className="btn btn--small" data-testid="pause-button" disabled={run.phase !== "running"}
          onClick={() => controller.togglePause()}>{run.playing || run.phase !== "running" ? "Pause" : "Resume"}</button>
        <select className="btn btn--small" data-testid="speed" value={run.speed} aria-label="Speed" onChange={(e) => controller.setSpeed(Number(e.target.value))}>
          {SPEEDS.map((s) => <option key={s} value={s}>{s}×</option>)}
        </select>
        <input type="range" className="scrubber embed__scrub" data-testid="scrubber" aria-label="Simulated time" min={0} max={Math.max(total, 0.001)}
          step={0.01} value={Math.min(run.playhead, total)} disabled={!(run.runId && run.available > 0)} onChange={(e) => controller.seek(Number(e.target.value))} />
        <span className="embed__time" data-testid="playhead">{run.playhead.toFixed(1)} s</span>
        <span className="embed__metric">{run.throughput === null ? "–" : run.throughput.toFixed(0)} req/s</span>
      </div>
      {run.error ? <div className="run-error" data-testid="run-error">{run.error.message}</div> : null}
      <Canvas scene={scene} view={view} readOnly tokens={controller} apply={ignore} gesture={ignore}
        onSelection={ignore} onMeasured={onMeasured} onDropKind={ignore} />
    </div>
  );
}
