import { describe, expect, it } from "vitest";
import { applyChange, applyChanges } from "./changes";
import { nextEdgeId, nextNodeId, isValidId } from "./ids";
import { emptyScene, type Scene } from "./types";

const twoNodes = (): Scene => applyChanges(emptyScene(), [
  { type: "node/add", node: { id: "client-1", kind: "client", x: 0, y: 0, params: { rate_rps: 10 } } },
  { type: "node/add", node: { id: "service-1", kind: "service", x: 200, y: 0, params: {} } },
  { type: "edge/add", edge: { id: "e1", source: "client-1", target: "service-1", params: {} } },
]);

describe("applyChange", () => {
  it("adds nodes and edges without mutating the input", () => {
    const before = emptyScene();
    const after = applyChange(before, { type: "node/add", node: { id: "a", kind: "client", x: 1, y: 2, params: {} } });
    expect(before.nodes).toHaveLength(0);
    expect(after.nodes.map((n) => n.id)).toEqual(["a"]);
  });

  it("returns the same scene when nothing changes", () => {
    const s = twoNodes();
    expect(applyChange(s, { type: "node/move", id: "client-1", x: 0, y: 0 })).toBe(s);
    expect(applyChange(s, { type: "node/param", id: "client-1", name: "rate_rps", value: 10 })).toBe(s);
    expect(applyChange(s, { type: "node/move", id: "nope", x: 5, y: 5 })).toBe(s);
    expect(applyChange(s, { type: "node/add", node: { id: "client-1", kind: "client", x: 0, y: 0, params: {} } })).toBe(s);
  });

  it("rejects self loops, dangling and duplicate edges", () => {
    const s = twoNodes();
    expect(applyChange(s, { type: "edge/add", edge: { id: "e2", source: "client-1", target: "client-1", params: {} } })).toBe(s);
    expect(applyChange(s, { type: "edge/add", edge: { id: "e2", source: "client-1", target: "ghost", params: {} } })).toBe(s);
    expect(applyChange(s, { type: "edge/add", edge: { id: "e2", source: "client-1", target: "service-1", params: {} } })).toBe(s);
    const back = applyChange(s, { type: "edge/add", edge: { id: "e2", source: "service-1", target: "client-1", params: {} } });
    expect(back.edges).toHaveLength(2);
  });

  it("sets and clears params, labels and settings", () => {
    let s = applyChange(twoNodes(), { type: "node/param", id: "service-1", name: "workers", value: 4 });
    expect(s.nodes[1]!.params).toEqual({ workers: 4 });
    s = applyChange(s, { type: "node/param", id: "service-1", name: "workers", value: undefined });
    expect(s.nodes[1]!.params).toEqual({});
    s = applyChange(s, { type: "node/label", id: "client-1", label: "Browsers" });
    expect(s.nodes[0]!.label).toBe("Browsers");
    s = applyChange(s, { type: "node/label", id: "client-1", label: "" });
    expect("label" in s.nodes[0]!).toBe(false);
    s = applyChange(s, { type: "edge/param", id: "e1", name: "latency_ms", value: 5 });
    expect(s.edges[0]!.params).toEqual({ latency_ms: 5 });
    s = applyChange(s, { type: "scene/setting", name: "duration_s", value: 10 });
    expect(s.settings.duration_s).toBe(10);
  });

  it("removing a node removes its edges and the faults naming them", () => {
    const s = applyChange(twoNodes(), { type: "scene/faults", faults: [{ at_s: 1, action: "crash", node: "service-1" }, { at_s: 2, action: "cut", edge: "e1" }, { at_s: 3, action: "heal" }] });
    const after = applyChange(s, { type: "remove", nodes: ["service-1"], edges: [] });
    expect(after.nodes.map((n) => n.id)).toEqual(["client-1"]);
    expect(after.edges).toEqual([]);
    expect(after.faults).toEqual([{ at_s: 3, action: "heal" }]);
  });
});

describe("ids", () => {
  it("numbers nodes per kind and edges globally", () => {
    const s = twoNodes();
    expect(nextNodeId(s, "client")).toBe("client-2");
    expect(nextNodeId(s, "cache")).toBe("cache-1");
    expect(nextEdgeId(s)).toBe("e2");
    expect(isValidId(nextNodeId(s, "load_balancer"))).toBe(true);
    expect(isValidId("bad id")).toBe(false);
    expect(isValidId("x".repeat(65))).toBe(false);
  });
});
