// Import a Mermaid flowchart: paste it or pick a file; the server turns it into a scenario and
// says which nodes it could only guess (imported as services).
import { useEffect, useRef, useState, type ChangeEvent } from "react";
import { importMermaid, type MermaidImport } from "../net/api";

export function ImportDialog({ onImported, onClose }: { onImported: (r: MermaidImport) => void; onClose: () => void }) {
  const [text, setText] = useState("flowchart LR\n  U([Browser]) --> GW[API] --> DB[(Orders DB)]\n");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const areaRef = useRef<HTMLTextAreaElement>(null);
  useEffect(() => areaRef.current?.focus(), []);

  const onFile = (e: ChangeEvent<HTMLInputElement>): void => {
    const file = e.target.files?.[0];
    if (!file) return;
    if (file.size > 100_000) {
      setError("the file is larger than 100 kB");
      return;
    }
    void file.text().then(setText);
  };
  const submit = (): void => {
    setBusy(true);
    setError(null);
    importMermaid(text)
      .then(onImported)
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)))
      .finally(() => setBusy(false));
  };
  return (
    <div className="help-backdrop" onClick={onClose} onKeyDown={(e) => e.key === "Escape" && onClose()}>
      <div className="help-sheet import" role="dialog" aria-modal="true" aria-labelledby="import-title" data-testid="import-dialog"
        onClick={(e) => e.stopPropagation()}>
        <div className="help-sheet__head">
          <h2 id="import-title">Import a Mermaid flowchart</h2>
          <button type="button" className="btn" onClick={onClose}>Close</button>
        </div>
        <label className="panel-hint" htmlFor="mermaid-text">Paste a <code>graph</code>/<code>flowchart</code>, or choose a file.</label>
        <textarea id="mermaid-text" ref={areaRef} data-testid="mermaid-text" value={text} rows={10} spellCheck={false}
          onChange={(e) => setText(e.target.value)} />
        <div className="import__row">
          <input type="file" accept=".mmd,.md,.txt,text/plain" onChange={onFile} data-testid="mermaid-file" aria-label="Mermaid file" />
          <button type="button" className="btn btn--primary" onClick={submit} disabled={busy || !text.trim()} data-testid="mermaid-import">
            {busy ? "Importing…" : "Import"}
          </button>
        </div>
        {error ? <p className="sharebox__error" role="alert" data-testid="import-error">{error}</p> : null}
      </div>
    </div>
  );
}
