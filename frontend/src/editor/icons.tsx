// One inline SVG icon per node kind (stroke icons on a 24x24 grid, currentColor), and a
// readable name and accent colour for each. Unknown kinds get a generic box.
import type { ReactElement } from "react";

const paths: Readonly<Record<string, ReactElement>> = {
  client: (<><rect x="3" y="4" width="18" height="12" rx="1.5" /><path d="M8 20h8M12 16v4" /></>),
  load_balancer: (<><circle cx="5" cy="12" r="2" /><circle cx="19" cy="5" r="2" /><circle cx="19" cy="12" r="2" /><circle cx="19" cy="19" r="2" /><path d="M7 12h10M7 11.5 17 6M7 12.5 17 18" /></>),
  service: (<><rect x="4" y="4" width="16" height="6" rx="1.5" /><rect x="4" y="14" width="16" height="6" rx="1.5" /><path d="M8 7h.01M8 17h.01" /></>),
  api_gateway: (<><path d="M4 20V9l8-5 8 5v11" /><path d="M9 20v-6h6v6" /></>),
  database: (<><ellipse cx="12" cy="5.5" rx="7" ry="2.5" /><path d="M5 5.5v13c0 1.4 3.1 2.5 7 2.5s7-1.1 7-2.5v-13" /><path d="M5 12c0 1.4 3.1 2.5 7 2.5s7-1.1 7-2.5" /></>),
  cache: (<><path d="M13 3 5 13.5h6L10 21l8-10.5h-6L13 3Z" /></>),
  broker: (<><rect x="3" y="8" width="4" height="8" rx="1" /><rect x="10" y="8" width="4" height="8" rx="1" /><rect x="17" y="8" width="4" height="8" rx="1" /><path d="M7 12h3M14 12h3" /></>),
  peer: (<><circle cx="12" cy="5" r="2.2" /><circle cx="5" cy="18" r="2.2" /><circle cx="19" cy="18" r="2.2" /><path d="M10.9 7 6.1 16M13.1 7l4.8 9M7.2 18h9.6" /></>),
  tracker: (<><circle cx="12" cy="12" r="8" /><circle cx="12" cy="12" r="4" /><circle cx="12" cy="12" r="0.8" /></>),
  raft_server: (<><path d="M4 9h16l-2 10H6L4 9Z" /><path d="M7 9V6M12 9V4M17 9V6" /></>),
  paxos: (<><path d="M12 3v18M5 8l7-5 7 5" /><circle cx="5" cy="15" r="2" /><circle cx="19" cy="15" r="2" /></>),
  sidecar: (<><rect x="3" y="6" width="11" height="12" rx="1.5" /><rect x="16" y="9" width="5" height="6" rx="1" /><path d="M14 12h2" /></>),
  registry: (<><rect x="5" y="3" width="14" height="18" rx="1.5" /><path d="M9 8h6M9 12h6M9 16h4" /></>),
  event_store: (<><path d="M4 5h16M4 10h16M4 15h16M4 20h10" /><circle cx="19" cy="20" r="1" /></>),
  replica: (<><rect x="7" y="7" width="13" height="13" rx="1.5" /><path d="M4 16V5.5A1.5 1.5 0 0 1 5.5 4H16" /></>),
  rpc_server: (<><rect x="4" y="6" width="16" height="12" rx="1.5" /><path d="m9 10-2 2 2 2M15 10l2 2-2 2" /></>),
  saga: (<><circle cx="5" cy="12" r="2" /><circle cx="12" cy="12" r="2" /><circle cx="19" cy="12" r="2" /><path d="M7 12h3M14 12h3M5 9V6h14v3" /></>),
  queue: (<><rect x="3" y="8" width="18" height="8" rx="1.5" /><path d="M8 8v8M13 8v8" /></>),
};

// Kinds the project adds later fall back on words in their name before the generic box.
const WORDS: readonly [RegExp, string][] = [
  [/saga|orchestr|choreo/, "saga"], [/paxos|acceptor|proposer|learner/, "paxos"], [/raft|consensus/, "raft_server"],
  [/rpc/, "rpc_server"], [/replica|follower/, "replica"], [/store|log/, "event_store"], [/db|database|sql/, "database"],
  [/cache/, "cache"], [/queue/, "queue"], [/broker|bus|topic|kafka/, "broker"], [/gateway/, "api_gateway"],
  [/balanc/, "load_balancer"], [/peer|node|gossip/, "peer"], [/client|user/, "client"], [/registry|discovery/, "registry"],
  [/proxy|sidecar|mesh/, "sidecar"], [/server|service|worker/, "service"],
];

function iconKey(kind: string): string | undefined {
  if (paths[kind]) return kind;
  return WORDS.find(([re]) => re.test(kind))?.[1];
}

const generic = (<><rect x="4" y="4" width="16" height="16" rx="3" /><path d="M9 12h6" /></>);

export function KindIcon({ kind, size = 20 }: { kind: string; size?: number }) {
  return (
    <svg className="kind-icon" width={size} height={size} viewBox="0 0 24 24" fill="none" stroke="currentColor"
      strokeWidth="1.7" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" focusable="false">
      {paths[iconKey(kind) ?? ""] ?? generic}
    </svg>
  );
}

const ACCENTS: Readonly<Record<string, string>> = {
  client: "#58a6ff", load_balancer: "#d2a8ff", service: "#3fb950", api_gateway: "#f0883e",
  database: "#e3b341", cache: "#ff7b72", broker: "#79c0ff", peer: "#56d4dd", tracker: "#a5d6ff",
  raft_server: "#ffa657", paxos: "#ffa657", sidecar: "#b4bcc6", registry: "#c9a7ff", event_store: "#e3b341",
  replica: "#d4b85a", rpc_server: "#56d364", saga: "#f778ba", queue: "#79c0ff",
};
const SPARE = ["#58a6ff", "#d2a8ff", "#56d4dd", "#f778ba", "#e3b341", "#ffa657"];

export function accentOf(kind: string): string {
  const known = ACCENTS[kind] ?? ACCENTS[iconKey(kind) ?? ""];
  if (known) return known;
  let h = 0;
  for (let i = 0; i < kind.length; i++) h = (h * 31 + kind.charCodeAt(i)) >>> 0;
  return SPARE[h % SPARE.length] ?? "#8b949e";
}

export function kindTitle(kind: string): string {
  const special: Record<string, string> = { api_gateway: "API gateway", raft_server: "Raft server" };
  return special[kind] ?? kind.replace(/_/g, " ").replace(/^./, (c) => c.toUpperCase());
}
