// Mean of the metric per swept value, with 95% CI whiskers (SVG, from layoutSweep).
import type { SweepValue } from "../net/shareApi";
import { formatNumber, layoutSweep } from "./sweepModel";

export function SweepChart({ values, metric, param }: { values: readonly SweepValue[]; metric: string; param: string }) {
  const c = layoutSweep(values);
  return (
    <svg className="sweep-chart" width={c.width} height={c.height} viewBox={`0 0 ${c.width} ${c.height}`} role="img"
      aria-label={`${metric} against ${param}`} data-testid="sweep-chart" data-points={c.points.length}>
      {c.yTicks.map((t) => (
        <g key={t.label + t.y}>
          <line x1={60} x2={c.width - 16} y1={t.y} y2={t.y} stroke="#21262d" />
          <text x={56} y={t.y + 4} textAnchor="end" fontSize={11} fill="#8b949e">{t.label}</text>
        </g>
      ))}
      {c.points.map((p, i) => (
        <g key={p.label} data-testid="sweep-point" data-mean={p.mean}>
          <line x1={p.x} x2={p.x} y1={p.lo} y2={p.hi} stroke="#56B4E9" strokeWidth={1.5} />
          <line x1={p.x - 5} x2={p.x + 5} y1={p.lo} y2={p.lo} stroke="#56B4E9" strokeWidth={1.5} />
          <line x1={p.x - 5} x2={p.x + 5} y1={p.hi} y2={p.hi} stroke="#56B4E9" strokeWidth={1.5} />
          {i > 0 ? <line x1={c.points[i - 1]!.x} y1={c.points[i - 1]!.y} x2={p.x} y2={p.y} stroke="#E69F00" strokeOpacity={0.5} /> : null}
          <circle cx={p.x} cy={p.y} r={4} fill="#E69F00"><title>{`${param} = ${p.label}: mean ${formatNumber(p.mean)} (n = ${p.n})`}</title></circle>
          <text x={p.x} y={c.height - 18} textAnchor="middle" fontSize={11} fill="#c9d1d9">{p.label}</text>
        </g>
      ))}
      <text x={c.width / 2} y={c.height - 3} textAnchor="middle" fontSize={11} fill="#8b949e">{param}</text>
    </svg>
  );
}
