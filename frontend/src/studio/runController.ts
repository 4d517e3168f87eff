// One place that runs a scenario: save, start, stream (RunSocket), play (Player), animate
// (TokenField) and fold metrics (MetricsSeries). Framework-free; React reads a throttled
// snapshot (runSnapshot.ts) through subscribe/getSnapshot (useSyncExternalStore).
import { MetricsSeries } from "../charts/series";
import { ApiError, cancelRun, loadEditToken, startRun, websocketUrl, type ErrorDetail } from "../net/api";
import { isLogged, TERMINAL_STATUSES, type ControlMsg, type LoggedMsg, type ServerMsg } from "../net/protocol";
import { RunSocket } from "../net/socket";
import { Player } from "../playback/player";
import type { ScenarioNodeRef } from "../playback/protocolRoles";
import { animationLoop } from "../render/loop";
import { SyntheticLoad } from "../render/syntheticLoad";
import { TokenField } from "../render/tokens";
import { ProtocolMemory } from "../views/protocolViews";
import { TraceStore } from "../inspect/traces";
import { DrawnTokens } from "../inspect/hitTest";
import type { Timeline } from "../playback/timeline";
import type { TokenSource } from "../render/TokenLayer";
import type { ScenarioJson } from "../model/serialize";
import { clearedReadings, foldRelease, initialSnapshot, type RunSnapshot } from "./runSnapshot";
import { saveScenario, showSavedUrl, type SaveState } from "./save";

export type { NodeState, RunPhase, RunSnapshot } from "./runSnapshot";

const SNAPSHOT_MS = 200;
// How often the viewer reports its playhead so the worker stays just ahead (apps/runs/live.py).
const PACE_MS = 1000;

export class RunController implements TokenSource {
  readonly tokens = new TokenField();
  readonly traces = new TraceStore();
  readonly drawn = new DrawnTokens();
  series = new MetricsSeries();
  private player: Player | null = null;
  private socket: RunSocket | null = null;
  private nodeIds: string[] = [];
  private nodeRefs: ScenarioNodeRef[] = [];
  private protocolMemory = new ProtocolMemory();
  private listeners = new Set<() => void>();
  private snap: RunSnapshot;
  private lastEmit = 0;
  private pending: Partial<RunSnapshot> = {};
  private visualTime = 0;
  private lastNow: number | null = null;
  private generation = 0;
  private lastPace = -Infinity;
  private saving: Promise<unknown> = Promise.resolve();
  private synthetic: SyntheticLoad | null = null;
  /** False while following someone else's run (classroom): their viewer paces the worker. */
  private pacing = true;
  speed = 1;
  stats = { framesReceived: 0, eventsReleased: 0, tokensDrawn: 0, tokensDrawnTotal: 0, resyncs: 0 };

  constructor(save: SaveState | null) {
    this.snap = initialSnapshot(save);
  }

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  getSnapshot = (): RunSnapshot => this.snap;

  private update(patch: Partial<RunSnapshot>): void {
    this.snap = { ...this.snap, ...patch };
    this.lastEmit = performance.now();
    for (const fn of this.listeners) fn();
  }

  /** Saves the scenario (if changed) and returns where it lives. */
  async save(scenario: ScenarioJson): Promise<SaveState> {
    // One save at a time: an autosave and a Run must not both POST a new scenario.
    const next = this.saving.catch(() => undefined).then(async () => {
      const saved = await saveScenario(this.snap.save, scenario);
      showSavedUrl(saved);
      if (saved !== this.snap.save) this.update({ save: saved });
      return saved;
    });
    this.saving = next;
    return next;
  }

  /** The share link was rotated: keep the new one and show it in the address bar. */
  relinked(shareUrl: string): void {
    const save = this.snap.save;
    if (!save) return;
    const next = { ...save, shareUrl };
    showSavedUrl(next);
    this.update({ save: next });
  }

  /** Starts afresh (a template or an import): the next save creates a new scenario. */
  forgetSave(): void {
    this.cancel();
    this.stop();
    if (location.pathname !== "/") history.replaceState(null, "", "/");
    this.update({ ...clearedReadings(), save: null, phase: "idle", runId: null, error: null, summary: null, playing: false });
  }

  async run(scenario: ScenarioJson): Promise<void> {
    const gen = ++this.generation;
    this.cancel(); // a new run replaces the one playing: free its worker
    this.stop();
    this.update({ phase: "saving", error: null, summary: null });
    try {
      const saved = await this.save(scenario);
      if (gen !== this.generation) return;
      this.update({ phase: "starting" });
      const started = await startRun(saved.id, { paced: true });
      if (gen !== this.generation) return;
      this.begin(scenario, started.run_id, websocketUrl(started.ws_url), true, loadEditToken(saved.id));
    } catch (e) {
      if (gen !== this.generation) return;
      const err = e instanceof ApiError ? { message: e.message, details: e.details } : { message: String(e), details: [] };
      this.update({ phase: "failed", error: err });
    }
  }

  /** Watches a run someone else started (classroom follow mode): no save, no pacing. */
  attach(scenario: ScenarioJson, runId: string, wsUrl: string): void {
    ++this.generation;
    this.stop();
    this.begin(scenario, runId, websocketUrl(wsUrl), false);
  }

  private fresh(scenario: ScenarioJson): Player {
    this.synthetic = null;
    this.nodeIds = scenario.nodes.map((n) => n.id);
    this.nodeRefs = scenario.nodes.map((n) => ({ id: n.id, kind: n.kind }));
    this.protocolMemory.reset();
    this.player = new Player();
    this.player.clock.setSpeed(this.speed);
    this.series = new MetricsSeries();
    this.pending = {};
    this.visualTime = 0;
    this.tokens.clear();
    this.traces.clear();
    return this.player;
  }

  /** Plays a stored run from its log (a moment link), paused at `at` simulated seconds. */
  replay(scenario: ScenarioJson, runId: string, log: readonly LoggedMsg[], at: number): void {
    ++this.generation;
    this.stop();
    const player = this.fresh(scenario);
    for (const msg of log) player.push(msg);
    this.update({
      phase: "running", runId, playing: false, error: null, summary: null, available: player.timeline.available,
      duration: player.timeline.end ?? player.timeline.available, seriesVersion: 0, nodeStates: new Map(),
      protocols: null, runNodes: this.nodeRefs,
    });
    this.seek(at);
  }

  private begin(scenario: ScenarioJson, runId: string, url: string, pacing = true, editToken: string | null = null): void {
    this.pacing = pacing;
    const player = this.fresh(scenario);
    player.clock.play();
    this.socket = new RunSocket(url, {
      lastSeq: () => player.buffer.lastSeq,
      accept: (msg) => this.accept(player, msg),
      onState: (state) => this.update({ socket: state }),
    }, undefined, editToken);
    this.update({
      ...clearedReadings(), phase: "running", runId, playing: true,
      duration: typeof scenario.settings.duration_s === "number" ? scenario.settings.duration_s : 0, seriesVersion: 0, runNodes: this.nodeRefs,
    });
    this.socket.open();
  }

  private accept(player: Player, msg: ServerMsg) {
    if (msg.type === "status" && TERMINAL_STATUSES.has(msg.status) && msg.status !== "done" &&
        msg.last_seq <= player.buffer.lastSeq && !player.timeline.error) {
      this.fail(`run ${msg.status}`, []); // ended without a logged error (e.g. cancelled)
    }
    if (!isLogged(msg)) {
      // A per-connection error (no seq) leaves the run going unless it says the run ended.
      if (msg.type === "error" && msg.status && TERMINAL_STATUSES.has(msg.status)) this.fail(msg.error, msg.details);
      else if (msg.type === "error") console.warn("topolab: run socket:", msg.error);
      return "unlogged" as const;
    }
    if (msg.type === "frame") this.stats.framesReceived++;
    const traces = msg.type === "frame" ? msg.traces : msg.type === "done" ? msg.result.traces : undefined;
    if (traces) {
      this.traces.add(traces);
      this.pending.tracesVersion = this.traces.version;
    }
    const r = player.push(msg);
    if (r === "gap") this.stats.resyncs++;
    if (player.timeline.error && this.snap.phase === "running") {
      this.fail(player.timeline.error.error, player.timeline.error.details);
    }
    return r;
  }

  private fail(message: string, details: unknown[]): void {
    this.player?.clock.pause();
    this.update({ phase: "failed", playing: false, error: { message, details: details as ErrorDetail[] } });
  }

  /** Stops streaming and playback of the current run (the server finishes it on its own). */
  stop(): void {
    this.socket?.close();
    this.socket = null;
    this.player = null;
    this.tokens.clear();
  }

  /** Asks the server to stop the current run early (best effort). */
  cancel(): void {
    const id = this.snap.runId;
    if (id && this.snap.phase === "running") void cancelRun(id).catch(() => undefined);
  }

  togglePause(): void {
    const player = this.player;
    const clock = player?.clock;
    if (!player || !clock) return;
    const end = player.timeline.end;
    if (clock.playing) clock.pause();
    else if (this.snap.phase === "running") clock.play();
    else if (this.snap.phase === "done" && end !== null) {
      if (clock.playhead >= end) this.seek(0); // replay from the start
      clock.play();
      this.update({ phase: "running" });
    }
    this.update({ playing: clock.playing });
  }

  /** Rewinds or jumps to simulated time `t` within what has arrived; charts and badges follow. */
  seek(t: number): void {
    const player = this.player;
    if (!player) return;
    const to = player.seek(t);
    this.tokens.clear();
    this.visualTime = to;
    this.series.clear();
    this.pending = { throughput: null, p99: null, requests: 0, failed: 0, seriesVersion: this.series.version };
    this.update({ playhead: to, ...this.pending });
  }

  /** One paused step of `dt` simulated seconds (default: a tenth of a second times the speed). */
  step(dt = 0.1 * this.speed): void {
    const player = this.player;
    if (!player) return;
    player.step(dt);
    if (this.snap.phase === "done") this.update({ phase: "running" });
    this.update({ playing: false });
  }

  /** Plays or pauses (a follower mirroring the presenter); unlike togglePause, idempotent. */
  setPlaying(playing: boolean): void {
    const clock = this.player?.clock;
    if (!clock || clock.playing === playing) return;
    if (playing) clock.play();
    else clock.pause();
    this.update({ playing, ...(playing && this.snap.phase === "done" ? { phase: "running" as const } : {}) });
  }

  /** Moves the playhead towards `t` without clearing charts when the gap is small (drift). */
  syncTo(t: number, jumpS = 2): void {
    const player = this.player;
    if (!player) return;
    const limit = player.timeline.end ?? player.timeline.available;
    if (Math.abs(t - player.clock.playhead) > jumpS) this.seek(t);
    else player.clock.playhead = Math.max(0, Math.min(t, limit));
  }

  setSpeed(speed: number): void {
    this.speed = speed;
    this.player?.clock.setSpeed(speed);
    this.update({ speed });
  }

  /** What has arrived of the current run, for views that look around the playhead. */
  timeline(): Timeline | null {
    return this.player?.timeline ?? null;
  }

  // TokenSource: called from the single animation loop.
  nodeId(index: number): string | undefined {
    return this.nodeIds[index];
  }

  /** Time the tokens are drawn at: the playhead, running on after the end until they land. */
  playhead(): number {
    return this.visualTime;
  }

  /** Benchmark only: `count` synthetic tokens along the scene's edges (0 stops it). */
  benchTokens(count: number, scenario: ScenarioJson): void {
    this.stop();
    this.nodeIds = scenario.nodes.map((n) => n.id);
    const index = new Map(this.nodeIds.map((id, i) => [id, i]));
    const pairs = scenario.edges.map((e) => [index.get(e.source) ?? 0, index.get(e.target) ?? 0] as const);
    this.tokens.clear();
    this.synthetic = count > 0 ? new SyntheticLoad(count, pairs) : null;
  }

  beforeDraw(now: number): void {
    if (this.synthetic) {
      const dt = this.lastNow === null ? 0 : Math.min(now - this.lastNow, 250) / 1000;
      this.lastNow = now;
      this.visualTime = this.synthetic.step(this.tokens, dt);
      return;
    }
    const player = this.player;
    if (!player) return;
    const wasPlaying = player.clock.playing;
    const rel = player.tick(now);
    const playhead = player.clock.playhead;
    if (player.timeline.finished && !wasPlaying && this.tokens.inFlight > 0) {
      // After the end the clock stops; let the last tokens finish their flight.
      this.visualTime += (this.lastNow === null ? 0 : Math.min(now - this.lastNow, 250) / 1000) * player.clock.speed;
    } else {
      this.visualTime = playhead;
    }
    this.lastNow = now;
    this.maybePace(now, player);
    this.tokens.add(rel.events, player.clock.speed);
    this.tokens.prune(this.visualTime);
    this.stats.eventsReleased += rel.events.length;
    this.series.add(rel.metrics);
    const patch = this.pending;
    foldRelease(patch, rel, { seriesVersion: this.series.version, nodeIds: this.nodeIds, nodeRefs: this.nodeRefs, memory: this.protocolMemory });
    if (rel.done || performance.now() - this.lastEmit > SNAPSHOT_MS) {
      this.pending = {};
      this.update({
        ...patch, playhead, available: player.timeline.available, waiting: player.clock.waiting,
        duration: player.timeline.end ?? this.snap.duration,
      });
    }
  }

  /** Sends a live fault; it lands at the next frame boundary the worker computes. */
  control(cmd: Omit<ControlMsg, "type">): boolean {
    if (this.snap.phase !== "running" || !this.socket) return false;
    const sent = this.socket.send({ type: "control", ...cmd });
    const what = cmd.node ?? cmd.edge ?? (cmd.groups ? cmd.groups.map((g) => g.length).join(" | ") : "");
    const partitioned = !sent ? this.snap.partitioned : cmd.action === "partition" ? true : cmd.action === "heal" ? false : this.snap.partitioned;
    this.update({ partitioned, lastControl: sent ? `${cmd.action} ${what} at t=${this.snap.playhead.toFixed(1)} s` : "not connected: try again" });
    return sent;
  }

  private maybePace(now: number, player: Player): void {
    if (!this.pacing || !this.socket || this.snap.phase !== "running" || now - this.lastPace < PACE_MS) return;
    this.lastPace = now;
    this.socket.send({ type: "pace", t: player.clock.playhead, speed: player.clock.playing ? player.clock.speed : 0 });
  }

  afterDraw(drawn: number): void {
    this.stats.tokensDrawn = drawn;
    this.stats.tokensDrawnTotal += drawn;
  }

  get fps(): number {
    return animationLoop.fps;
  }
}
