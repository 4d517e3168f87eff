// window.__topolab: read-only counters for tests and the curious (tokens drawn, frames...).
import type { Scene } from "../model/types";
import { toScenario } from "../model/serialize";
import type { RunController } from "./runController";

export interface TopolabDebug {
  readonly tokensInFlight: number;
  readonly tokensDrawn: number;
  readonly tokensDrawnTotal: number;
  readonly tokensAdded: number;
  readonly framesReceived: number;
  readonly eventsReleased: number;
  readonly fps: number;
  readonly playhead: number;
  readonly phase: string;
  /** The run being played (a classroom student: the presenter's). */
  readonly runId: string | null;
  scene(): Scene;
  /** Tokens drawn in the last frame: canvas pixels (relative to the token layer), ids. */
  drawnTokens(): { x: number; y: number; kind: number; src: number; dst: number; trace: number | null }[];
  /** Benchmark: keep `count` synthetic tokens in flight on the current scene (0 stops). */
  benchTokens(count: number): void;
}

declare global {
  interface Window { __topolab?: TopolabDebug }
}

export function installDebugHook(c: RunController, scene: () => Scene): () => void {
  const hook: TopolabDebug = {
    get tokensInFlight() { return c.tokens.inFlight; },
    get tokensDrawn() { return c.stats.tokensDrawn; },
    get tokensDrawnTotal() { return c.stats.tokensDrawnTotal; },
    get tokensAdded() { return c.tokens.added; },
    get framesReceived() { return c.stats.framesReceived; },
    get eventsReleased() { return c.stats.eventsReleased; },
    get fps() { return c.fps; },
    get playhead() { return c.playhead(); },
    get phase() { return c.getSnapshot().phase; },
    get runId() { return c.getSnapshot().runId; },
    scene,
    drawnTokens: () => c.drawn.all().map(({ x, y, token: t }) => ({ x, y, kind: t.kind, src: t.src, dst: t.dst, trace: t.trace ?? null })),
    benchTokens: (count: number) => c.benchTokens(count, toScenario(scene())),
  };
  window.__topolab = hook;
  return () => {
    if (window.__topolab === hook) delete window.__topolab;
  };
}
