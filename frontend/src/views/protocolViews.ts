// Protocol view models: turn a frame's `protocols` view state (the engine's Node.frame_state
// hooks, see docs/patterns/p2p.md and consensus.md) into small plain objects the panels draw.
// Everything here is pure and defensive: an entry of the wrong shape yields null, never a throw.
import { membersOf, type ScenarioNodeRef } from "../playback/protocolRoles";
import { fingerRuns, type FingerRun } from "./chordFingers";

type Entry = Record<string, unknown>;

const isNum = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
const nums = (v: unknown): number[] | null => (Array.isArray(v) && v.every(isNum) ? (v as number[]) : null);
const strs = (v: unknown): (string | null)[] | null =>
  Array.isArray(v) && v.every((x) => typeof x === "string" || x === null) ? (v as (string | null)[]) : null;
const entryOf = (protocols: unknown, name: string): Entry | null => {
  if (typeof protocols !== "object" || protocols === null) return null;
  const e = (protocols as Record<string, unknown>)[name];
  return typeof e === "object" && e !== null && !Array.isArray(e) ? (e as Entry) : null;
};

/** Keys that the engine sends once (the first frame) and that stay true for the whole run. */
const STICKY: Record<string, readonly string[]> = { chord: ["ring", "peers", "id_bits", "fingers"] };

/**
 * Remembers the once-only parts of the view state (the Chord ring positions arrive in the first
 * frame only) and lays them under every later frame, so a frame at the cursor is complete.
 */
export class ProtocolMemory {
  private sticky = new Map<string, Entry>();

  reset(): void {
    this.sticky.clear();
  }

  merge(protocols: unknown): Record<string, Entry> | null {
    if (typeof protocols !== "object" || protocols === null) return null;
    const out: Record<string, Entry> = {};
    for (const [name, raw] of Object.entries(protocols as Record<string, unknown>)) {
      if (typeof raw !== "object" || raw === null || Array.isArray(raw)) continue;
      const e = raw as Entry;
      const keep = STICKY[name] ?? [];
      const held = { ...(this.sticky.get(name) ?? {}) };
      for (const k of keep) if (k in e) held[k] = e[k];
      if (keep.length) this.sticky.set(name, held);
      out[name] = { ...held, ...e };
    }
    return out;
  }
}

// ---------------------------------------------------------------- Chord

export interface ChordLookup { key: number; path: number[]; hops: number }
export interface ChordView {
  ring: number[]; live: number | null; lookups: ChordLookup[];
  /** m, when sent; fingers[k] is the finger table of ring[k] (null when not sent). */
  bits: number | null; fingers: (FingerRun[] | null)[];
}

/** Ring positions in [0, 1) sorted (with their finger tables), the live count and this frame's sampled lookups. */
export function chordView(protocols: unknown): ChordView | null {
  const e = entryOf(protocols, "chord");
  if (!e) return null;
  const bits = isNum(e.id_bits) ? e.id_bits : null;
  const raw = nums(e.ring) ?? [];
  const tables = Array.isArray(e.fingers) && e.fingers.length === raw.length ? (e.fingers as unknown[]) : null;
  const pairs = raw.map((p, k) => [p, k] as const).filter(([p]) => p >= 0 && p < 1).sort((a, b) => a[0] - b[0]);
  const ring = pairs.map(([p]) => p);
  const fingers = pairs.map(([p, k]) => (tables && bits !== null ? fingerRuns(tables[k], p, bits) : null));
  const lookups: ChordLookup[] = [];
  if (Array.isArray(e.lookups)) {
    for (const l of e.lookups as unknown[]) {
      if (typeof l !== "object" || l === null) continue;
      const r = l as Entry;
      const path = nums(r.path);
      if (!isNum(r.key) || !path) continue;
      lookups.push({ key: r.key, path, hops: isNum(r.hops) ? r.hops : Math.max(0, path.length - 1) });
    }
  }
  return { ring, live: isNum(e.live) ? e.live : null, lookups, bits, fingers };
}

/** Successor and predecessor of the peer at index i of a sorted ring (wrapping round). */
export function ringNeighbours(ring: readonly number[], i: number): { pred: number; succ: number } | null {
  const n = ring.length;
  if (n === 0 || i < 0 || i >= n) return null;
  return { pred: ring[(i - 1 + n) % n]!, succ: ring[(i + 1) % n]! };
}

/** Index of the ring peer nearest to angle-position p in [0, 1) (circular distance), or -1. */
export function nearestPeer(ring: readonly number[], p: number): number {
  let best = -1;
  let bestD = Infinity;
  for (let i = 0; i < ring.length; i++) {
    const d = Math.abs(ring[i]! - p);
    const c = Math.min(d, 1 - d);
    if (c < bestD) { bestD = c; best = i; }
  }
  return best;
}

/** Owner of a key on the ring: the first peer at or after it (its successor), wrapping round. */
export function ownerOf(ring: readonly number[], key: number): number | null {
  if (ring.length === 0) return null;
  for (const x of ring) if (x >= key) return x;
  return ring[0]!;
}

// ---------------------------------------------------------------- BitTorrent

export interface SwarmView { peers: number; completed: number; done: number[]; mean: number }

/** Fractions complete per peer, sorted most complete first, with the count complete. */
export function swarmView(protocols: unknown): SwarmView | null {
  const e = entryOf(protocols, "bittorrent");
  const done = e ? nums(e.done) : null;
  if (!e || !done) return null;
  const sorted = done.map((x) => Math.min(1, Math.max(0, x))).sort((a, b) => b - a);
  const completed = isNum(e.completed) ? e.completed : sorted.filter((x) => x >= 1).length;
  const mean = sorted.length ? sorted.reduce((a, b) => a + b, 0) / sorted.length : 0;
  return { peers: isNum(e.peers) ? e.peers : sorted.length, completed, done: sorted, mean };
}

// ---------------------------------------------------------------- Raft

export interface RaftRow { id: string; role: string; term: number; log: number; commit: number; up: boolean }
export interface RaftView { rows: RaftRow[]; leaders: number; maxTerm: number; maxLog: number }

/**
 * One row per server. `isUp` (from the frame's node columns) marks crashed servers: the engine
 * keeps reporting a crashed server's last role, which would read as a second leader.
 */
export function raftView(protocols: unknown, nodes: readonly ScenarioNodeRef[], isUp: (id: string) => boolean = () => true): RaftView | null {
  const e = entryOf(protocols, "raft");
  const role = e ? strs(e.role) : null;
  if (!e || !role) return null;
  const term = nums(e.term) ?? [];
  const log = nums(e.log) ?? [];
  const commit = nums(e.commit) ?? [];
  const ids = membersOf("raft", e.nodes, role.length, nodes) ?? role.map((_, i) => `server ${i + 1}`);
  const rows = role.map((r, i) => {
    const up = isUp(ids[i]!);
    return { id: ids[i]!, role: up ? (r ?? "down") : "down", term: term[i] ?? 0, log: log[i] ?? 0, commit: commit[i] ?? 0, up };
  });
  return {
    rows,
    leaders: rows.filter((r) => r.role === "leader").length,
    maxTerm: Math.max(0, ...rows.map((r) => r.term)),
    maxLog: Math.max(1, ...rows.map((r) => r.log)),
  };
}

// ---------------------------------------------------------------- Paxos / Multi-Paxos

export interface PaxosRow { id: string; role: string | null; promised: number | null; ballot: number | null; value: string | null; learned: string | null }
export interface PaxosView { protocol: "paxos" | "multipaxos"; rows: PaxosRow[]; chosen: string | null }

const text = (v: unknown): string | null => (v === null || v === undefined ? null : typeof v === "string" ? v : isNum(v) ? String(v) : null);

/** Single-decree Paxos (promised/accepted ballot/value/learned per acceptor) or Multi-Paxos (role/ballot/learned count). */
export function paxosView(protocols: unknown, nodes: readonly ScenarioNodeRef[], protocol: "paxos" | "multipaxos"): PaxosView | null {
  const e = entryOf(protocols, protocol);
  if (!e || !Array.isArray(e.ballot)) return null;
  const ballot = e.ballot as unknown[];
  const col = (k: string): unknown[] => (Array.isArray(e[k]) ? (e[k] as unknown[]) : []);
  const ids = membersOf(protocol, e.nodes, ballot.length, nodes) ?? ballot.map((_, i) => `acceptor ${i + 1}`);
  const num = (v: unknown): number | null => (isNum(v) && v >= 0 ? v : null);
  const rows = ballot.map((b, i) => ({
    id: ids[i]!, role: text(col("role")[i]), promised: num(col("promised")[i]), ballot: num(b),
    value: text(col("value")[i]), learned: text(col("learned")[i]),
  }));
  // Single-decree: a value is chosen once any acceptor learned it (they agree when safe).
  const chosen = protocol === "paxos" ? (rows.find((r) => r.learned !== null)?.learned ?? null) : null;
  return { protocol, rows, chosen };
}

// ---------------------------------------------------------------- Others

/** Scalars of any other protocol's view state (totals for flooding, replication, sagas...). */
export function totalsView(protocols: unknown, name: string): [string, string][] {
  const e = entryOf(protocols, name);
  if (!e) return [];
  const out: [string, string][] = [];
  for (const [k, v] of Object.entries(e)) {
    if (isNum(v)) out.push([k.replace(/_/g, " "), Number.isInteger(v) ? String(v) : v.toFixed(3)]);
    else if (typeof v === "string") out.push([k.replace(/_/g, " "), v]);
  }
  return out;
}

/** The protocols present in a frame, in a stable order: the ones with their own view first. */
export const OWN_VIEWS = ["raft", "paxos", "multipaxos", "chord", "bittorrent"] as const;
export function protocolNames(protocols: unknown): string[] {
  if (typeof protocols !== "object" || protocols === null) return [];
  const names = Object.keys(protocols as object).filter((n) => entryOf(protocols, n) !== null);
  const rank = (n: string) => { const i = (OWN_VIEWS as readonly string[]).indexOf(n); return i < 0 ? OWN_VIEWS.length : i; };
  return names.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

export interface ColumnsView { ids: string[]; columns: [string, number[]][] }

/**
 * Per-node columns of any other protocol that names its members (`nodes`: replication, rpc...):
 * every numeric column as long as `nodes` becomes a table column.
 */
export function columnsView(protocols: unknown, name: string): ColumnsView | null {
  const e = entryOf(protocols, name);
  const ids = e ? strs(e.nodes) : null;
  if (!e || !ids || ids.some((x) => x === null)) return null;
  const columns: [string, number[]][] = [];
  for (const [k, v] of Object.entries(e)) {
    const col = nums(v);
    if (k !== "nodes" && col && col.length === ids.length) columns.push([k.replace(/_/g, " "), col]);
  }
  return columns.length ? { ids: ids as string[], columns } : null;
}
