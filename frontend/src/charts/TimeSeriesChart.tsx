// A small uPlot line chart over simulated time. uPlot owns its canvas; React only hands it
// new data when `version` changes and its size when the container resizes.
import { useEffect, useRef } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

export interface TimeSeriesChartProps {
  title: string;
  unit: string;
  color: string;
  x: readonly number[];
  y: readonly number[];
  version: number;
  testId?: string;
}

export function TimeSeriesChart({ title, unit, color, x, y, version, testId }: TimeSeriesChartProps) {
  const boxRef = useRef<HTMLDivElement>(null);
  const plotRef = useRef<uPlot | null>(null);

  useEffect(() => {
    const box = boxRef.current;
    if (!box) return;
    const axis = { stroke: "#8b949e", grid: { stroke: "#21262d", width: 1 }, ticks: { stroke: "#30363d", width: 1 }, font: "11px system-ui, sans-serif" };
    const opts: uPlot.Options = {
      width: Math.max(120, box.clientWidth),
      height: Math.max(80, box.clientHeight),
      legend: { show: false },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: false } },
      axes: [
        { ...axis, values: (_u, vals) => vals.map((v) => `${v}s`) },
        { ...axis, size: 48, values: (_u, vals) => vals.map((v) => compact(v)) },
      ],
      series: [{}, { label: `${title} (${unit})`, stroke: color, width: 1.5, fill: `${color}22`, points: { show: (u: uPlot) => (u.data[0]?.length ?? 0) < 3, size: 5 } }],
    };
    const plot = new uPlot(opts, [[], []], box);
    plotRef.current = plot;
    const ro = new ResizeObserver(() => plot.setSize({ width: Math.max(120, box.clientWidth), height: Math.max(80, box.clientHeight) }));
    ro.observe(box);
    return () => {
      ro.disconnect();
      plot.destroy();
      plotRef.current = null;
    };
  }, [title, unit, color]);

  useEffect(() => {
    plotRef.current?.setData([x.slice(), y.slice()]);
  }, [x, y, version]);

  return (
    <figure className="chart" data-testid={testId}>
      <figcaption>{title} <span className="unit">{unit}</span></figcaption>
      <div className="chart-box" ref={boxRef} />
    </figure>
  );
}

function compact(v: number): string {
  if (Math.abs(v) >= 1e6) return `${+(v / 1e6).toFixed(1)}M`;
  if (Math.abs(v) >= 1e3) return `${+(v / 1e3).toFixed(1)}k`;
  return `${+v.toFixed(2)}`;
}
