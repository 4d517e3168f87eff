// Pure parts of the sweep dialog: reading the list of values a person typed, and laying out the
// chart (metric mean against the swept value, with 95% confidence-interval whiskers).
import type { SweepValue } from "../net/shareApi";

export type SweepInput = number | string | boolean;
export const MAX_VALUES = 50;
export const MAX_POINTS = 200;

/** "1, 2, 4" -> [1, 2, 4]; words stay strings ("round_robin"), true/false become booleans. */
export function parseValues(text: string): { values: SweepInput[] } | { error: string } {
  const parts = text.split(",").map((p) => p.trim());
  if (parts.every((p) => p === "")) return { error: "type at least one value, separated by commas" };
  const empty = parts.findIndex((p) => p === "");
  if (empty >= 0) return { error: `value ${empty + 1} is empty (two commas in a row?)` };
  if (parts.length > MAX_VALUES) return { error: `${parts.length} values is more than ${MAX_VALUES}` };
  const values = parts.map((p): SweepInput => {
    if (p === "true" || p === "false") return p === "true";
    const n = Number(p);
    return /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(p) && Number.isFinite(n) ? n : p;
  });
  const seen = new Set<string>();
  for (const v of values) {
    const key = JSON.stringify(v);
    if (seen.has(key)) return { error: `${String(v)} appears twice` };
    seen.add(key);
  }
  return { values };
}

/** The product limit the server enforces, checked before sending. */
export function pointsProblem(values: number, seeds: number): string | null {
  if (!Number.isInteger(seeds) || seeds < 1 || seeds > 50) return "seeds must be a whole number from 1 to 50";
  return values * seeds > MAX_POINTS ? `too many points: ${values} values × ${seeds} seeds = ${values * seeds} > ${MAX_POINTS}` : null;
}

export interface ChartPoint { x: number; y: number; lo: number; hi: number; label: string; mean: number; n: number }
export interface SweepChart { width: number; height: number; points: ChartPoint[]; yTicks: { y: number; label: string }[]; numeric: boolean }

const M = { left: 64, right: 16, top: 12, bottom: 36 };

/** Screen geometry for the finished values (n > 0); numbers on a linear x axis, others evenly. */
export function layoutSweep(values: readonly SweepValue[], width = 560, height = 260): SweepChart {
  const ready = values.filter((v) => v.n > 0 && v.mean !== null);
  const numeric = ready.length > 0 && ready.every((v) => typeof v.value === "number");
  const xs = ready.map((v, i) => (numeric ? (v.value as number) : i));
  const lows = ready.map((v) => v.ci95_low ?? v.mean!);
  const highs = ready.map((v) => v.ci95_high ?? v.mean!);
  let y0 = Math.min(0, ...lows);
  let y1 = Math.max(...highs, y0 + 1e-9);
  if (!Number.isFinite(y1)) y1 = 1;
  if (y1 === y0) y1 = y0 + 1;
  y1 += (y1 - y0) * 0.05;
  let x0 = Math.min(...xs);
  let x1 = Math.max(...xs);
  if (!(x1 > x0)) {
    x0 -= 1;
    x1 += 1;
  }
  const pad = numeric ? 0.05 * (x1 - x0) : 0.5;
  x0 -= pad;
  x1 += pad;
  const sx = (x: number): number => M.left + ((x - x0) / (x1 - x0)) * (width - M.left - M.right);
  const sy = (y: number): number => height - M.bottom - ((y - y0) / (y1 - y0)) * (height - M.top - M.bottom);
  const points = ready.map((v, i) => ({
    x: sx(xs[i]!), y: sy(v.mean!), lo: sy(lows[i]!), hi: sy(highs[i]!), label: String(v.value), mean: v.mean!, n: v.n,
  }));
  const yTicks = [0, 0.25, 0.5, 0.75, 1].map((f) => {
    const value = y0 + f * (y1 - y0);
    return { y: sy(value), label: formatNumber(value) };
  });
  return { width, height, points, yTicks, numeric };
}

export function formatNumber(v: number): string {
  if (Number.isInteger(v) && Math.abs(v) < 1e6) return String(v); // counts stay counts
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e5 || a < 1e-2)) return v.toExponential(2);
  return a >= 100 ? v.toFixed(0) : a >= 10 ? v.toFixed(1) : v.toFixed(2);
}
