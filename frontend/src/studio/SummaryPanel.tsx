// Shown when playback reaches the end of a finished run: result.summary of topolab.result/1.
import type { RunSummary } from "../net/protocol";
import { Icon } from "./Icon";

export function SummaryPanel({ summary, onClose }: { summary: RunSummary; onClose: () => void }) {
  const l = summary.latency_ms;
  const rows: Array<[string, string]> = [
    ["Requests", fmt(summary.requests, 0)],
    ["Completed", fmt(summary.completed, 0)],
    ["Failed", fmt(summary.failed, 0)],
    ["Throughput", `${fmt(summary.throughput_rps, 1)} req/s`],
    ["Latency mean", `${fmt(l.mean, 2)} ms`],
    ["Latency p50", `${fmt(l.p50, 2)} ms`],
    ["Latency p95", `${fmt(l.p95, 2)} ms`],
    ["Latency p99", `${fmt(l.p99, 2)} ms`],
    ["Latency max", `${fmt(l.max, 2)} ms`],
  ];
  return (
    <section className="summary" data-testid="summary" aria-label="Run summary">
      <header>
        <h2 className="panel-title">Run summary</h2>
        <button type="button" className="icon-btn" onClick={onClose} aria-label="Close summary"><Icon name="close" /></button>
      </header>
      <dl>
        {rows.map(([k, v]) => (
          <div key={k} className="summary__row"><dt>{k}</dt><dd>{v}</dd></div>
        ))}
      </dl>
    </section>
  );
}

function fmt(v: number, digits: number): string {
  return Number.isFinite(v) ? v.toLocaleString(undefined, { maximumFractionDigits: digits, minimumFractionDigits: digits }) : "–";
}
