// What a scheduled fault may target: edges for cut/restore, nodes otherwise, plus "@leader"
// (whoever leads at that instant) where a consensus kind can resolve it, or where the scenario
// already says so: a select without the fault's own value would show, and then save, another.
import type { Scene } from "../model/types";

export const LEADER = "@leader";
const EDGE_ACTIONS = ["cut", "restore"];
// Kinds whose engine class resolves "@leader" (CONSENSUS = True); the server validates anyway.
const LEADER_KINDS = new Set(["raft_server", "multipaxos_node"]);

export function faultTargets(action: string, current: string, scene: Scene): string[] {
  if (EDGE_ACTIONS.includes(action)) return scene.edges.map((e) => e.id);
  const ids = scene.nodes.map((n) => n.id);
  const leader = current === LEADER || scene.nodes.some((n) => LEADER_KINDS.has(n.kind));
  return leader ? [LEADER, ...ids] : ids;
}
