import { describe, expect, it } from "vitest";
import { fromScenario, ScenarioParseError, toScenario } from "./serialize";

const sample = {
  format: "topolab/1",
  name: "Load-balanced web tier",
  nodes: [
    { id: "users", kind: "client", label: "Browsers", x: 80, y: 200, params: { rate_rps: 320, arrival: "poisson" } },
    { id: "lb", kind: "load_balancer", params: { strategy: "round_robin" } },
    { id: "r1", kind: "raft_server", x: 1, y: 2, params: { election_timeout_ms: [150, 300] } },
  ],
  edges: [{ id: "e1", source: "users", target: "lb", params: { latency_ms: 0 } }],
  faults: [{ at_s: 30, action: "crash", node: "lb" }],
  settings: { duration_s: 60, warmup_s: 5, seed: 42 },
};

describe("serialize", () => {
  it("round-trips a scenario", () => {
    const out = toScenario(fromScenario(sample));
    expect(out.format).toBe("topolab/1");
    expect(out.nodes[0]).toEqual(sample.nodes[0]);
    expect(out.nodes[2]!.params).toEqual({ election_timeout_ms: [150, 300] });
    expect(out.edges).toEqual(sample.edges);
    expect(out.faults).toEqual(sample.faults);
    expect(out.settings).toEqual(sample.settings);
    expect(toScenario(fromScenario(out))).toEqual(out);
  });

  it("places nodes without coordinates and keeps the label out when empty", () => {
    const out = toScenario(fromScenario(sample));
    expect(typeof out.nodes[1]!.x).toBe("number");
    expect("label" in out.nodes[1]!).toBe(false);
  });

  it("rejects what is not a scenario", () => {
    expect(() => fromScenario([])).toThrow(ScenarioParseError);
    expect(() => fromScenario({ nodes: [{ kind: "client" }] })).toThrow(/nodes\[0\]/);
  });
});
