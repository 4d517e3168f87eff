// Parameter sweep: pick a node and one of its numeric or choice params (or a scenario setting),
// list the values, choose how many seeds per value, start it on the workers and watch the
// chart fill in (the server aggregates mean and 95% CI per value).
import { useEffect, useMemo, useState } from "react";
import type { SchemaSpec } from "../model/schema";
import type { Scene } from "../model/types";
import { getSweep, startSweep, type SweepView } from "../net/shareApi";
import { Dialog } from "./Dialog";
import { SweepChart } from "./SweepChart";
import { parseValues, pointsProblem } from "./sweepModel";

const METRICS: readonly [string, string][] = [
  ["summary.latency_ms.p99", "Latency p99 (ms)"], ["summary.latency_ms.mean", "Latency mean (ms)"],
  ["summary.throughput_rps", "Throughput (req/s)"], ["summary.failed", "Failed requests"],
];
const POLL_MS = 1000;
const SWEEPABLE = new Set(["number", "integer", "enum", "boolean"]);

export interface SweepDialogProps {
  scene: Scene;
  schema: SchemaSpec;
  /** Saves the scene if needed and returns the scenario id the sweep runs on. */
  scenarioId: () => Promise<string>;
  onClose: () => void;
}

/** Polls the sweep every second until it is done. */
function useSweepPoll(sweepId: string | null, onView: (v: SweepView) => void, onError: (e: string) => void): void {
  useEffect(() => {
    if (!sweepId) return;
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = (): void => {
      getSweep(sweepId).then((v) => {
        if (!live) return;
        onView(v);
        if (v.status !== "done") timer = setTimeout(poll, POLL_MS);
      }, (e: unknown) => live && onError(e instanceof Error ? e.message : String(e)));
    };
    poll();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [sweepId, onView, onError]);
}

export function SweepDialog({ scene, schema, scenarioId, onClose }: SweepDialogProps) {
  const [target, setTarget] = useState(scene.nodes[0]?.id ?? "settings");
  const params = useMemo(() => {
    const node = scene.nodes.find((n) => n.id === target);
    const fields = node ? schema.kinds.find((k) => k.kind === node.kind)?.params ?? [] : schema.settings;
    return fields.filter((f) => SWEEPABLE.has(f.type));
  }, [scene, schema, target]);
  const [param, setParam] = useState("");
  const [text, setText] = useState("1, 2, 4");
  const [seeds, setSeeds] = useState(3);
  const [metric, setMetric] = useState(METRICS[0]![0]);
  const [sweep, setSweep] = useState<SweepView | null>(null);
  const [sweepId, setSweepId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const chosen = params.some((p) => p.name === param) ? param : params[0]?.name ?? "";
  const parsed = parseValues(text);
  const problem = "error" in parsed ? parsed.error : pointsProblem(parsed.values.length, seeds);

  useSweepPoll(sweepId, setSweep, setError);

  const start = (): void => {
    if ("error" in parsed || !chosen) return;
    setError(null);
    setSweep(null);
    const path = target === "settings" ? `settings.${chosen}` : `${target}.${chosen}`;
    scenarioId()
      .then((id) => startSweep(id, { param: path, values: parsed.values, replicas: seeds, metric }))
      .then((r) => setSweepId(r.sweep_id), (e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  };

  const running = sweep !== null && sweep.status !== "done";
  return (
    <Dialog title="Parameter sweep" testId="sweep-dialog" onClose={onClose} wide>
      <div className="form-grid">
        <label className="form-row"><span>Node</span>
          <select value={target} onChange={(e) => setTarget(e.target.value)} data-testid="sweep-node">
            {scene.nodes.map((n) => <option key={n.id} value={n.id}>{n.label || n.id}</option>)}
            <option value="settings">Scenario settings</option>
          </select></label>
        <label className="form-row"><span>Parameter</span>
          <select value={chosen} onChange={(e) => setParam(e.target.value)} data-testid="sweep-param">
            {params.map((p) => <option key={p.name} value={p.name}>{p.title ?? p.name}{p.unit ? ` (${p.unit})` : ""}</option>)}
          </select></label>
        <label className="form-row"><span>Values (comma-separated)</span>
          <input type="text" value={text} onChange={(e) => setText(e.target.value)} data-testid="sweep-values" /></label>
        <label className="form-row"><span>Seeds per value</span>
          <input type="number" min={1} max={50} value={seeds} onChange={(e) => setSeeds(e.target.valueAsNumber)} data-testid="sweep-seeds" /></label>
        <label className="form-row"><span>Metric</span>
          <select value={metric} onChange={(e) => setMetric(e.target.value)} data-testid="sweep-metric">
            {METRICS.map(([m, label]) => <option key={m} value={m}>{label}</option>)}
          </select></label>
      </div>
      {problem ? <p className="sharebox__error" role="alert" data-testid="sweep-problem">{problem}</p> : null}
      {error ? <p className="sharebox__error" role="alert" data-testid="sweep-error">{error}</p> : null}
      <div className="dialog__actions">
        <button type="button" className="btn btn--primary" data-testid="sweep-start" onClick={start} disabled={problem !== null || !chosen || running}>
          {running ? "Running…" : "Start sweep"}</button>
        <span className="panel-hint" role="status" data-testid="sweep-status">
          {sweep ? `${sweep.status === "done" ? "Done" : "Running"}: ${sweep.done} of ${sweep.total} points${sweep.failed ? `, ${sweep.failed} failed` : ""}` : ""}
        </span>
      </div>
      {sweep ? <SweepChart values={sweep.values} metric={METRICS.find(([m]) => m === sweep.metric)?.[1] ?? sweep.metric} param={sweep.param} /> : null}
      {sweep?.values.some((v) => v.errors.length) ? (
        <ul className="sharebox__error">{sweep.values.flatMap((v) => v.errors.slice(0, 1).map((e) => <li key={String(v.value)}>{String(v.value)}: {e}</li>))}</ul>
      ) : null}
    </Dialog>
  );
}
