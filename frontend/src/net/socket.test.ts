import { describe, expect, it, vi } from "vitest";
import { SeqBuffer } from "../playback/seqbuffer";
import { isLogged, type ServerMsg } from "./protocol";
import { RunSocket } from "./socket";
import { FakeSocket, useFakeWebSocket } from "./fakeWebSocket";

const progress = (seq: number) => ({ type: "progress", run_id: "r", seq, sim_time_s: seq, duration_s: 10, events: seq });
const done = (seq: number) => ({
  type: "done", run_id: "r", seq, status: "done",
  result: { summary: { latency_ms: { mean: 0, p50: 0, p95: 0, p99: 0, max: 0 } } },
});

function sinkWith(buffer: SeqBuffer, seen: ServerMsg[]) {
  return {
    lastSeq: () => buffer.lastSeq,
    accept: (m: ServerMsg) => {
      seen.push(m);
      return isLogged(m) ? buffer.push(m) : ("unlogged" as const);
    },
  };
}

describe("RunSocket", () => {
  useFakeWebSocket();

  it("asks for a resync after the last contiguous seq when a gap shows", () => {
    const buffer = new SeqBuffer();
    const s = new RunSocket("ws://h/ws/runs/r", sinkWith(buffer, []));
    s.open();
    const ws = FakeSocket.all[0]!;
    expect(ws.url).toBe("ws://h/ws/runs/r?after=0&batch=1");
    ws.open();
    ws.receive(progress(1));
    ws.receive(progress(3));
    expect(ws.sent.map((t) => JSON.parse(t))).toEqual([{ type: "resync", after: 1 }]);
    ws.receive(progress(2));
    expect(buffer.lastSeq).toBe(3);
    s.close();
  });

  it("reconnects with backoff, resuming after the last seq, and stops when the run is done", () => {
    const buffer = new SeqBuffer();
    const s = new RunSocket("ws://h/ws/runs/r", sinkWith(buffer, []), { baseMs: 500, maxMs: 4000, random: () => 1 });
    s.open();
    FakeSocket.all[0]!.open();
    FakeSocket.all[0]!.receive(progress(1));
    FakeSocket.all[0]!.receive(progress(2));
    FakeSocket.all[0]!.close(1006); // dropped
    expect(FakeSocket.all).toHaveLength(1);
    vi.advanceTimersByTime(499);
    expect(FakeSocket.all).toHaveLength(1);
    vi.advanceTimersByTime(1);
    const second = FakeSocket.all[1]!;
    expect(second.url).toBe("ws://h/ws/runs/r?after=2&batch=1");
    second.open();
    second.receive(progress(2)); // a replayed duplicate is dropped by the buffer
    second.receive(done(3));
    expect(buffer.lastSeq).toBe(3);
    expect(second.readyState).toBe(3);
    vi.advanceTimersByTime(60_000);
    expect(FakeSocket.all).toHaveLength(2);
    expect(s.reconnects).toBe(1);
  });

  it("does not reconnect after close()", () => {
    const s = new RunSocket("ws://h/ws/runs/r", sinkWith(new SeqBuffer(), []));
    s.open();
    FakeSocket.all[0]!.open();
    s.close();
    vi.advanceTimersByTime(60_000);
    expect(FakeSocket.all).toHaveLength(1);
  });

  it("unpacks batch messages in order and still notices a gap inside one", () => {
    const buffer = new SeqBuffer();
    const seen: ServerMsg[] = [];
    const s = new RunSocket("ws://h/ws/runs/r", sinkWith(buffer, seen));
    s.open();
    const ws = FakeSocket.all[0]!;
    ws.open();
    ws.receive({ type: "batch", messages: [progress(1), progress(2), progress(4)] });
    expect(seen.map((m) => ("seq" in m ? m.seq : null))).toEqual([1, 2, 4]);
    expect(ws.sent.map((t) => JSON.parse(t))).toEqual([{ type: "resync", after: 2 }]);
    ws.receive({ type: "batch", messages: [progress(3), done(5)] });
    expect(buffer.lastSeq).toBe(5);
    expect(ws.readyState).toBe(3); // terminal: closed for good
  });

  it("sends the edit token first, in a message, never in the URL", () => {
    const s = new RunSocket("ws://h/ws/runs/r", sinkWith(new SeqBuffer(), []), undefined, "tok-123");
    s.open();
    const ws = FakeSocket.all[0]!;
    expect(ws.url).not.toContain("tok-123");
    ws.open();
    expect(JSON.parse(ws.sent[0]!)).toEqual({ type: "auth", edit_token: "tok-123" });
    s.close();
  });

  it("reconnects after 4008 (too slow) but not after 4404 (no such run)", () => {
    const slow = new RunSocket("ws://h/ws/runs/r", sinkWith(new SeqBuffer(), []), { baseMs: 500, maxMs: 4000, random: () => 1 });
    slow.open();
    FakeSocket.all[0]!.open();
    FakeSocket.all[0]!.close(4008);
    vi.advanceTimersByTime(500);
    expect(FakeSocket.all).toHaveLength(2);
    slow.close();

    const gone = new RunSocket("ws://h/ws/runs/x", sinkWith(new SeqBuffer(), []));
    gone.open();
    FakeSocket.all[2]!.open();
    FakeSocket.all[2]!.close(4404);
    vi.advanceTimersByTime(60_000);
    expect(FakeSocket.all).toHaveLength(3);
    expect(gone.reconnects).toBe(0);
  });
});
