// The sharing parts of the boot data: a moment link's replay and the embed flag.
import { isRecord } from "../model/serialize";

export interface ReplayBoot {
  runId: string;
  /** Simulated seconds to open at (already clamped by the server). */
  t: number;
  end: number;
  status: string;
  /** Why `t` differs from the link's, or "". */
  message: string;
}

export function readReplay(v: unknown): ReplayBoot | null {
  if (!isRecord(v) || typeof v.run_id !== "string") return null;
  const num = (x: unknown, d: number): number => (typeof x === "number" && Number.isFinite(x) ? x : d);
  return {
    runId: v.run_id, t: Math.max(0, num(v.t, 0)), end: num(v.end, 0),
    status: typeof v.status === "string" ? v.status : "", message: typeof v.message === "string" ? v.message : "",
  };
}

/** The address of the moment `t` (simulated seconds) of a run, on this origin. */
export function momentUrl(runId: string, t: number, origin: string = location.origin): string {
  const at = Math.max(0, Math.round(t * 10) / 10);
  return `${origin}/r/${encodeURIComponent(runId)}?t=${at.toFixed(1)}`;
}
