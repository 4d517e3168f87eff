import { describe, expect, it } from "vitest";
import { applyChanges } from "../model/changes";
import type { Scene } from "../model/types";
import { copyOf, pasteChanges } from "./clipboard";

const scene: Scene = {
  name: "s", faults: [], settings: {},
  nodes: [
    { id: "client-1", kind: "client", x: 0, y: 0, params: { rate_rps: 5 } },
    { id: "service-1", kind: "service", x: 200, y: 0, params: {} },
    { id: "service-2", kind: "service", x: 400, y: 0, params: {} },
  ],
  edges: [
    { id: "e1", source: "client-1", target: "service-1", params: { latency_ms: 3 } },
    { id: "e2", source: "service-1", target: "service-2", params: {} },
  ],
};

describe("clipboard", () => {
  it("copies the selected nodes and only the edges between them", () => {
    const clip = copyOf(scene, { nodes: ["client-1", "service-1"], edges: [] });
    expect(clip?.nodes.map((n) => n.id)).toEqual(["client-1", "service-1"]);
    expect(clip?.edges.map((e) => e.id)).toEqual(["e1"]);
    expect(copyOf(scene, { nodes: [], edges: ["e1"] })).toBeNull();
  });

  it("pastes with fresh ids, remapped edges, offset positions and params kept", () => {
    const clip = copyOf(scene, { nodes: ["client-1", "service-1"], edges: [] })!;
    const { changes, selection } = pasteChanges(scene, clip);
    const out = applyChanges(scene, changes);
    expect(selection.nodes).toEqual(["client-2", "service-3"]);
    expect(selection.edges).toEqual(["e3"]);
    expect(out.nodes).toHaveLength(5);
    expect(out.edges.at(-1)).toEqual({ id: "e3", source: "client-2", target: "service-3", params: { latency_ms: 3 } });
    expect(out.nodes.find((n) => n.id === "client-2")).toMatchObject({ x: 30, y: 100, params: { rate_rps: 5 } });
  });
});
