import { describe, expect, it } from "vitest";
import { centres, frameTimes, segmentProblem } from "./animation";
import { editTokenFromHash, forkedUrl, hashWithoutToken } from "./editRights";
import { guardEdits } from "./readOnly";
import { momentUrl, readReplay } from "./shareBoot";
import { formatNumber, layoutSweep, parseValues, pointsProblem } from "./sweepModel";
import type { Change } from "../model/changes";
import { emptyScene } from "../model/types";
import { saveScenario } from "../studio/save";

const TOKEN = "abcdefghijklmnopqrstuvwxyz012345_-AB";

describe("edit token in the fragment", () => {
  it("is read from #edit= and nothing else", () => {
    expect(editTokenFromHash(`#edit=${TOKEN}`)).toBe(TOKEN);
    expect(editTokenFromHash(`#x=1&edit=${TOKEN}`)).toBe(TOKEN);
    expect(editTokenFromHash("#edit=short")).toBeNull();
    expect(editTokenFromHash("#edit=<script>alert(1)</script>xxxxxxxx")).toBeNull();
    expect(editTokenFromHash("")).toBeNull();
  });
  it("is stripped, keeping other fragment keys", () => {
    expect(hashWithoutToken(`#edit=${TOKEN}`)).toBe("");
    expect(hashWithoutToken(`#x=1&edit=${TOKEN}`)).toBe("#x=1");
  });
  it("travels in the fragment of a fork's address, never the query", () => {
    const url = forkedUrl("/s/abc", TOKEN);
    expect(url).toBe(`/s/abc#edit=${TOKEN}`);
    expect(new URL(url, "http://x").search).toBe("");
  });
});

describe("moment links", () => {
  it("reads the replay boot defensively", () => {
    expect(readReplay(null)).toBeNull();
    expect(readReplay({ run_id: "r", t: 12.5, end: 60, status: "done", message: "" }))
      .toEqual({ runId: "r", t: 12.5, end: 60, status: "done", message: "" });
    expect(readReplay({ run_id: "r", t: "x", end: null })).toMatchObject({ t: 0, end: 0, message: "" });
    expect(readReplay({ run_id: "r", t: -4 })?.t).toBe(0);
  });
  it("rounds the moment to a tenth of a second", () => {
    expect(momentUrl("abc", 12.46, "http://h")).toBe("http://h/r/abc?t=12.5");
    expect(momentUrl("abc", 0, "http://h")).toBe("http://h/r/abc?t=0.0");
  });
});

describe("read-only guard", () => {
  it("drops edits but lets a whole new scene in", () => {
    const seen: Change[] = [];
    const apply = guardEdits((c) => seen.push(c), true);
    apply({ type: "scene/name", name: "x" });
    apply({ type: "scene/replace", scene: emptyScene() });
    expect(seen.map((c) => c.type)).toEqual(["scene/replace"]);
    const open = guardEdits((c) => seen.push(c), false);
    open({ type: "scene/name", name: "y" });
    expect(seen).toHaveLength(2);
  });
  it("never saves (or copies) a read-only scenario: runs use it as stored", async () => {
    const state = { id: "s1", shareUrl: "/s/x", canEdit: false, savedText: null, readOnly: true };
    await expect(saveScenario(state, { format: "topolab/1", name: "n", nodes: [], edges: [], settings: {} } as never)).resolves.toBe(state);
  });
});

describe("animation segments", () => {
  it("checks the segment against the run and the frame budget", () => {
    expect(segmentProblem({ t0: 0, t1: 5, fps: 12, speed: 1 }, 10)).toBeNull();
    expect(segmentProblem({ t0: 5, t1: 5, fps: 12, speed: 1 }, 10)).toMatch(/end after it starts/);
    expect(segmentProblem({ t0: 0, t1: 11, fps: 12, speed: 1 }, 10)).toMatch(/ends at 10.0 s/);
    expect(segmentProblem({ t0: -1, t1: 2, fps: 12, speed: 1 }, 10)).toMatch(/before 0/);
    expect(segmentProblem({ t0: 0, t1: 10, fps: 30, speed: 0.1 }, 10)).toMatch(/3000 frames is more than 600/);
    expect(segmentProblem({ t0: 0, t1: NaN, fps: 12, speed: 1 }, 10)).toMatch(/numbers/);
  });
  it("spaces frames by speed / fps", () => {
    expect(frameTimes({ t0: 2, t1: 4, fps: 2, speed: 1 })).toEqual([2, 2.5, 3, 3.5]);
    expect(frameTimes({ t0: 0, t1: 10, fps: 1, speed: 5 })).toEqual([0, 5]);
  });
  it("puts node centres where diagramSvg draws the cards", () => {
    const scene = { ...emptyScene(), nodes: [{ id: "a", kind: "client", x: 100, y: 50, params: {} }, { id: "b", kind: "service", x: 400, y: 50, params: {} }] };
    const c = centres(scene as never);
    expect(c.get("a")).toEqual({ x: 40 + 90, y: 40 + 32 });
    expect(c.get("b")).toEqual({ x: 340 + 90, y: 40 + 32 });
  });
});

describe("sweep form and chart", () => {
  it("parses values and names what is wrong", () => {
    expect(parseValues("1, 2, 4.5")).toEqual({ values: [1, 2, 4.5] });
    expect(parseValues("round_robin, random, true")).toEqual({ values: ["round_robin", "random", true] });
    expect(parseValues(" ")).toEqual({ error: "type at least one value, separated by commas" });
    expect(parseValues("1,,2")).toEqual({ error: "value 2 is empty (two commas in a row?)" });
    expect(parseValues("1, 2, 1")).toEqual({ error: "1 appears twice" });
    expect(parseValues(Array.from({ length: 51 }, (_, i) => i).join(","))).toEqual({ error: "51 values is more than 50" });
  });
  it("formats counts as counts and the rest to about three figures", () => {
    expect([formatNumber(811), formatNumber(0), formatNumber(14.98), formatNumber(0.0162), formatNumber(-0.00803), formatNumber(1234.5)])
      .toEqual(["811", "0", "15.0", "0.02", "-8.03e-3", "1235"]);
  });
  it("checks the points limit like the server", () => {
    expect(pointsProblem(20, 11)).toBe("too many points: 20 values × 11 seeds = 220 > 200");
    expect(pointsProblem(4, 3)).toBeNull();
    expect(pointsProblem(4, 0)).toMatch(/seeds/);
  });
  it("lays out means with whiskers on a linear axis, lower values higher on screen", () => {
    const v = (value: number, mean: number, lo: number, hi: number) =>
      ({ value, n: 3, mean, std: 1, ci95_low: lo, ci95_high: hi, done: 3, errors: [] });
    const c = layoutSweep([v(1, 100, 80, 120), v(2, 50, 45, 55), v(4, 10, 9, 11), { ...v(8, 0, 0, 0), n: 0, mean: null }]);
    expect(c.points).toHaveLength(3);
    expect(c.numeric).toBe(true);
    const [p1, p2, p4] = c.points;
    expect(p1!.y).toBeLessThan(p2!.y); // larger mean is higher up
    expect(p1!.hi).toBeLessThan(p1!.y);
    expect(p1!.lo).toBeGreaterThan(p1!.y);
    // linear x: the gap 2 -> 4 is twice the gap 1 -> 2
    expect((p4!.x - p2!.x) / (p2!.x - p1!.x)).toBeCloseTo(2, 6);
  });
});
