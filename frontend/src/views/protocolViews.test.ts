import { describe, expect, it } from "vitest";
import {
  ProtocolMemory, chordView, columnsView, nearestPeer, ownerOf, paxosView, protocolNames, raftView, ringNeighbours, swarmView, totalsView,
} from "./protocolViews";

// Shapes copied from real frames of the gallery templates (raft-leader-crash, p2p-chord-ring,
// p2p-bittorrent-swarm, paxos-duel, multipaxos).
const raftNodes = [
  ...["s1", "s2", "s3", "s4", "s5"].map((id) => ({ id, kind: "raft_server" })),
  { id: "client", kind: "client" },
];

describe("raftView", () => {
  it("matches servers to the raft_server nodes and counts leaders", () => {
    const v = raftView({ raft: { role: ["follower", "leader", "follower", "candidate", "follower"], term: [2, 2, 2, 3, 2],
      log: [396, 396, 390, 10, 396], commit: [395, 395, 390, 9, 395] } }, raftNodes)!;
    expect(v.rows.map((r) => r.id)).toEqual(["s1", "s2", "s3", "s4", "s5"]);
    expect(v.leaders).toBe(1);
    expect(v.maxTerm).toBe(3);
    expect(v.maxLog).toBe(396);
    expect(v.rows[3]).toEqual({ id: "s4", role: "candidate", term: 3, log: 10, commit: 9, up: true });
  });
  it("shows a crashed server as down, not as a second leader", () => {
    const v = raftView({ raft: { role: ["follower", "leader", "follower", "follower", "leader"], term: [2, 2, 2, 2, 1] } },
      raftNodes, (id) => id !== "s5")!;
    expect(v.leaders).toBe(1);
    expect(v.rows[4]!.role).toBe("down");
  });
  it("is null without raft or with a malformed role column", () => {
    expect(raftView({ paxos: {} }, raftNodes)).toBeNull();
    expect(raftView({ raft: { role: [1, 2] } }, raftNodes)).toBeNull();
    expect(raftView(null, raftNodes)).toBeNull();
  });
  it("names servers by position when no nodes match", () => {
    const v = raftView({ raft: { role: ["leader", null], term: [1, 1] } }, [])!;
    expect(v.rows.map((r) => [r.id, r.role])).toEqual([["server 1", "leader"], ["server 2", "down"]]);
  });
});

describe("paxosView", () => {
  const nodes = ["p1", "p2", "p3", "p4", "p5"].map((id) => ({ id, kind: "paxos_node" }));
  it("reads promised/ballot/value/learned per acceptor; -1 is no ballot", () => {
    const v = paxosView({ paxos: { promised: [115, 115, 115, 115, 115], ballot: [-1, 106, 112, 106, 106],
      value: [null, "p3", "p3", "p3", "p3"], learned: [null, "p3", null, null, null] } }, nodes, "paxos")!;
    expect(v.rows[0]).toEqual({ id: "p1", role: null, promised: 115, ballot: null, value: null, learned: null });
    expect(v.rows[2]!.ballot).toBe(112);
    expect(v.chosen).toBe("p3");
  });
  it("reads Multi-Paxos roles and learned counts", () => {
    const mp = ["n1", "n2", "n3"].map((id) => ({ id, kind: "multipaxos_node" }));
    const v = paxosView({ multipaxos: { role: ["acceptor", "leader", "acceptor"], ballot: [5, 5, 5], learned: [395, 393, 293] } }, mp, "multipaxos")!;
    expect(v.rows.map((r) => [r.id, r.role, r.ballot, r.learned])).toEqual([["n1", "acceptor", 5, "395"], ["n2", "leader", 5, "393"], ["n3", "acceptor", 5, "293"]]);
    expect(v.chosen).toBeNull();
  });
});

describe("chord", () => {
  const ring = [0.9, 0.1, 0.5, 0.3];
  it("keeps the ring from the first frame under later frames", () => {
    const mem = new ProtocolMemory();
    mem.merge({ chord: { ring, peers: 4, live: 4, lookups: [] } });
    const later = mem.merge({ chord: { live: 3, lookups: [{ key: 0.42, path: [0.1, 0.3, 0.5], hops: 1 }] } });
    const v = chordView(later)!;
    expect(v.ring).toEqual([0.1, 0.3, 0.5, 0.9]);
    expect(v.live).toBe(3);
    expect(v.lookups).toEqual([{ key: 0.42, path: [0.1, 0.3, 0.5], hops: 1 }]);
    // lookups are per frame: a frame without them shows none
    expect(chordView(mem.merge({ chord: { live: 3 } }))!.lookups).toEqual([]);
    mem.reset();
    expect(chordView(mem.merge({ chord: { live: 3 } }))!.ring).toEqual([]);
  });
  it("drops malformed lookups and positions outside [0, 1)", () => {
    const v = chordView({ chord: { ring: [0.2, 1.5, -0.1], lookups: [{ key: "x" }, { key: 0.3, path: [0.2] }, 7] } })!;
    expect(v.ring).toEqual([0.2]);
    expect(v.lookups).toEqual([{ key: 0.3, path: [0.2], hops: 0 }]);
  });
  it("finds neighbours, the nearest peer across 0 and a key's owner", () => {
    const sorted = [0.1, 0.3, 0.5, 0.9];
    expect(ringNeighbours(sorted, 0)).toEqual({ pred: 0.9, succ: 0.3 });
    expect(ringNeighbours(sorted, 3)).toEqual({ pred: 0.5, succ: 0.1 });
    expect(nearestPeer(sorted, 0.98)).toBe(3);
    expect(nearestPeer(sorted, 0.04)).toBe(0);
    expect(ownerOf(sorted, 0.42)).toBe(0.5);
    expect(ownerOf(sorted, 0.95)).toBe(0.1);
  });
});

describe("swarmView", () => {
  it("sorts peers most complete first, clamps, and counts completes", () => {
    const v = swarmView({ bittorrent: { peers: 4, completed: 1, done: [0.2, 1, 0.5, 1.2] } })!;
    expect(v.done).toEqual([1, 1, 0.5, 0.2]);
    expect(v.completed).toBe(1); // the engine's count wins
    expect(v.mean).toBeCloseTo(0.675);
    expect(swarmView({ bittorrent: { done: [1, 0] } })!.completed).toBe(1);
    expect(swarmView({ bittorrent: { done: "x" } })).toBeNull();
  });
});

describe("protocolNames and totals", () => {
  it("lists own views first, then the rest by name", () => {
    expect(protocolNames({ saga: {}, raft: {}, replication: {}, bad: 3 })).toEqual(["raft", "replication", "saga"]);
    expect(protocolNames(null)).toEqual([]);
  });
  it("shows scalars only", () => {
    expect(totalsView({ flooding: { queries: 12, messages: 3400, hit_rate: 0.91234, nodes: ["a"] } }, "flooding"))
      .toEqual([["queries", "12"], ["messages", "3400"], ["hit rate", "0.912"]]);
  });
});

describe("columnsView", () => {
  it("tables per-node numeric columns named by `nodes`", () => {
    const v = columnsView({ replication: { nodes: ["a", "b"], ok: [3, 4], stale: [0, 2], divergent_keys: [1, 1], bad: [1] } }, "replication")!;
    expect(v.ids).toEqual(["a", "b"]);
    expect(v.columns).toEqual([["ok", [3, 4]], ["stale", [0, 2]], ["divergent keys", [1, 1]]]);
    expect(columnsView({ saga: { completed: 3 } }, "saga")).toBeNull();
  });
});
