import { describe, expect, it, vi } from "vitest";
import { decodeSessionMessage, END_CLOSE_CODE, type SessionServerMsg } from "./classroomProtocol";
import { SessionSocket, type SessionEnd } from "./sessionSocket";
import { FakeSocket, useFakeWebSocket } from "./fakeWebSocket";

const welcome = (role: string) => ({
  type: "welcome", role, code: "ABC234", scenario_id: "s1", state: { playhead: 2, selection: ["a"] },
  steps: 0, step: -1, step_content: null, revealed: {},
});

describe("SessionSocket", () => {
  useFakeWebSocket();

  it("says hello with the presenter token on every (re)connect", () => {
    const seen: SessionServerMsg[] = [];
    const s = new SessionSocket("ws://h/ws/sessions/ABC234", { message: (m) => seen.push(m) }, "tok",
      { baseMs: 500, maxMs: 4000, random: () => 1 });
    s.open();
    FakeSocket.all[0]!.open();
    expect(JSON.parse(FakeSocket.all[0]!.sent[0]!)).toEqual({ type: "hello", presenter_token: "tok" });
    expect(FakeSocket.all[0]!.url).not.toContain("tok");
    FakeSocket.all[0]!.receive(welcome("presenter"));
    expect(seen[0]?.type).toBe("welcome");
    FakeSocket.all[0]!.close(1006); // a dropped connection: back after the backoff
    vi.advanceTimersByTime(500);
    FakeSocket.all[1]!.open();
    expect(JSON.parse(FakeSocket.all[1]!.sent[0]!).type).toBe("hello");
    s.close();
  });

  it("stops for good when the session ends or the code is unknown", () => {
    for (const [code, why] of [[END_CLOSE_CODE, "ended"], [4404, "not-found"], [4403, "refused"]] as const) {
      FakeSocket.all = [];
      const over: SessionEnd[] = [];
      const s = new SessionSocket("ws://h/ws/sessions/X", { message: () => undefined, over: (w) => over.push(w) });
      s.open();
      FakeSocket.all[0]!.open();
      expect(FakeSocket.all[0]!.sent).toEqual([]); // a student says nothing on connect
      FakeSocket.all[0]!.close(code);
      vi.advanceTimersByTime(60_000);
      expect(FakeSocket.all).toHaveLength(1);
      expect(over).toEqual([why]);
      expect(s.send({ type: "ping" })).toBe(false);
    }
  });
});

describe("decodeSessionMessage", () => {
  it("keeps the fields it knows and drops malformed messages", () => {
    const w = decodeSessionMessage(JSON.stringify({ ...welcome("student"), state: { viewport: { x: 1, y: 2, zoom: 1, w: 800, h: 600 }, run: null, playing: true, secret: 1 } }));
    expect(w).toMatchObject({ type: "welcome", role: "student", state: { viewport: { x: 1, y: 2, zoom: 1, w: 800, h: 600 }, run: null, playing: true } });
    expect((w as unknown as { state: Record<string, unknown> }).state.secret).toBeUndefined();
    expect(decodeSessionMessage("not json")).toBeNull();
    expect(decodeSessionMessage(JSON.stringify({ ...welcome("admin") }))).toBeNull();
    expect(decodeSessionMessage(JSON.stringify({ type: "audience", count: "3" }))).toBeNull();
    expect(decodeSessionMessage(JSON.stringify({ type: "reveal", step: 1, tally: [0, 2], total: 2, answer: 1 })))
      .toEqual({ type: "reveal", step: 1, tally: [0, 2], total: 2, answer: 1 });
    expect(decodeSessionMessage(JSON.stringify({ type: "reveal", step: 1, tally: ["x"], total: 2 }))).toBeNull();
    const step = decodeSessionMessage(JSON.stringify({
      type: "step", step: 0, content: { text: "t", highlight: ["db"], action: { fault: { action: "crash", node: "@leader" } }, question: { prompt: "p", choices: ["a", "b"] } },
    }));
    expect(step).toMatchObject({ content: { highlight: ["db"], action: { fault: { node: "@leader" } }, question: { choices: ["a", "b"] } } });
    expect(decodeSessionMessage(JSON.stringify({ type: "ended", code: "ABC234" }))).toEqual({ type: "ended", code: "ABC234" });
    expect(decodeSessionMessage(JSON.stringify({ type: "mystery" }))).toBeNull();
  });
});
