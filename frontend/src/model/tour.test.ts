import { describe, expect, it } from "vitest";
import { applyChange, applyChanges } from "./changes";
import { createHistory, historyReducer } from "./history";
import { fromScenario, toScenario } from "./serialize";
import { actionText, pruneTour } from "./tour";
import { emptyScene, type Scene } from "./types";
import type { Change } from "./changes";

/** Changes through the undo history as the studio applies them (user source). */
function applyToHistoryForTest(scene: Scene, edits: Array<{ change: Change; coalesce?: string }>) {
  let h = createHistory(scene);
  let now = 1000;
  for (const e of edits) {
    now += 100;
    h = historyReducer(h, { type: "apply", change: e.change, now, ...(e.coalesce ? { coalesce: e.coalesce } : {}) });
  }
  return { steps: h.past.length, present: h.present };
}

const base = (): Scene => applyChanges(emptyScene(), [
  { type: "node/add", node: { id: "users", kind: "client", x: 0, y: 0, params: {} } },
  { type: "node/add", node: { id: "api", kind: "service", x: 200, y: 0, params: {} } },
  { type: "node/add", node: { id: "db", kind: "service", x: 400, y: 0, params: {} } },
  { type: "edge/add", edge: { id: "e1", source: "users", target: "api", params: {} } },
  { type: "edge/add", edge: { id: "e2", source: "api", target: "db", params: {} } },
]);

const toured = (): Scene => applyChanges(base(), [
  { type: "tour/add", step: { text: "Look at the API.", highlight: ["api"] } },
  { type: "tour/add", step: { text: "Run to 5 s.", highlight: [], action: { run_to: 5 } } },
  { type: "tour/add", step: { text: "Crash the DB.", highlight: ["db", "api"], action: { fault: { action: "crash", node: "db" } },
    question: { prompt: "p99 will…", choices: ["fall", "rise"], answer: 1 } } },
]);

describe("tour changes", () => {
  it("adds, moves, patches and removes steps without mutating the scene", () => {
    const before = base();
    const s = toured();
    expect(before.tour).toBeUndefined();
    expect(s.tour?.map((t) => t.text)).toEqual(["Look at the API.", "Run to 5 s.", "Crash the DB."]);
    const moved = applyChange(s, { type: "tour/move", from: 2, to: 0 });
    expect(moved.tour?.map((t) => t.text)).toEqual(["Crash the DB.", "Look at the API.", "Run to 5 s."]);
    expect(s.tour?.[0]?.text).toBe("Look at the API.");
    const inserted = applyChange(s, { type: "tour/add", step: { text: "Between", highlight: [] }, at: 1 });
    expect(inserted.tour?.[1]?.text).toBe("Between");
    const patched = applyChange(s, { type: "tour/step", index: 0, patch: { text: "New", highlight: ["users", "users", "db"] } });
    expect(patched.tour?.[0]).toEqual({ text: "New", highlight: ["users", "db"] });
    const noQuestion = applyChange(s, { type: "tour/step", index: 2, patch: { question: null, action: { run_to: 2 } } });
    expect(noQuestion.tour?.[2]).toEqual({ text: "Crash the DB.", highlight: ["db", "api"], action: { run_to: 2 } });
    const removed = applyChanges(s, [{ type: "tour/remove", index: 0 }, { type: "tour/remove", index: 0 }, { type: "tour/remove", index: 0 }]);
    expect(removed.tour).toBeUndefined();
    expect(toScenario(removed)).not.toHaveProperty("tour");
  });

  it("returns the same scene when nothing changes", () => {
    const s = toured();
    expect(applyChange(s, { type: "tour/move", from: 1, to: 1 })).toBe(s);
    expect(applyChange(s, { type: "tour/move", from: 0, to: 9 })).toBe(s);
    expect(applyChange(s, { type: "tour/remove", index: 7 })).toBe(s);
    expect(applyChange(s, { type: "tour/step", index: 0, patch: { text: "Look at the API." } })).toBe(s);
    expect(applyChange(s, { type: "tour/step", index: 5, patch: { text: "x" } })).toBe(s);
  });

  it("forgets removed nodes and edges: highlights pruned, actions on them dropped", () => {
    const s = applyChange(toured(), { type: "tour/add", step: { text: "Cut", highlight: [], action: { fault: { action: "cut", edge: "e2" } } } });
    const after = applyChange(s, { type: "remove", nodes: ["db"], edges: [] });
    expect(after.tour?.[2]).toEqual({ text: "Crash the DB.", highlight: ["api"], question: { prompt: "p99 will…", choices: ["fall", "rise"], answer: 1 } });
    expect(after.tour?.[3]).toEqual({ text: "Cut", highlight: [] });
    const leader = [{ text: "x", highlight: [], action: { fault: { action: "crash", node: "@leader" } } }] as const;
    expect(pruneTour(leader, new Set(), new Set())).toBe(leader);
  });

  it("is one undo step per edit, and typing coalesces", () => {
    const { steps, present } = applyToHistoryForTest(toured(), [
      { change: { type: "tour/step", index: 0, patch: { text: "L" } }, coalesce: "tour:0:text" },
      { change: { type: "tour/step", index: 0, patch: { text: "Lo" } }, coalesce: "tour:0:text" },
      { change: { type: "tour/move", from: 0, to: 1 } },
    ]);
    expect(steps).toBe(2);
    expect(present.tour?.[1]?.text).toBe("Lo");
  });

  it("describes actions in one line", () => {
    expect(actionText({ run_to: 5 })).toBe("Runs to 5 s");
    expect(actionText({ fault: { action: "crash", node: "@leader" } })).toBe("crash @leader");
    expect(actionText(undefined)).toBeNull();
  });
});

describe("tour serialisation", () => {
  it("round-trips through toScenario / fromScenario", () => {
    const s = toured();
    const json = toScenario(s);
    expect(json.tour).toEqual([
      { text: "Look at the API.", highlight: ["api"] },
      { text: "Run to 5 s.", highlight: [], action: { run_to: 5 } },
      { text: "Crash the DB.", highlight: ["db", "api"], action: { fault: { action: "crash", node: "db" } },
        question: { prompt: "p99 will…", choices: ["fall", "rise"], answer: 1 } },
    ]);
    expect(fromScenario(JSON.parse(JSON.stringify(json)))).toEqual(s);
    expect(JSON.stringify(toScenario(fromScenario(json)))).toBe(JSON.stringify(json));
  });

  it("reads leniently: drops steps without text, keeps only typed fields", () => {
    const scene = fromScenario({
      format: "topolab/1", nodes: [], edges: [],
      tour: [{ text: "ok", highlight: ["a", 3], action: { run_to: "5" }, question: { prompt: "p", choices: ["x", 2], answer: 0.5 } },
        { highlight: ["a"] }, "junk", { text: "f", action: { fault: { action: "crash", node: "a" } } }],
    });
    expect(scene.tour).toEqual([
      { text: "ok", highlight: ["a"], question: { prompt: "p", choices: ["x"] } },
      { text: "f", highlight: [], action: { fault: { action: "crash", node: "a" } } },
    ]);
    expect(fromScenario({ format: "topolab/1", nodes: [], edges: [], tour: "no" }).tour).toBeUndefined();
  });
});
