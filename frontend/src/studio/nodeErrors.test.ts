import { describe, expect, it } from "vitest";
import { nodeErrorsOf } from "./nodeErrors";

describe("nodeErrorsOf", () => {
  it("maps details to node ids by name or by index into the sent scenario", () => {
    const m = nodeErrorsOf({
      message: "node 'api-1': params.workers: must be >= 1",
      details: [
        { loc: "nodes[1].params.workers", node: "api-1", msg: "must be >= 1" },
        { loc: "nodes[0].params.rate_rps", node: null, msg: "too high" },
        { loc: "settings.warmup_s", node: null, msg: "must be < duration" },
      ],
    }, ["users", "api-1"]);
    expect([...m]).toEqual([["api-1", "must be >= 1"], ["users", "too high"]]);
    expect(nodeErrorsOf(null, []).size).toBe(0);
  });
});
