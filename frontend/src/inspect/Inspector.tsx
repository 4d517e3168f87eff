// The clicked message: kind, route, send and arrival time, trace and span id, and the trace's
// waterfall when the request was sampled (and has finished, or the run has ended).
import type { TraceStore } from "./traces";
import { WaterfallView } from "./Waterfall";
import { messageKinds } from "../model/messageKinds";
import { styleOf } from "../render/messageStyle";

/** A message as the inspector shows it (a token, or an arrow of the sequence diagram). */
export interface PickedMessage {
  ts: number; dt: number; src: number; dst: number; kind: number; edge: number; trace?: number; span?: number;
}

export interface InspectorProps {
  picked: PickedMessage | null;
  nodeId: (index: number) => string | undefined;
  traces: TraceStore;
  playhead: number;
  onShowTrace: (id: number) => void;
}

export function Inspector({ picked, nodeId, traces, playhead, onShowTrace }: InspectorProps) {
  if (!picked) {
    return <p className="dock__hint" data-testid="inspector-empty">Click a message token on the canvas (or an arrow in Sequence) to inspect it.</p>;
  }
  const kind = messageKinds()[picked.kind] ?? `kind ${picked.kind}`;
  const trace = picked.trace === undefined ? null : traces.get(picked.trace);
  const src = nodeId(picked.src) ?? `#${picked.src}`;
  const dst = nodeId(picked.dst) ?? `#${picked.dst}`;
  return (
    <div className="inspector" data-testid="inspector">
      <dl className="inspector__facts">
        <dt>message</dt>
        <dd data-testid="inspector-kind"><span className="inspector__swatch" style={{ background: styleOf(kind).color }} />{kind}</dd>
        <dt>route</dt><dd data-testid="inspector-route">{src === dst ? `at ${src}` : `${src} → ${dst}`}</dd>
        <dt>sent</dt><dd data-testid="inspector-sent" data-t={picked.ts}>{picked.ts.toFixed(6)} s</dd>
        <dt>arrives</dt><dd data-testid="inspector-arrived" data-t={picked.ts + picked.dt}>{(picked.ts + picked.dt).toFixed(6)} s <small>({(picked.dt * 1000).toFixed(3)} ms in transit)</small></dd>
        <dt>trace</dt>
        <dd data-testid="inspector-trace" data-trace={picked.trace ?? ""} data-span={picked.span ?? ""}>
          {picked.trace === undefined ? "not sampled" : (
            <>id {picked.trace} · span {picked.span}{trace ? <> · <button type="button" className="linkish" onClick={() => onShowTrace(picked.trace!)}>open in Traces</button></> : null}</>
          )}
        </dd>
      </dl>
      {trace ? <WaterfallView trace={trace} playhead={playhead} span={picked.span} /> : (
        <p className="dock__hint">
          {picked.trace === undefined
            ? "This request was not sampled for tracing: set trace_sample on a client (e.g. 0.01) to trace a share of requests."
            : "Its trace appears here once the request has finished."}
        </p>
      )}
    </div>
  );
}
