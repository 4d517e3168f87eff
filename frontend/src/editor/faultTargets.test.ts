import { describe, expect, it } from "vitest";
import { faultTargets, LEADER } from "./faultTargets";
import { emptyScene, type Scene } from "../model/types";

const scene = (kinds: string[]): Scene => ({
  ...emptyScene(),
  nodes: kinds.map((kind, i) => ({ id: `n${i}`, kind, x: 0, y: 0, params: {} })),
  edges: [{ id: "e1", source: "n0", target: "n1", params: {} }],
});

describe("faultTargets", () => {
  it("offers @leader first in a consensus scenario", () => {
    expect(faultTargets("crash", LEADER, scene(["client", "raft_server"]))).toEqual([LEADER, "n0", "n1"]);
  });
  it("keeps a saved @leader selectable even without a consensus kind", () => {
    expect(faultTargets("restart", LEADER, scene(["client", "service"]))[0]).toBe(LEADER);
  });
  it("offers only nodes elsewhere, and edges for cut/restore", () => {
    expect(faultTargets("crash", "n1", scene(["client", "service"]))).toEqual(["n0", "n1"]);
    expect(faultTargets("cut", "e1", scene(["client", "raft_server"]))).toEqual(["e1"]);
  });
});
