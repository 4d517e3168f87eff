// The sampled traces of the run (as requests finish, then the result's final versions), and the
// selected one drawn as a waterfall with the playback cursor.
import { useEffect, useRef } from "react";
import type { TraceStore } from "./traces";
import { traceAt, traceLabel } from "./traces";
import { WaterfallView } from "./Waterfall";

export interface TracesPanelProps {
  traces: TraceStore;
  /** Re-render when traces arrive. */
  version: number;
  selected: number | null;
  onSelect: (id: number) => void;
  playhead: number;
  onSeek?: (t: number) => void;
}

export function TracesPanel({ traces, selected, onSelect, playhead, onSeek }: TracesPanelProps) {
  const listRef = useRef<HTMLUListElement>(null);
  const list = traces.list();
  const shown = list.length === 0 ? null : ((selected !== null ? traces.get(selected) : null) ?? traceAt(list, playhead));
  const shownId = shown?.trace_id ?? null;
  useEffect(() => {
    // Keep the shown trace in view as it follows the playhead (scroll the list, not the page).
    const ul = listRef.current;
    const item = ul?.querySelector<HTMLElement>("[aria-pressed=true]");
    if (!ul || !item) return;
    const top = item.getBoundingClientRect().top - ul.getBoundingClientRect().top + ul.scrollTop;
    if (top < ul.scrollTop || top + item.offsetHeight > ul.scrollTop + ul.clientHeight) {
      ul.scrollTop = top - (ul.clientHeight - item.offsetHeight) / 2;
    }
  }, [shownId]);
  if (!shown) {
    return <p className="dock__hint" data-testid="traces-empty">No sampled traces yet. Set trace_sample on a client (e.g. 0.01) and run: traced requests appear here as they finish.</p>;
  }
  // Until one is picked, the panel follows the playhead: the last request started by then.
  const current = shown;
  return (
    <div className="traces" data-testid="traces-panel" data-count={list.length}>
      <ul ref={listRef} className="traces__list" data-testid="traces-list" aria-label="Sampled traces">
        {list.map((t) => {
          const l = traceLabel(t);
          const on = t.trace_id === current.trace_id;
          return (
            <li key={t.trace_id}>
              <button type="button" className={`traces__item${on ? " traces__item--on" : ""}`} data-testid={`trace-item-${t.trace_id}`}
                aria-pressed={on} onClick={() => onSelect(t.trace_id)}
                onDoubleClick={() => onSeek?.(t.spans[0]!.start_ms / 1000)} title="Double-click: move the playhead to this request">
                <span>{(t.spans[0]!.start_ms / 1000).toFixed(3)} s</span>
                <span className="traces__root">{l.root}</span>
                <span className={l.ok === false ? "traces__bad" : ""}>{l.ms === null ? "open" : `${l.ms.toFixed(1)} ms`}</span>
              </button>
            </li>
          );
        })}
      </ul>
      <WaterfallView trace={current} playhead={playhead} />
    </div>
  );
}
