// Compare two finished runs of this scenario: every summary metric side by side with the
// difference (b − a) and the relative change, then the same per node (/api/compare).
import { useEffect, useState } from "react";
import { compareRuns, listRuns, type Comparison, type Delta, type RunRow } from "../net/shareApi";
import { Dialog } from "./Dialog";
import { formatNumber } from "./sweepModel";

const short = (r: RunRow): string => `${new Date(r.created_at).toLocaleTimeString()} · seed ${r.seed} · ${r.id.slice(0, 8)}`;

export function CompareDialog({ scenarioId, onClose }: { scenarioId: string; onClose: () => void }) {
  const [runs, setRuns] = useState<RunRow[] | null>(null);
  const [a, setA] = useState("");
  const [b, setB] = useState("");
  const [cmp, setCmp] = useState<Comparison | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    listRuns(scenarioId).then((r) => {
      const done = r.runs.filter((x) => x.status === "done");
      setRuns(done);
      setA(done[1]?.id ?? done[0]?.id ?? "");
      setB(done[0]?.id ?? "");
    }, (e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, [scenarioId]);

  useEffect(() => {
    if (!a || !b) return;
    let live = true;
    compareRuns(a, b).then((c) => live && (setCmp(c), setError(null)),
      (e: unknown) => live && setError(e instanceof Error ? e.message : String(e)));
    return () => {
      live = false;
    };
  }, [a, b]);

  const picker = (value: string, set: (v: string) => void, id: string) => (
    <select value={value} onChange={(e) => set(e.target.value)} data-testid={id}>
      {(runs ?? []).map((r) => <option key={r.id} value={r.id}>{short(r)}</option>)}
    </select>
  );
  return (
    <Dialog title="Compare two runs" testId="compare-dialog" onClose={onClose} wide>
      {runs !== null && runs.length < 2 ? (
        <p className="panel-hint" data-testid="compare-empty">This scenario has {runs.length} finished run{runs.length === 1 ? "" : "s"}: run it again (another seed, or after a change) to compare.</p>
      ) : (
        <div className="form-grid">
          <label className="form-row"><span>Run A</span>{picker(a, setA, "compare-a")}</label>
          <label className="form-row"><span>Run B</span>{picker(b, setB, "compare-b")}</label>
        </div>
      )}
      {error ? <p className="sharebox__error" role="alert">{error}</p> : null}
      {cmp ? <DeltaTable title="Summary" rows={cmp.summary} testId="compare-summary" /> : null}
      {cmp ? Object.entries(cmp.nodes).map(([node, rows]) => <DeltaTable key={node} title={node} rows={rows} testId={`compare-node-${node}`} />) : null}
    </Dialog>
  );
}

function DeltaTable({ title, rows, testId }: { title: string; rows: Record<string, Delta>; testId: string }) {
  return (
    <table className="delta-table" data-testid={testId}>
      <caption>{title}</caption>
      <thead><tr><th>metric</th><th>A</th><th>B</th><th>B − A</th><th>change</th></tr></thead>
      <tbody>
        {Object.entries(rows).map(([k, d]) => (
          <tr key={k} data-metric={k}>
            <th scope="row">{k}</th>
            <td>{fmt(d.a)}</td><td>{fmt(d.b)}</td>
            <td className={tone(d.abs)}>{d.abs === null ? "–" : `${d.abs > 0 ? "+" : ""}${formatNumber(d.abs)}`}</td>
            <td className={tone(d.rel)}>{d.rel === null ? "–" : `${d.rel > 0 ? "+" : ""}${(d.rel * 100).toFixed(1)} %`}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const fmt = (v: number | null): string => (v === null ? "–" : formatNumber(v));
const tone = (v: number | null): string => (v === null || v === 0 ? "" : v > 0 ? "delta--up" : "delta--down");
