// The protocol panel: one tab per protocol in the frame at the playhead (Raft cluster, Paxos
// acceptors, Chord ring, BitTorrent swarm, totals for the rest). It appears by itself when a
// run's frames carry `protocols` and follows the scrubber, because it reads the run snapshot
// (throttled to a few updates a second by the run controller). Drawing is small SVG or canvas.
import { useEffect, useMemo, useRef, useState } from "react";
import { ChordPanel } from "./ChordPanel";
import type { ScenarioNodeRef } from "../playback/protocolRoles";
import {
  chordView, columnsView, paxosView, protocolNames, raftView, swarmView, totalsView,
  type ColumnsView, type PaxosView, type RaftView, type SwarmView,
} from "./protocolViews";

const TITLES: Record<string, string> = {
  raft: "Raft cluster", paxos: "Paxos acceptors", multipaxos: "Multi-Paxos", chord: "Chord ring", bittorrent: "BitTorrent swarm",
  replication: "Replication", saga: "Sagas", rpc: "RPC", flooding: "Flooding",
};
const ROLE_COLOUR: Record<string, string> = {
  leader: "#E69F00", candidate: "#56B4E9", follower: "#8b949e", acceptor: "#8b949e", down: "#D55E00",
};

export interface ProtocolViewsProps {
  protocols: Record<string, Record<string, unknown>> | null;
  nodes: readonly ScenarioNodeRef[];
  /** Whether a node is up at the playhead (crashed servers are shown as down). */
  isUp?: (id: string) => boolean;
}

export function ProtocolViews({ protocols, nodes, isUp }: ProtocolViewsProps) {
  const names = useMemo(() => protocolNames(protocols), [protocols]);
  const [pick, setPick] = useState<string | null>(null);
  const [open, setOpen] = useState(true);
  if (!protocols || names.length === 0) return null;
  const tab = pick && names.includes(pick) ? pick : names[0]!;
  return (
    <section className="pviews" data-testid="protocol-views" aria-label="Protocol view">
      <header className="pviews__head">
        <div className="pviews__tabs" role="tablist">
          {names.map((n) => (
            <button key={n} type="button" role="tab" aria-selected={n === tab} data-testid={`protocol-tab-${n}`}
              className={`pviews__tab${n === tab ? " pviews__tab--on" : ""}`} onClick={() => { setPick(n); setOpen(true); }}>
              {TITLES[n] ?? n}
            </button>
          ))}
        </div>
        <button type="button" className="icon-btn pviews__fold" aria-label={open ? "Collapse protocol view" : "Expand protocol view"}
          aria-expanded={open} data-testid="protocol-views-toggle" onClick={() => setOpen((v) => !v)}>{open ? "▾" : "▸"}</button>
      </header>
      {open ? <Body name={tab} protocols={protocols} nodes={nodes} isUp={isUp} /> : null}
    </section>
  );
}

function Body({ name, protocols, nodes, isUp }: { name: string; protocols: unknown; nodes: readonly ScenarioNodeRef[]; isUp?: (id: string) => boolean }) {
  switch (name) {
    case "raft": { const v = raftView(protocols, nodes, isUp); return v ? <RaftPanel view={v} /> : null; }
    case "paxos":
    case "multipaxos": { const v = paxosView(protocols, nodes, name); return v ? <PaxosPanel view={v} /> : null; }
    case "chord": { const v = chordView(protocols); return v ? <ChordPanel view={v} /> : null; }
    case "bittorrent": { const v = swarmView(protocols); return v ? <SwarmPanel view={v} /> : null; }
    default: { const c = columnsView(protocols, name); return c ? <Columns name={name} view={c} /> : <Totals name={name} rows={totalsView(protocols, name)} />; }
  }
}

// ---------------------------------------------------------------- Raft

function RaftPanel({ view }: { view: RaftView }) {
  const W = 150;
  return (
    <div data-testid="raft-view" data-leaders={view.leaders} data-max-term={view.maxTerm}>
      <p className="pviews__note">
        <b data-testid="raft-leaders">{view.leaders}</b> leader{view.leaders === 1 ? "" : "s"} · term {view.maxTerm} ·
        bar = log, <span className="pviews__tick">|</span> = commit index
      </p>
      <table className="pviews__table">
        <thead><tr><th>server</th><th>role</th><th className="num">term</th><th>log / commit</th></tr></thead>
        <tbody>
          {view.rows.map((r) => (
            <tr key={r.id} data-testid={`raft-row-${r.id}`} data-role={r.role} data-term={r.term}>
              <td>{r.id}</td>
              <td><span className="pviews__badge" style={{ borderColor: ROLE_COLOUR[r.role] ?? "#8b949e", color: ROLE_COLOUR[r.role] ?? undefined }}>{r.role}</span></td>
              <td className="num">{r.term}</td>
              <td>
                <svg width={W + 50} height={14} aria-label={`log ${r.log}, commit ${r.commit}`}>
                  <rect x={0} y={3} width={W} height={8} rx={2} fill="#21262d" />
                  <rect x={0} y={3} width={(W * r.log) / view.maxLog} height={8} rx={2} fill="#0072B2" />
                  <rect x={Math.min(W - 2, (W * r.commit) / view.maxLog)} y={0} width={2} height={14} fill="#F0E442" />
                  <text x={W + 4} y={11} className="pviews__svgtext">{r.commit}/{r.log}</text>
                </svg>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

// ---------------------------------------------------------------- Paxos

function PaxosPanel({ view }: { view: PaxosView }) {
  const single = view.protocol === "paxos";
  return (
    <div data-testid={`${view.protocol}-view`}>
      <p className="pviews__note">
        {single ? <>chosen: <b data-testid="paxos-chosen">{view.chosen ?? "not yet"}</b> · ballot = accepted ballot, value = accepted value</>
          : <>ballot per node; learned = commands learned in order</>}
      </p>
      <table className="pviews__table">
        <thead><tr><th>node</th>{single ? <><th className="num">promised</th><th className="num">ballot</th><th>value</th><th>learned</th></> : <><th>role</th><th className="num">ballot</th><th className="num">learned</th></>}</tr></thead>
        <tbody>
          {view.rows.map((r) => (
            <tr key={r.id} data-testid={`${view.protocol}-row-${r.id}`}>
              <td>{r.id}</td>
              {single ? (
                <><td className="num">{r.promised ?? "–"}</td><td className="num">{r.ballot ?? "–"}</td><td>{r.value ?? "–"}</td><td>{r.learned ?? "–"}</td></>
              ) : (
                <><td><span className="pviews__badge" style={{ borderColor: ROLE_COLOUR[r.role ?? ""] ?? "#8b949e", color: ROLE_COLOUR[r.role ?? ""] ?? undefined }}>{r.role ?? "–"}</span></td>
                  <td className="num">{r.ballot ?? "–"}</td><td className="num">{r.learned ?? "–"}</td></>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

// ---------------------------------------------------------------- BitTorrent

const CELL = 12;
const COLS = 20;

function SwarmPanel({ view }: { view: SwarmView }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const rows = Math.max(1, Math.ceil(view.done.length / COLS));
  useEffect(() => {
    const canvas = ref.current;
    const ctx = canvas?.getContext("2d");
    if (!canvas || !ctx) return;
    const dpr = window.devicePixelRatio || 1;
    canvas.width = COLS * CELL * dpr; canvas.height = rows * CELL * dpr;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, COLS * CELL, rows * CELL);
    view.done.forEach((f, i) => {
      const x = (i % COLS) * CELL;
      const y = Math.floor(i / COLS) * CELL;
      ctx.fillStyle = "#21262d";
      ctx.fillRect(x + 1, y + 1, CELL - 2, CELL - 2);
      // Fill from the bottom by the fraction complete; complete peers (seeds) in green.
      ctx.fillStyle = f >= 1 ? "#009E73" : "#E69F00";
      const h = Math.round((CELL - 2) * f);
      ctx.fillRect(x + 1, y + CELL - 1 - h, CELL - 2, h);
    });
  }, [view, rows]);
  return (
    <div data-testid="bittorrent-view" data-completed={view.completed} data-peers={view.peers}>
      <p className="pviews__note">
        <b data-testid="bittorrent-completed">{view.completed}</b> of {view.peers} peers complete · mean {(100 * view.mean).toFixed(0)} % ·
        one cell per peer, most complete first, filled by its share of pieces
        (<span style={{ color: "#009E73" }}>■</span> complete)
      </p>
      <canvas ref={ref} style={{ width: COLS * CELL, height: rows * CELL }} aria-label="Fraction complete per peer" />
    </div>
  );
}

// ---------------------------------------------------------------- Others

function Totals({ name, rows }: { name: string; rows: [string, string][] }) {
  return (
    <dl className="pviews__totals" data-testid={`${name}-view`}>
      {rows.length === 0 ? <p className="pviews__hint">No totals in this frame.</p> : rows.map(([k, v]) => (
        <div key={k} className="summary__row"><dt>{k}</dt><dd>{v}</dd></div>
      ))}
    </dl>
  );
}

function Columns({ name, view }: { name: string; view: ColumnsView }) {
  return (
    <table className="pviews__table" data-testid={`${name}-view`}>
      <thead><tr><th>node</th>{view.columns.map(([k]) => <th key={k} className="num">{k}</th>)}</tr></thead>
      <tbody>
        {view.ids.map((id, i) => (
          <tr key={id}><td>{id}</td>{view.columns.map(([k, col]) => <td key={k} className="num">{col[i]}</td>)}</tr>
        ))}
      </tbody>
    </table>
  );
}
