// One trace as a waterfall: a row per span (node name indented by depth), a bar from its start
// to its end on a shared time axis (ms relative to the request's start), failed spans in
// vermillion, open ones dashed; the playback cursor as a vertical line when it falls inside.
import type { TraceJson } from "../net/protocol";
import { OKABE_ITO } from "../render/messageStyle";
import { waterfall } from "./traces";

const ROW = 18;
const LABEL = 150;
const AXIS = 18;

export interface WaterfallProps {
  trace: TraceJson;
  /** Simulated seconds of the playhead. */
  playhead: number;
  /** Span to outline (the clicked message's hop). */
  span?: number;
  width?: number;
}

export function WaterfallView({ trace, playhead, span, width = 560 }: WaterfallProps) {
  const w = waterfall(trace);
  const plot = width - LABEL - 8;
  const dur = w.t1 - w.t0;
  const x = (ms: number) => LABEL + ((ms - w.t0) / dur) * plot;
  const cursorMs = playhead * 1000;
  const inside = cursorMs >= w.t0 && cursorMs <= w.t1;
  const height = AXIS + w.rows.length * ROW + 4;
  const fmt = (ms: number) => (ms < 10 ? ms.toFixed(2) : ms < 100 ? ms.toFixed(1) : ms.toFixed(0));
  return (
    <div className="waterfall" data-testid="waterfall" data-trace={trace.trace_id} data-spans={w.rows.length}>
      <p className="dock__note">
        trace {trace.trace_id} · request at {(w.t0 / 1000).toFixed(3)} s · {fmt(dur)} ms ·{" "}
        <span data-testid="waterfall-cursor-state">{inside ? "cursor inside" : cursorMs < w.t0 ? `cursor ${fmt(w.t0 - cursorMs)} ms before` : `cursor ${fmt(cursorMs - w.t1)} ms after`}</span>
      </p>
      <svg width={width} height={height} role="img" aria-label={`Trace ${trace.trace_id}: ${w.rows.length} spans over ${fmt(dur)} ms`}>
        {[0, 0.5, 1].map((f) => (
          <g key={f}>
            <line x1={LABEL + f * plot} x2={LABEL + f * plot} y1={AXIS - 4} y2={height} className="waterfall__grid" />
            <text x={LABEL + f * plot} y={11} textAnchor={f === 0 ? "start" : f === 1 ? "end" : "middle"} className="waterfall__axis">
              {fmt(f * dur)} ms
            </text>
          </g>
        ))}
        {w.rows.map((r, i) => {
          const y = AXIS + i * ROW;
          const x0 = x(r.start);
          const bw = Math.max(2, x(r.end) - x0);
          const colour = r.span.ok === false ? OKABE_ITO.vermillion : r.open ? OKABE_ITO.grey : OKABE_ITO.sky;
          return (
            <g key={r.span.span_id} data-testid="waterfall-row" data-node={r.span.node} data-depth={r.depth} data-span={r.span.span_id}>
              <text x={4 + r.depth * 10} y={y + 12} className="waterfall__label">{r.span.node}</text>
              <rect x={x0} y={y + 3} width={bw} height={ROW - 6} rx={2} fill={colour} opacity={0.85}
                strokeDasharray={r.open ? "3 2" : undefined} stroke={span === r.span.span_id ? "#ffffff" : r.open ? colour : "none"}
                strokeWidth={span === r.span.span_id ? 2 : 1}>
                <title>{`${r.span.node}: ${fmt(r.start - w.t0)} → ${r.open ? "open" : `${fmt(r.end - w.t0)} ms`} (${fmt(r.end - r.start)} ms)${r.span.ok === false ? ", failed" : ""}`}</title>
              </rect>
            </g>
          );
        })}
        {inside ? <line data-testid="waterfall-cursor" x1={x(cursorMs)} x2={x(cursorMs)} y1={AXIS - 4} y2={height} className="waterfall__cursor" /> : null}
      </svg>
    </div>
  );
}
