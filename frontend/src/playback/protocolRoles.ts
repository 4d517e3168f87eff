// Per-node protocol roles from a frame's optional `protocols` key (apps/engine frame_state):
// e.g. {"raft": {"role": ["leader", "follower", ...], "term": [...]}} with one entry per member
// of the kind that runs the protocol. Members are matched to scenario nodes defensively: an
// explicit `nodes` list of ids, else a list as long as the scenario, else the nodes of the kind
// whose count matches (preferring a kind named after the protocol). Unreadable entries are
// ignored, never trusted.

export interface ScenarioNodeRef { id: string; kind: string }

const ROLE_KEYS = ["role", "state", "circuit"] as const;

export function rolesOf(protocols: unknown, nodes: readonly ScenarioNodeRef[]): Map<string, string> {
  const out = new Map<string, string>();
  if (typeof protocols !== "object" || protocols === null) return out;
  for (const [name, entry] of Object.entries(protocols as Record<string, unknown>)) {
    if (typeof entry !== "object" || entry === null) continue;
    const e = entry as Record<string, unknown>;
    const key = ROLE_KEYS.find((k) => Array.isArray(e[k]) && (e[k] as unknown[]).every((v) => typeof v === "string" || v === null));
    if (!key) continue;
    const roles = e[key] as (string | null)[];
    const ids = membersOf(name, e.nodes, roles.length, nodes);
    if (!ids) continue;
    ids.forEach((id, i) => {
      const role = roles[i];
      if (role) out.set(id, key === "circuit" ? `circuit ${role}` : role);
    });
  }
  return out;
}

export function membersOf(protocol: string, explicit: unknown, n: number, nodes: readonly ScenarioNodeRef[]): string[] | null {
  if (Array.isArray(explicit) && explicit.length === n && explicit.every((x) => typeof x === "string")) return explicit as string[];
  if (n === nodes.length) return nodes.map((x) => x.id);
  const byKind = new Map<string, string[]>();
  for (const x of nodes) byKind.set(x.kind, [...(byKind.get(x.kind) ?? []), x.id]);
  const fits = [...byKind.entries()].filter(([, ids]) => ids.length === n);
  const named = fits.find(([kind]) => kind.includes(protocol) || protocol.includes(kind.split("_")[0] ?? kind));
  return (named ?? (fits.length === 1 ? fits[0] : undefined))?.[1] ?? null;
}
