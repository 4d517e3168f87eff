// The bottom strip: metric tiles, playback progress and the two live charts.
import { useState, type ReactNode } from "react";
import { TimeSeriesChart } from "../charts/TimeSeriesChart";
import type { MetricsSeries } from "../charts/series";
import type { RunSnapshot } from "./runController";

export interface MetricsStripProps {
  run: RunSnapshot;
  series: MetricsSeries;
  onSeek?: (t: number) => void;
  onStep?: () => void;
  /** Extra controls beside the Step button (the moment link). */
  children?: ReactNode;
}

export function MetricsStrip({ run, series, onSeek, onStep, children }: MetricsStripProps) {
  const canScrub = run.runId !== null && run.available > 0;
  const [rate, setRate] = useState<"throughput" | "errors">("throughput");
  const [pct, setPct] = useState<"p50" | "p95" | "p99">("p99");
  const total = run.duration || 0;
  const played = total ? Math.min(1, run.playhead / total) : 0;
  const buffered = total ? Math.min(1, run.available / total) : 0;
  return (
    <section className="strip" aria-label="Metrics">
      <div className="tiles">
        <Tile label="Throughput" unit="req/s" value={run.throughput} testId="metric-throughput" digits={1} />
        <Tile label="Latency p99" unit="ms" value={run.p99} testId="metric-latency-p99" digits={2} />
        <div className="tile">
          <span className="tile__label">Errors</span>
          <span className="tile__value"><span data-testid="metric-errors">{run.failed}</span>
            <small> {run.requests ? `${((100 * run.failed) / run.requests).toFixed(1)} %` : ""}</small></span>
        </div>
        <div className="tile tile--progress">
          <span className="tile__label">Simulated time</span>
          <span className="tile__value" data-testid="playhead">{run.playhead.toFixed(1)}<small> / {total ? total.toFixed(0) : "–"} s</small></span>
          <div className="scrub">
            <div className="progress" data-testid="progress" role="progressbar" aria-label="Playback progress"
              aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(played * 100)}>
              <div className="progress__buffered" style={{ width: `${buffered * 100}%` }} />
              <div className="progress__played" style={{ width: `${played * 100}%` }} />
            </div>
            <input type="range" className="scrubber" data-testid="scrubber" aria-label="Simulated time (drag to rewind or jump)"
              min={0} max={Math.max(total, 0.001)} step={0.01} value={Math.min(run.playhead, total)}
              disabled={!canScrub} onChange={(e) => onSeek?.(Number(e.target.value))} />
          </div>
          <span className="tile__row">
            <span className="tile__status" data-testid="run-status">{statusText(run)}</span>
            <button type="button" className="btn btn--small" data-testid="step-button" onClick={onStep} disabled={!canScrub}
              title="Pause and step forward" style={{ height: 22 }}>Step ▸</button>
            {children}
          </span>
        </div>
      </div>
      <div className="chart-cell">
        <select className="chart-pick" aria-label="First chart" data-testid="chart-pick-rate" value={rate}
          onChange={(e) => setRate(e.target.value as typeof rate)}>
          <option value="throughput">Throughput</option>
          <option value="errors">Errors</option>
        </select>
        <TimeSeriesChart key={rate} title={rate === "errors" ? "Errors" : "Throughput"} unit={rate === "errors" ? "failed/s" : "req/s"}
          color={rate === "errors" ? "#D55E00" : "#56B4E9"} x={series.t} y={series[rate]}
          version={run.seriesVersion} testId="chart-throughput" />
      </div>
      <div className="chart-cell">
        <select className="chart-pick" aria-label="Latency percentile" data-testid="chart-pick-latency" value={pct}
          onChange={(e) => setPct(e.target.value as typeof pct)}>
          <option value="p50">p50</option>
          <option value="p95">p95</option>
          <option value="p99">p99</option>
        </select>
        <TimeSeriesChart key={pct} title={`Latency ${pct}`} unit="ms" color="#E69F00" x={series.t} y={series[pct]}
          version={run.seriesVersion} testId="chart-latency" />
      </div>
    </section>
  );
}

function Tile({ label, unit, value, testId, digits }: { label: string; unit: string; value: number | null; testId: string; digits: number }) {
  return (
    <div className="tile">
      <span className="tile__label">{label}</span>
      <span className="tile__value"><span data-testid={testId}>{value === null ? "–" : value.toFixed(digits)}</span><small> {unit}</small></span>
    </div>
  );
}

function statusText(run: RunSnapshot): string {
  switch (run.phase) {
    case "idle": return "Ready";
    case "saving": return "Saving…";
    case "starting": return "Starting run…";
    case "running":
      if (!run.playing) return "Paused";
      if (run.socket === "reconnecting") return "Reconnecting…";
      return run.waiting ? "Waiting for the simulation…" : "Playing";
    case "done": return "Finished";
    case "failed": return "Failed";
  }
}
