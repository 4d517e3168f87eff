import { describe, expect, it } from "vitest";
import { lerp, MAX_TOKENS, MIN_SCREEN_S, progressOf, toScreen, TokenField } from "./tokens";

const ev = (ts: number, dt: number) => ({ ts, dt, src: 0, dst: 1, edge: 0, kind: 0 });

describe("TokenField", () => {
  it("keeps a token visible at least MIN_SCREEN_S at the playback speed", () => {
    const f = new TokenField();
    f.add([ev(1, 0.001)], 2);
    expect(f.tokens[0]!.life).toBeCloseTo(MIN_SCREEN_S * 2);
    f.add([ev(1, 5)], 2);
    expect(f.tokens[1]!.life).toBe(5);
  });

  it("moves from source to destination and is pruned on arrival", () => {
    const f = new TokenField();
    f.add([ev(0, 2)], 1);
    const t = f.tokens[0]!;
    expect(progressOf(t, 0)).toBe(0);
    expect(progressOf(t, 1)).toBeCloseTo(0.5);
    expect(progressOf(t, 3)).toBe(1);
    f.prune(1.9);
    expect(f.inFlight).toBe(1);
    f.prune(2.1);
    expect(f.inFlight).toBe(0);
  });

  it("caps the number of tokens", () => {
    const f = new TokenField();
    f.add(Array.from({ length: MAX_TOKENS + 10 }, (_, i) => ev(i, 1)), 1);
    expect(f.inFlight).toBe(MAX_TOKENS);
    expect(f.dropped).toBe(10);
  });

  it("maps flow coordinates through the viewport", () => {
    expect(lerp({ x: 0, y: 0 }, { x: 10, y: 20 }, 0.5)).toEqual({ x: 5, y: 10 });
    expect(toScreen({ x: 10, y: 10 }, [5, -5, 2])).toEqual({ x: 25, y: 15 });
  });
});
