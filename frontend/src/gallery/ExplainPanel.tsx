// The explanation of the template the scenario came from (meta description): what to watch,
// what to try and break. Plain text, paragraphs split on blank lines.
import type { TemplateInfo } from "../net/api";

export function ExplainPanel({ info, onClose }: { info: TemplateInfo; onClose: () => void }) {
  return (
    <aside className="explain" aria-label={`About ${info.title}`} data-testid="explain-panel">
      <div className="explain__head">
        <h2>{info.title}</h2>
        <button type="button" className="icon-btn" onClick={onClose} aria-label="Close the explanation">×</button>
      </div>
      {info.description.split(/\n\s*\n/).map((p, i) => <p key={i}>{p}</p>)}
    </aside>
  );
}
