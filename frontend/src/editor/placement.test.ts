import { describe, expect, it } from "vitest";
import { applyChange } from "../model/changes";
import { emptyScene, type Scene } from "../model/types";
import { freeSpot } from "./placement";

const withNode = (s: Scene, id: string, x: number, y: number): Scene =>
  applyChange(s, { type: "node/add", node: { id, kind: "service", x, y, params: {} } });

describe("freeSpot", () => {
  it("keeps a free spot and steps right of an occupied one", () => {
    expect(freeSpot(emptyScene(), { x: 10, y: 20 })).toEqual({ x: 10, y: 20 });
    const one = withNode(emptyScene(), "a", 0, 0);
    const p = freeSpot(one, { x: 0, y: 0 });
    expect(p.x).toBeGreaterThan(168);
    expect(p.y).toBe(0);
    const two = withNode(one, "b", p.x, p.y);
    const q = freeSpot(two, { x: 0, y: 0 });
    expect(q.x).toBeGreaterThan(p.x);
    expect(q.y).toBe(0);
  });
});
