// What React reads of a run (RunSnapshot, through the run controller's useSyncExternalStore
// store) and how each tick's released frames fold into it. Pure: the run controller owns the
// player, the socket and the timing of when a folded patch is published.
import type { ErrorDetail } from "../net/api";
import type { FrameNodes, RunSummary } from "../net/protocol";
import type { SocketState } from "../net/socket";
import { rolesOf, type ScenarioNodeRef } from "../playback/protocolRoles";
import type { Released } from "../playback/timeline";
import type { ProtocolMemory } from "../views/protocolViews";
import type { SaveState } from "./save";

export type RunPhase = "idle" | "saving" | "starting" | "running" | "done" | "failed";

export interface NodeState { q: number; busy: number; up: boolean; role?: string }

export interface RunSnapshot {
  phase: RunPhase;
  runId: string | null;
  error: { message: string; details: ErrorDetail[] } | null;
  playing: boolean;
  waiting: boolean;
  speed: number;
  playhead: number;
  available: number;
  duration: number;
  throughput: number | null;
  p99: number | null;
  requests: number;
  failed: number;
  lastControl: string | null;
  /** A live partition was sent and not healed since. */
  partitioned: boolean;
  summary: RunSummary | null;
  socket: SocketState | null;
  seriesVersion: number;
  /** Bumped when traces arrive (frames as requests finish, then the result's final versions). */
  tracesVersion: number;
  nodeStates: ReadonlyMap<string, NodeState>;
  /** Per-protocol view state at the playhead (once-only parts such as the Chord ring kept). */
  protocols: Record<string, Record<string, unknown>> | null;
  /** The nodes of the scenario as sent for this run (protocol members are matched to these). */
  runNodes: readonly ScenarioNodeRef[];
  save: SaveState | null;
}

export function initialSnapshot(save: SaveState | null): RunSnapshot {
  return {
    phase: "idle", runId: null, error: null, playing: false, waiting: false, speed: 1, playhead: 0,
    available: 0, duration: 0, throughput: null, p99: null, requests: 0, failed: 0, lastControl: null, partitioned: false, summary: null, socket: null,
    seriesVersion: 0, tracesVersion: 0, nodeStates: new Map(), protocols: null, runNodes: [], save,
  };
}

/** The readings of the previous run, cleared when a run starts or the scenario is dropped. */
export function clearedReadings() {
  return {
    playhead: 0, available: 0, throughput: null, p99: null, requests: 0, failed: 0, lastControl: null, partitioned: false,
    nodeStates: new Map<string, NodeState>(), protocols: null,
  } satisfies Partial<RunSnapshot>;
}

/** What the fold needs of the run being played. */
export interface FoldContext {
  /** The metrics series' version once this release's metrics are in it. */
  seriesVersion: number;
  /** Node ids by frame index, as sent for this run. */
  nodeIds: readonly string[];
  nodeRefs: readonly ScenarioNodeRef[];
  memory: ProtocolMemory;
}

/** Folds one tick's release into `patch`: the latest metrics, node states and protocol views, the end. */
export function foldRelease(patch: Partial<RunSnapshot>, rel: Released, run: FoldContext): void {
  const last = rel.metrics[rel.metrics.length - 1];
  if (last) {
    patch.throughput = last.throughput_rps;
    patch.p99 = last.latency_ms.p99;
    patch.requests = last.requests;
    patch.failed = last.failed;
    patch.seriesVersion = run.seriesVersion;
  }
  if (rel.nodes) {
    patch.nodeStates = nodeStatesOf(run.nodeIds, rel.nodes, rolesOf(rel.protocols, run.nodeRefs));
    patch.protocols = run.memory.merge(rel.protocols);
  }
  if (rel.done) {
    patch.phase = "done";
    patch.summary = rel.done.result.summary;
    patch.playing = false;
  }
}

function nodeStatesOf(nodeIds: readonly string[], cols: FrameNodes, roles: Map<string, string>): Map<string, NodeState> {
  const m = new Map<string, NodeState>();
  nodeIds.forEach((id, i) => {
    const role = roles.get(id);
    m.set(id, { q: cols.q[i] ?? 0, busy: cols.busy[i] ?? 0, up: (cols.up[i] ?? 1) !== 0, ...(role ? { role } : {}) });
  });
  return m;
}
