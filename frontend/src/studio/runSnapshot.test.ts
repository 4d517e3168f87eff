import { describe, expect, it } from "vitest";
import type { MetricsMsg } from "../net/protocol";
import type { Released } from "../playback/timeline";
import { ProtocolMemory } from "../views/protocolViews";
import { foldRelease, type RunSnapshot } from "./runSnapshot";

const metrics = (t: number, rps: number): MetricsMsg => ({
  type: "metrics", run_id: "r", seq: t, t, window_s: 1, throughput_rps: rps,
  latency_ms: { mean: 1, p50: 1, p95: 2, p99: 3 * t }, requests: 10 * t, completed: 10 * t, failed: t,
});

const released = (over: Partial<Released>): Released => ({ events: [], metrics: [], nodes: null, protocols: null, done: null, ...over });

const run = { seriesVersion: 7, nodeIds: ["a", "b"], nodeRefs: [{ id: "a", kind: "server" }, { id: "b", kind: "server" }], memory: new ProtocolMemory() };

describe("foldRelease", () => {
  it("keeps the last metrics of the release and leaves the rest of the patch alone", () => {
    const patch: Partial<RunSnapshot> = { tracesVersion: 2 };
    foldRelease(patch, released({ metrics: [metrics(1, 5), metrics(2, 9)] }), run);
    expect(patch).toEqual({ tracesVersion: 2, throughput: 9, p99: 6, requests: 20, failed: 2, seriesVersion: 7 });
  });

  it("maps node columns to the run's node ids, with roles from the protocols", () => {
    const patch: Partial<RunSnapshot> = {};
    const protocols = { raft: { role: ["leader", "follower"] } };
    foldRelease(patch, released({ nodes: { q: [3], busy: [1, 0], up: [1, 0] }, protocols }), run);
    expect([...patch.nodeStates!]).toEqual([
      ["a", { q: 3, busy: 1, up: true, role: "leader" }],
      ["b", { q: 0, busy: 0, up: false, role: "follower" }],
    ]);
    expect(patch.protocols).toEqual(protocols);
    expect(patch.phase).toBeUndefined();
  });
});
