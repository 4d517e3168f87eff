import { describe, expect, it } from "vitest";
import { fingerRows, fingerRuns, fingerStart, ringIndex, successorOf } from "./chordFingers";
import { chordView } from "./protocolViews";

// A 4-peer ring with m = 4 (16 ids): peers at ids 1, 5, 9, 14 (positions id / 16).
const ring = [1, 5, 9, 14].map((x) => x / 16);
// Peer 1: starts 2, 3, 5, 9 -> successors 5, 5, 5, 9: runs [0, 5/16, 3, 9/16].
const flat1 = [0, 5 / 16, 3, 9 / 16];

describe("finger tables", () => {
  it("computes starts as n + 2^i over the ring", () => {
    expect(fingerStart(1 / 16, 0, 4)).toBeCloseTo(2 / 16);
    expect(fingerStart(1 / 16, 3, 4)).toBeCloseTo(9 / 16);
    expect(fingerStart(14 / 16, 2, 4)).toBeCloseTo(2 / 16); // wraps round
  });
  it("expands runs to one row per finger whose successor is the true successor of its start", () => {
    const runs = fingerRuns(flat1, ring[0]!, 4)!;
    expect(runs.map((r) => [r.from, r.to])).toEqual([[0, 2], [3, 3]]);
    const rows = fingerRows(runs, ring[0]!, 4);
    expect(rows.map((r) => r.i)).toEqual([0, 1, 2, 3]);
    for (const r of rows) expect(r.succ).toBe(successorOf(ring, r.start));
  });
  it("rejects malformed lists", () => {
    expect(fingerRuns([0, 0.5, 1], 0, 4)).toBeNull();
    expect(fingerRuns([1, 0.5], 0, 4)).toBeNull(); // must start at finger 0
    expect(fingerRuns([0, 0.5, 0, 0.6], 0, 4)).toBeNull(); // not increasing
    expect(fingerRuns([0, 0.5, 9, 0.6], 0, 4)).toBeNull(); // past m
    expect(fingerRuns("x", 0, 4)).toBeNull();
  });
  it("finds successors and ring indexes, wrapping round", () => {
    expect(successorOf(ring, 15 / 16)).toBe(1 / 16);
    expect(successorOf(ring, 5 / 16)).toBe(5 / 16);
    expect(ringIndex(ring, 9 / 16)).toBe(2);
    expect(ringIndex(ring, 10 / 16)).toBe(-1);
  });
  it("chordView keeps fingers aligned with the ring", () => {
    const v = chordView({ chord: { ring, id_bits: 4, fingers: [flat1, [0, 9 / 16], "bad", [0, 1 / 16]], lookups: [] } })!;
    expect(v.bits).toBe(4);
    expect(v.fingers).toHaveLength(4);
    expect(v.fingers[0]!.map((r) => r.succ)).toEqual([5 / 16, 9 / 16]);
    expect(v.fingers[2]).toBeNull();
    expect(chordView({ chord: { ring, lookups: [] } })!.fingers).toEqual([null, null, null, null]);
  });
});
