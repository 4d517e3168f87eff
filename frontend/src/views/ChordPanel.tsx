// The Chord ring view: peers at their ring positions, this frame's sampled lookup paths as
// chords, and on hover a peer's position, neighbours and finger table (drawn as chords from the
// peer to each distinct finger target, listed as i → start, successor). One canvas.
import { useEffect, useRef, useState } from "react";
import { ringIndex, type FingerRun } from "./chordFingers";
import { nearestPeer, ownerOf, ringNeighbours, type ChordView } from "./protocolViews";

const RING = 230;
const LOOKUP_COLOURS = ["#E69F00", "#56B4E9", "#009E73", "#CC79A7", "#F0E442", "#D55E00"];
const FINGER_COLOUR = "#9ad0ff"; // apart from the lookup colours (Okabe-Ito)

export function ChordPanel({ view }: { view: ChordView }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const [hover, setHover] = useState<number>(-1);
  useEffect(() => { drawRing(ref.current, view, hover); }, [view, hover]);
  const onMove = (e: React.MouseEvent<HTMLCanvasElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    const dx = e.clientX - r.left - RING / 2;
    const dy = e.clientY - r.top - RING / 2;
    const dist = Math.hypot(dx, dy);
    if (dist < RING * 0.3 || dist > RING * 0.5) { setHover(-1); return; }
    const p = ((Math.atan2(dx, -dy) / (2 * Math.PI)) + 1) % 1; // clockwise from the top
    setHover(nearestPeer(view.ring, p));
  };
  const nb = hover >= 0 ? ringNeighbours(view.ring, hover) : null;
  const fingers = hover >= 0 ? view.fingers[hover] ?? null : null;
  return (
    <div className="pviews__chord" data-testid="chord-view" data-peers={view.ring.length} data-lookups={view.lookups.length}
      data-fingers={view.fingers.filter((f) => f !== null).length}>
      <canvas ref={ref} width={RING} height={RING} style={{ width: RING, height: RING }} data-testid="chord-ring"
        onMouseMove={onMove} onMouseLeave={() => setHover(-1)} aria-label={`Chord ring with ${view.ring.length} peers`} />
      <div className="pviews__side">
        <p className="pviews__note">{view.ring.length} peers on the ring{view.live !== null ? ` · ${view.live} live` : ""}</p>
        {hover >= 0 && nb ? (
          <>
            <dl className="pviews__peer" data-testid="chord-peer" data-position={view.ring[hover]}>
              <dt>peer</dt><dd>#{hover + 1} of {view.ring.length}</dd>
              <dt>position</dt><dd>{view.ring[hover]!.toFixed(5)}</dd>
              <dt>successor</dt><dd>{nb.succ.toFixed(5)}</dd>
              <dt>predecessor</dt><dd>{nb.pred.toFixed(5)}</dd>
            </dl>
            {fingers && view.bits !== null ? <FingerTable runs={fingers} ring={view.ring} bits={view.bits} /> : null}
          </>
        ) : <p className="pviews__hint">Hover a peer for its position, successor and finger table.</p>}
        {hover < 0 ? (
          <ul className="pviews__lookups" data-testid="chord-lookups">
            {view.lookups.map((l, i) => (
              <li key={i} style={{ color: LOOKUP_COLOURS[i % LOOKUP_COLOURS.length] }}>
                key {l.key.toFixed(3)} → {(ownerOf(view.ring, l.key) ?? l.path[l.path.length - 1] ?? 0).toFixed(3)}: {l.hops} hop{l.hops === 1 ? "" : "s"}
              </li>
            ))}
          </ul>
        ) : null}
      </div>
    </div>
  );
}

/** One row per run of fingers sharing a successor: i (or i..j), where finger i starts, its successor. */
function FingerTable({ runs, ring, bits }: { runs: readonly FingerRun[]; ring: readonly number[]; bits: number }) {
  return (
    <table className="pviews__table pviews__fingers" data-testid="chord-fingers" data-bits={bits}>
      <caption>finger table (m = {bits})</caption>
      <thead><tr><th className="num">i</th><th className="num">start</th><th className="num">successor</th></tr></thead>
      <tbody>
        {runs.map((r) => {
          const k = ringIndex(ring, r.succ);
          return (
            <tr key={r.from} data-testid="chord-finger" data-from={r.from} data-to={r.to} data-start={r.start} data-succ={r.succ}>
              <td className="num">{r.from === r.to ? r.from : `${r.from}–${r.to}`}</td>
              <td className="num">{r.start.toFixed(5)}</td>
              <td className="num" title={k >= 0 ? `peer #${k + 1}` : "a peer not drawn (sampled ring)"}>
                {r.succ.toFixed(5)}{k >= 0 ? <small> #{k + 1}</small> : null}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function drawRing(canvas: HTMLCanvasElement | null, view: ChordView, hover: number): void {
  const ctx = canvas?.getContext("2d");
  if (!canvas || !ctx) return;
  const dpr = window.devicePixelRatio || 1;
  if (canvas.width !== RING * dpr) { canvas.width = RING * dpr; canvas.height = RING * dpr; }
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, RING, RING);
  const c = RING / 2;
  const R = RING / 2 - 14;
  const at = (p: number, r = R): [number, number] => [c + r * Math.sin(2 * Math.PI * p), c - r * Math.cos(2 * Math.PI * p)];
  ctx.strokeStyle = "#30363d";
  ctx.lineWidth = 1.5;
  ctx.beginPath(); ctx.arc(c, c, R, 0, 2 * Math.PI); ctx.stroke();
  ctx.fillStyle = "#8b949e";
  ctx.font = "10px system-ui, sans-serif";
  ctx.textAlign = "center";
  ctx.fillText("0", c, 10);
  ctx.fillStyle = "#c9d1d9";
  for (const p of view.ring) {
    const [x, y] = at(p);
    ctx.beginPath(); ctx.arc(x, y, 2, 0, 2 * Math.PI); ctx.fill();
  }
  const fingers = hover >= 0 ? view.fingers[hover] : null;
  // While a peer's fingers are shown, the lookup paths would hide them: drawn faint.
  ctx.globalAlpha = fingers ? 0.2 : 1;
  view.lookups.forEach((l, i) => {
    const col = LOOKUP_COLOURS[i % LOOKUP_COLOURS.length]!;
    ctx.strokeStyle = col;
    ctx.fillStyle = col;
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    l.path.forEach((p, j) => { const [x, y] = at(p); if (j === 0) ctx.moveTo(x, y); else ctx.lineTo(x, y); });
    ctx.stroke();
    l.path.forEach((p, j) => {
      const [x, y] = at(p);
      ctx.beginPath(); ctx.arc(x, y, j === 0 ? 4 : 3, 0, 2 * Math.PI); ctx.fill();
    });
    const [kx, ky] = at(l.key, R + 8);
    ctx.beginPath(); ctx.moveTo(kx - 3, ky - 3); ctx.lineTo(kx + 3, ky + 3); ctx.moveTo(kx + 3, ky - 3); ctx.lineTo(kx - 3, ky + 3); ctx.stroke();
  });
  ctx.globalAlpha = 1;
  if (hover >= 0 && hover < view.ring.length) {
    const [x, y] = at(view.ring[hover]!);
    if (fingers) drawFingers(ctx, fingers, [x, y], at);
    const nb = ringNeighbours(view.ring, hover)!;
    const [sx, sy] = at(nb.succ);
    ctx.strokeStyle = "#ffffff";
    ctx.lineWidth = 1;
    ctx.beginPath(); ctx.arc(x, y, 6, 0, 2 * Math.PI); ctx.stroke();
    ctx.beginPath(); ctx.arc(sx, sy, 4, 0, 2 * Math.PI); ctx.stroke();
  }
}

/** Each distinct finger target as a chord from the peer at `from`, its start as a tick outside. */
function drawFingers(ctx: CanvasRenderingContext2D, fingers: readonly FingerRun[], from: [number, number],
  at: (p: number, r?: number) => [number, number]): void {
  const R = RING / 2 - 14;
  ctx.strokeStyle = FINGER_COLOUR;
  ctx.fillStyle = FINGER_COLOUR;
  ctx.lineWidth = 1.2;
  for (const f of fingers) {
    const [fx, fy] = at(f.succ);
    ctx.beginPath(); ctx.moveTo(from[0], from[1]); ctx.lineTo(fx, fy); ctx.stroke();
    ctx.beginPath(); ctx.arc(fx, fy, 3, 0, 2 * Math.PI); ctx.fill();
    const [sx0, sy0] = at(f.start, R + 4);
    const [sx1, sy1] = at(f.start, R + 9);
    ctx.beginPath(); ctx.moveTo(sx0, sy0); ctx.lineTo(sx1, sy1); ctx.stroke();
  }
}
