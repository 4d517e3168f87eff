import { describe, expect, it } from "vitest";
import type { Scene } from "../model/types";
import { LAYER_GAP, layoutChanges, layoutPositions } from "./autoLayout";

const node = (id: string) => ({ id, kind: "service", x: 0, y: 0, params: {} });
const edge = (id: string, source: string, target: string) => ({ id, source, target, params: {} });

describe("auto layout", () => {
  it("puts nodes in layers by longest path and spreads siblings", () => {
    const scene: Scene = {
      name: "s", faults: [], settings: {},
      nodes: ["c", "lb", "a", "b", "db"].map(node),
      edges: [edge("1", "c", "lb"), edge("2", "lb", "a"), edge("3", "lb", "b"), edge("4", "a", "db"), edge("5", "b", "db"), edge("6", "c", "db")],
    };
    const pos = layoutPositions(scene);
    expect(pos.get("c")!.x).toBe(0);
    expect(pos.get("lb")!.x).toBe(LAYER_GAP);
    expect(pos.get("a")!.x).toBe(2 * LAYER_GAP);
    expect(pos.get("db")!.x).toBe(3 * LAYER_GAP); // longest path, not the shortcut c -> db
    expect(pos.get("a")!.y).not.toBe(pos.get("b")!.y);
  });
  it("survives cycles and returns only real moves", () => {
    const scene: Scene = {
      name: "s", faults: [], settings: {},
      nodes: ["x", "y"].map(node), edges: [edge("1", "x", "y"), edge("2", "y", "x")],
    };
    const changes = layoutChanges(scene);
    expect(changes.length).toBeLessThanOrEqual(2);
    expect(layoutChanges({ ...scene, nodes: scene.nodes.map((n) => ({ ...n, ...layoutPositions(scene).get(n.id)! })) })).toEqual([]);
  });
});
