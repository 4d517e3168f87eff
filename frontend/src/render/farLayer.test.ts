import { describe, expect, it } from "vitest";
import { farScene } from "./FarLayer";
import { accentOf } from "../editor/icons";

describe("farScene", () => {
  it("draws a tile per node in its kind's colour and an edge from right side to left side", () => {
    const s = farScene([
      { id: "a", x: 0, y: 0, w: 100, h: 40, kind: "client", selected: false },
      { id: "b", x: 300, y: 100, w: 100, h: 40, kind: "service", selected: true },
    ], [{ source: "a", target: "b" }, { source: "a", target: "ghost" }]);
    expect(s.tiles.map((t) => [t.colour, t.selected])).toEqual([[accentOf("client"), false], [accentOf("service"), true]]);
    expect(s.lines).toEqual([[100, 20, 300, 120]]); // the edge to an unknown node is left out
  });
});
