import { describe, expect, it } from "vitest";
import type { Scene } from "../model/types";
import { diagramSvg } from "./diagramSvg";

describe("diagram SVG export", () => {
  it("draws every node and edge and escapes labels", () => {
    const scene: Scene = {
      name: "a <b> & c", faults: [], settings: {},
      nodes: [
        { id: "u", kind: "client", label: "<script>x</script>", x: 0, y: 0, params: {} },
        { id: "s", kind: "service", x: 300, y: 100, params: {} },
      ],
      edges: [{ id: "e1", source: "u", target: "s", params: {} }],
    };
    const { svg, width, height } = diagramSvg(scene);
    expect(svg).not.toContain("<script>");
    expect(svg).toContain("&lt;script&gt;");
    expect(svg).toContain("a &lt;b&gt; &amp; c");
    expect(svg.match(/<line /g)).toHaveLength(1);
    expect(svg.match(/<g transform/g)).toHaveLength(2);
    expect(width).toBe(300 + 180 + 80);
    expect(height).toBe(100 + 64 + 80);
  });
});
