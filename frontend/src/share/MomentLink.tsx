// "Copy link to this moment": the address of the run being played, at the playhead
// (/r/<run_id>?t=12.5). Shown next to the scrubber; the link is also displayed, selected, for
// browsers that refuse clipboard access.
import { useRef, useState } from "react";
import type { RunSnapshot } from "../studio/runController";
import { momentUrl } from "./shareBoot";

export function MomentLink({ run }: { run: RunSnapshot }) {
  const [link, setLink] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const ready = run.runId !== null && run.available > 0;

  const make = (): void => {
    if (!run.runId) return;
    const url = momentUrl(run.runId, run.playhead);
    setLink(url);
    setCopied(false);
    requestAnimationFrame(() => input.current?.select());
    void navigator.clipboard?.writeText(url).then(() => setCopied(true), () => undefined);
  };

  return (
    <span className="moment-link">
      <button type="button" className="btn btn--small" data-testid="moment-button" onClick={make} disabled={!ready}
        title="Copy a link that opens this run paused at the current simulated time" style={{ height: 22 }}>
        {copied ? "Link copied" : "Link to moment"}
      </button>
      {link ? (
        <span className="moment-link__pop" role="dialog" aria-label="Link to this moment">
          <input ref={input} readOnly value={link} data-testid="moment-link" aria-label="Moment link" onFocus={(e) => e.target.select()} />
          <button type="button" className="icon-btn" aria-label="Close" onClick={() => setLink(null)}>×</button>
        </span>
      ) : null}
    </span>
  );
}
