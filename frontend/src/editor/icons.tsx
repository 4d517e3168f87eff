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
};

const generic = (<><rect x="4" y="4" width="16" height="16" rx="3" /><path d="M9 12h6" /></>);

export function KindIcon({ kind, size = 20 }: { kind: string; size?: number }) {
  return (
    <svg className="kind-icon" width={size} height={size} viewBox="0 0 24 24" fill="none" stroke="currentColor"
      strokeWidth="1.7" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" focusable="false">
      {paths[kind] ?? generic}
    </svg>
  );
}

const ACCENTS: Readonly<Record<string, string>> = {
  client: "#58a6ff", load_balancer: "#d2a8ff", service: "#3fb950", api_gateway: "#f0883e",
  database: "#e3b341", cache: "#ff7b72", broker: "#79c0ff", peer: "#56d4dd", tracker: "#a5d6ff",
  raft_server: "#ffa657",
};

export const accentOf = (kind: string): string => ACCENTS[kind] ?? "#8b949e";

export function kindTitle(kind: string): string {
  const special: Record<string, string> = { api_gateway: "API gateway", raft_server: "Raft server" };
  return special[kind] ?? kind.replace(/_/g, " ").replace(/^./, (c) => c.toUpperCase());
}
