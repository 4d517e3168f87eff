// Share: save the scenario (if needed) and show its address, ready to copy.
import { useEffect, useRef, useState } from "react";
import type { ScenarioJson } from "../model/serialize";
import { Icon } from "./Icon";
import type { RunController } from "./runController";

export function ShareBox({ controller, scenario, onClose }: { controller: RunController; scenario: () => ScenarioJson; onClose: () => void }) {
  const [url, setUrl] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const get = useRef(scenario);

  useEffect(() => {
    let live = true;
    controller.save(get.current()).then(
      (s) => live && setUrl(s.shareUrl ? new URL(s.shareUrl, location.href).toString() : null),
      (e: unknown) => live && setError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      live = false;
    };
  }, [controller]);

  useEffect(() => input.current?.select(), [url]);

  const copy = (): void => {
    if (!url) return;
    void navigator.clipboard?.writeText(url).then(() => setCopied(true), () => input.current?.select());
  };

  return (
    <div className="sharebox" role="dialog" aria-label="Share">
      {error ? <span className="sharebox__error">Could not save: {error}</span>
        : <input ref={input} readOnly data-testid="share-link" value={url ?? "Saving…"} aria-label="Share link" />}
      <button type="button" className="btn" onClick={copy} disabled={!url}>{copied ? "Copied" : "Copy"}</button>
      <button type="button" className="icon-btn" onClick={onClose} aria-label="Close"><Icon name="close" /></button>
    </div>
  );
}
