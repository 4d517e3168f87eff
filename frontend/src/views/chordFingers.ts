// Chord finger tables as the engine sends them (apps/engine/patterns/chord_view.py): per ring
// peer a flat [i, target, i', target', ...] list of the fingers where the target changes.
// Finger i of the peer at position n points to the successor of n + 2^i (positions are ids over
// 2^m, so the start is (n + 2^i / 2^m) mod 1). Pure and defensive.

/** One run of fingers sharing a target: fingers `from`..`to` (inclusive). */
export interface FingerRun { from: number; to: number; start: number; succ: number }

const isNum = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

/** Where finger i of the peer at `pos` starts: (pos + 2^i / 2^m) mod 1. */
export function fingerStart(pos: number, i: number, bits: number): number {
  return (pos + 2 ** (i - bits)) % 1;
}

/** The runs of one peer's finger table, or null when the list is malformed. */
export function fingerRuns(flat: unknown, pos: number, bits: number): FingerRun[] | null {
  if (!Array.isArray(flat) || flat.length % 2 !== 0 || !flat.every(isNum) || !(bits >= 1)) return null;
  const runs: FingerRun[] = [];
  for (let k = 0; k < flat.length; k += 2) {
    const from = flat[k]!;
    const next = k + 2 < flat.length ? flat[k + 2]! : bits;
    if (!Number.isInteger(from) || from < 0 || next <= from || next > bits) return null;
    if (k === 0 && from !== 0) return null;
    runs.push({ from, to: next - 1, start: fingerStart(pos, from, bits), succ: flat[k + 1]! });
  }
  return runs;
}

/** Every finger i = 0..m-1 with its start and successor (the runs expanded). */
export function fingerRows(runs: readonly FingerRun[], pos: number, bits: number): { i: number; start: number; succ: number }[] {
  const out: { i: number; start: number; succ: number }[] = [];
  for (const r of runs) for (let i = r.from; i <= r.to; i++) out.push({ i, start: fingerStart(pos, i, bits), succ: r.succ });
  return out;
}

/** The true successor of `key` among sorted ring positions (the first at or after it, wrapping). */
export function successorOf(ring: readonly number[], key: number): number | null {
  if (ring.length === 0) return null;
  let lo = 0;
  let hi = ring.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ring[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return ring[lo % ring.length]!;
}

/** Index of `pos` in the sorted ring (exact match within rounding), or -1. */
export function ringIndex(ring: readonly number[], pos: number): number {
  const s = successorOf(ring, pos - 1e-9);
  if (s === null || Math.abs(s - pos) > 1e-9) return -1;
  let lo = 0;
  let hi = ring.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ring[mid]! < s) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
