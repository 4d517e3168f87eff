// The sequence (space-time) diagram: a lifeline per node, time running down over a window
// around the playhead, each message a slanted arrow coloured by kind from its sender at the send
// time to its receiver at arrival; the playback cursor as a horizontal line. Redrawn from the
// run snapshot (a few times a second), never per message; at most MAX_ARROWS arrows.
import { useEffect, useMemo, useRef, useState } from "react";
import type { Timeline } from "../playback/timeline";
import { messageKinds } from "../model/messageKinds";
import { FALLBACK_STYLE, styleOf } from "../render/messageStyle";
import type { PickedMessage } from "./Inspector";
import { MAX_ARROWS, lanesOf, layoutSequence, nearestArrow, scopeOf, type Arrow, type SequenceLayout } from "./sequence";

const WINDOWS = [0.05, 0.25, 1, 5] as const;
const HEIGHT = 172;
const BOX = { left: 60, right: 60, top: 26, bottom: 6 };

export interface SequencePanelProps {
  timeline: Timeline | null;
  runNodes: readonly string[];
  selected: readonly string[];
  playhead: number;
  onPick: (m: PickedMessage) => void;
}

export function SequencePanel({ timeline, runNodes, selected, playhead, onPick }: SequencePanelProps) {
  const ref = useRef<HTMLCanvasElement>(null);
  const wrap = useRef<HTMLDivElement>(null);
  const [win, setWin] = useState<number>(0.25);
  const [width, setWidth] = useState(600);
  useEffect(() => {
    const el = wrap.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setWidth(Math.max(240, Math.floor(el.clientWidth))));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  const scope = useMemo(() => scopeOf(runNodes, selected), [runNodes, selected]);
  // Three quarters of the window before the playhead (what happened), a quarter after (arrived, still to play).
  const t0 = Math.max(0, playhead - 0.75 * win);
  const t1 = t0 + win;
  const layout: SequenceLayout | null = useMemo(() => {
    if (!scope || !timeline) return null;
    const events = timeline.eventsBetween(t0, t1, MAX_ARROWS, scope.keep);
    return layoutSequence(events, lanesOf(scope, events), runNodes, t0, t1, playhead, { width, height: HEIGHT, ...BOX });
  }, [scope, timeline, t0, t1, playhead, runNodes, width]);
  useEffect(() => draw(ref.current, layout, width, playhead, t0, t1), [layout, width, playhead, t0, t1]);

  const onClick = (e: React.MouseEvent<HTMLCanvasElement>) => {
    if (!layout) return;
    const r = e.currentTarget.getBoundingClientRect();
    const a = nearestArrow(layout.arrows, e.clientX - r.left, e.clientY - r.top, 6);
    if (a) onPick(a.ev);
  };
  return (
    <div className="sequence" ref={wrap} data-testid="sequence-view" data-arrows={layout?.arrows.length ?? 0}
      data-lanes={layout?.lanes.map((l) => l.id).join(",") ?? ""}>
      <div className="dock__bar">
        <span className="dock__note">
          {scope ? `${layout?.arrows.length ?? 0} messages${(layout?.arrows.length ?? 0) >= MAX_ARROWS ? " (capped)" : ""}, ${t0.toFixed(3)}–${t1.toFixed(3)} s`
            : "Select nodes (click, or Shift+drag a box) to see the messages between them."}
        </span>
        <label className="dock__note">window{" "}
          <select className="btn btn--small" data-testid="sequence-window" value={win} onChange={(e) => setWin(Number(e.target.value))}>
            {WINDOWS.map((w) => <option key={w} value={w}>{w < 1 ? `${w * 1000} ms` : `${w} s`}</option>)}
          </select>
        </label>
      </div>
      <canvas ref={ref} data-testid="sequence-canvas" style={{ width, height: HEIGHT, display: scope ? "block" : "none" }}
        onClick={onClick} aria-label="Sequence diagram of messages around the playhead" />
    </div>
  );
}

function draw(canvas: HTMLCanvasElement | null, layout: SequenceLayout | null, width: number, playhead: number, t0: number, t1: number): void {
  const ctx = canvas?.getContext("2d");
  if (!canvas || !ctx) return;
  const dpr = window.devicePixelRatio || 1;
  if (canvas.width !== width * dpr || canvas.height !== HEIGHT * dpr) { canvas.width = width * dpr; canvas.height = HEIGHT * dpr; }
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, width, HEIGHT);
  if (!layout) return;
  ctx.font = "11px system-ui, sans-serif";
  ctx.textAlign = "center";
  for (const l of layout.lanes) {
    ctx.fillStyle = "#c9d1d9";
    ctx.fillText(l.id.length > 16 ? `${l.id.slice(0, 15)}…` : l.id, l.x, 14);
    ctx.strokeStyle = "#30363d";
    ctx.lineWidth = 1;
    ctx.beginPath(); ctx.moveTo(l.x, BOX.top - 4); ctx.lineTo(l.x, HEIGHT - BOX.bottom); ctx.stroke();
  }
  drawArrows(ctx, layout.arrows, playhead);
  ctx.globalAlpha = 1;
  ctx.strokeStyle = "#F0E442";
  ctx.lineWidth = 1;
  ctx.setLineDash([4, 3]);
  ctx.beginPath(); ctx.moveTo(8, layout.cursorY); ctx.lineTo(width - 8, layout.cursorY); ctx.stroke();
  ctx.setLineDash([]);
  ctx.fillStyle = "#F0E442";
  ctx.textAlign = "left";
  ctx.fillText(`${playhead.toFixed(3)} s`, 4, layout.cursorY - 3);
  ctx.fillStyle = "#8b949e";
  ctx.fillText(`${t0.toFixed(3)} s`, 4, BOX.top + 8);
  ctx.fillText(`${t1.toFixed(3)} s`, 4, HEIGHT - BOX.bottom - 2);
}

function drawArrows(ctx: CanvasRenderingContext2D, arrows: readonly Arrow[], playhead: number): void {
  // One path per (colour, past or future) instead of one per arrow: 400 arrows, a dozen strokes.
  const kinds = messageKinds();
  const groups = new Map<string, { colour: string; future: boolean; arrows: Arrow[] }>();
  for (const a of arrows) {
    const colour = (kinds[a.kind] !== undefined ? styleOf(kinds[a.kind]) : FALLBACK_STYLE).color;
    const future = a.ev.ts > playhead; // sent after the cursor: still to play, drawn faint
    const key = `${colour}${future ? "+" : ""}`;
    const g = groups.get(key) ?? { colour, future, arrows: [] };
    g.arrows.push(a);
    groups.set(key, g);
  }
  ctx.lineWidth = 1.2;
  for (const g of groups.values()) {
    ctx.strokeStyle = g.colour;
    ctx.fillStyle = g.colour;
    ctx.globalAlpha = g.future ? 0.3 : 0.9;
    ctx.beginPath();
    for (const a of g.arrows) { ctx.moveTo(a.x0, a.y0); ctx.lineTo(a.x1, a.y1); }
    ctx.stroke();
    ctx.beginPath();
    for (const a of g.arrows) {
      const ang = Math.atan2(a.y1 - a.y0, a.x1 - a.x0);
      ctx.moveTo(a.x1, a.y1);
      ctx.lineTo(a.x1 - 7 * Math.cos(ang - 0.4), a.y1 - 7 * Math.sin(ang - 0.4));
      ctx.lineTo(a.x1 - 7 * Math.cos(ang + 0.4), a.y1 - 7 * Math.sin(ang + 0.4));
      ctx.closePath();
    }
    ctx.fill();
  }
}
