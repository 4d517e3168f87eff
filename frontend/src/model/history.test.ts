import { describe, expect, it } from "vitest";
import { canRedo, canUndo, createHistory, historyReducer, type History, type HistoryAction } from "./history";
import { emptyScene } from "./types";

const run = (actions: HistoryAction[]): History => actions.reduce(historyReducer, createHistory(emptyScene()));
const add = (id: string): Extract<HistoryAction, { type: "apply" }> => ({ type: "apply", change: { type: "node/add", node: { id, kind: "client", x: 0, y: 0, params: {} } } });

describe("history", () => {
  it("undoes and redoes user changes", () => {
    let h = run([add("a"), add("b")]);
    expect(h.present.nodes).toHaveLength(2);
    h = historyReducer(h, { type: "undo" });
    expect(h.present.nodes.map((n) => n.id)).toEqual(["a"]);
    expect(canRedo(h)).toBe(true);
    h = historyReducer(h, { type: "redo" });
    expect(h.present.nodes).toHaveLength(2);
    h = historyReducer(historyReducer(h, { type: "undo" }), add("c"));
    expect(canRedo(h)).toBe(false);
  });

  it("does not record remote changes", () => {
    const h = run([{ ...add("a"), source: "remote" }]);
    expect(h.present.nodes).toHaveLength(1);
    expect(canUndo(h)).toBe(false);
  });

  it("does not record no-op changes", () => {
    const h = run([add("a"), add("a")]);
    expect(h.past).toHaveLength(1);
  });

  it("folds a gesture into one step", () => {
    let h = run([add("a"), { type: "begin" }]);
    for (let x = 1; x <= 10; x++) h = historyReducer(h, { type: "apply", change: { type: "node/move", id: "a", x, y: x } });
    h = historyReducer(h, { type: "end" });
    expect(h.past).toHaveLength(2);
    h = historyReducer(h, { type: "undo" });
    expect(h.present.nodes[0]).toMatchObject({ x: 0, y: 0 });
  });

  it("an empty gesture leaves no step", () => {
    const h = run([add("a"), { type: "begin" }, { type: "end" }]);
    expect(h.past).toHaveLength(1);
  });

  it("coalesces keystrokes with the same key inside the window", () => {
    const param = (value: number, now: number): HistoryAction => ({
      type: "apply", change: { type: "node/param", id: "a", name: "rate_rps", value }, coalesce: "rate", now,
    });
    let h = run([add("a"), param(1, 1000), param(12, 1200), param(120, 1400)]);
    expect(h.past).toHaveLength(2);
    h = historyReducer(h, { type: "undo" });
    expect(h.present.nodes[0]!.params).toEqual({});
    h = run([add("a"), param(1, 1000), param(2, 5000)]);
    expect(h.past).toHaveLength(3);
  });
});
