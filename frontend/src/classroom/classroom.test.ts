import { describe, expect, it } from "vitest";
import { driftTolerance, expectedPlayhead, fitViewport, highlightCss, isRunId, selectionIn } from "./follow";
import { parseTour } from "./PresenterPanel";
import { HEARTBEAT_MS, PresenterSync, VIEWPORT_MS } from "./presenterSync";

function harness() {
  let now = 0;
  const sent: Record<string, unknown>[] = [];
  const record = (u: object): void => { sent.push({ ...u }); };
  const timers: { at: number; fn: () => void }[] = [];
  const sync = new PresenterSync({
    send: (u) => { record(u); return true; },
    now: () => now,
    wallNow: () => 1_700_000_000_000 + now,
    setTimer: (fn, ms) => { const t = { at: now + ms, fn }; timers.push(t); return t; },
    clearTimer: (h) => { timers.splice(timers.indexOf(h as { at: number; fn: () => void }), 1); },
  });
  const advance = (ms: number): void => {
    now += ms;
    for (const t of timers.filter((x) => x.at <= now)) {
      timers.splice(timers.indexOf(t), 1);
      t.fn();
    }
  };
  return { sync, sent, advance };
}

describe("PresenterSync", () => {
  it("throttles the viewport to one update per VIEWPORT_MS and always sends the last one", () => {
    const { sync, sent, advance } = harness();
    for (let i = 0; i < 30; i++) {
      sync.viewport({ x: i, y: 0, zoom: 1 });
      advance(10); // a pan at 100 Hz for 300 ms
    }
    advance(VIEWPORT_MS);
    const xs = sent.map((u) => (u.viewport as { x: number }).x);
    expect(xs.length).toBeLessThanOrEqual(300 / VIEWPORT_MS + 2);
    expect(xs[0]).toBe(0);
    expect(xs[xs.length - 1]).toBe(29);
    expect(sent.every((u) => typeof u.sent_at === "number")).toBe(true);
  });

  it("sends discrete changes at once and only when they change", () => {
    const { sync, sent } = harness();
    sync.discrete({ selection: ["a"] });
    sync.discrete({ selection: ["a"] });
    sync.discrete({ selection: ["a"], run: "r" });
    expect(sent.map(({ sent_at: _, ...u }) => u)).toEqual([{ selection: ["a"] }, { run: "r" }]);
  });

  it("sends the playhead on pause, speed and jumps, and as a heartbeat while playing", () => {
    const { sync, sent, advance } = harness();
    sync.playback({ playhead: 0, playing: true, speed: 1 });
    advance(500);
    sync.playback({ playhead: 0.5, playing: true, speed: 1 }); // on schedule: nothing
    expect(sent).toHaveLength(1);
    advance(HEARTBEAT_MS);
    sync.playback({ playhead: 2.5, playing: true, speed: 1 });
    expect(sent).toHaveLength(2);
    sync.playback({ playhead: 9, playing: true, speed: 1 }); // a seek
    sync.playback({ playhead: 9, playing: false, speed: 1 }); // pause
    sync.playback({ playhead: 9, playing: false, speed: 2 }); // speed
    sync.playback({ playhead: 9.1, playing: false, speed: 2 }); // a paused step
    expect(sent.map((u) => [u.playhead, u.playing, u.speed])).toEqual([
      [0, true, 1], [2.5, true, 1], [9, true, 1], [9, false, 1], [9, false, 2], [9.1, false, 2],
    ]);
  });

  it("resends everything after a reconnect", () => {
    const { sync, sent } = harness();
    sync.discrete({ selection: ["a"], scenario: "s" });
    sync.resend();
    expect(sent[1]).toMatchObject({ selection: ["a"], scenario: "s" });
  });
});

describe("follow rules", () => {
  it("copies the viewport on the same screen and keeps the centre on another", () => {
    expect(fitViewport({ x: 10, y: 20, zoom: 2, w: 800, h: 600 }, { w: 800, h: 600 })).toEqual({ x: 10, y: 20, zoom: 2 });
    expect(fitViewport({ x: 10, y: 20, zoom: 2 }, { w: 400, h: 300 })).toEqual({ x: 10, y: 20, zoom: 2 });
    const vp = fitViewport({ x: 0, y: 0, zoom: 1, w: 800, h: 600 }, { w: 400, h: 300 });
    expect(vp.zoom).toBeCloseTo(0.5);
    // The presenter's centre (400, 300) in flow coordinates lands at the student's centre.
    expect(400 * vp.zoom + vp.x).toBeCloseTo(200);
    expect(300 * vp.zoom + vp.y).toBeCloseTo(150);
  });

  it("extrapolates a playing presenter's playhead, capped, and holds a paused one", () => {
    expect(expectedPlayhead({ playhead: 3, playing: true, speed: 2 }, 1000, 2000)).toBe(5);
    expect(expectedPlayhead({ playhead: 3, playing: true, speed: 1 }, 0, 60_000)).toBe(8);
    expect(expectedPlayhead({ playhead: 3, playing: false, speed: 5 }, 0, 9000)).toBe(3);
    expect(expectedPlayhead({}, 0, 0)).toBeNull();
    expect(driftTolerance(1)).toBe(0.25);
    expect(driftTolerance(0.1)).toBe(0.2);
  });

  it("keeps ids that exist, checks run ids and quotes highlight selectors", () => {
    expect(selectionIn(["a", "e1", "gone"], new Set(["a"]), new Set(["e1"]))).toEqual({ nodes: ["a"], edges: ["e1"] });
    expect(isRunId("295ed741-a0b3-45d7-a8f4-4cdec82dfbd0")).toBe(true);
    expect(isRunId("../../api")).toBe(false);
    expect(highlightCss([])).toBe("");
    const css = highlightCss(["db", 'x"]{}body{color:red', "api-1"]);
    expect(css).toContain('[data-id="db"]');
    expect(css).toContain('[data-id="api-1"]');
    expect(css).not.toContain("color:red");
  });

  it("parses a tour or names the JSON problem", () => {
    expect(parseTour("  ")).toEqual({});
    expect(parseTour('[{"text": "a"}]')).toEqual({ tour: [{ text: "a" }] });
    expect(parseTour("[{]").error).toMatch(/^Tour: not valid JSON/);
  });
});
