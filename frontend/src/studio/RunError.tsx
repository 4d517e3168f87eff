// Server validation errors, shown under the Run button; the nodes they name are highlighted.
import type { RunErrorState } from "./nodeErrors";

export function RunError({ error }: { error: RunErrorState }) {
  return (
    <div className="run-error" role="alert" data-testid="run-error">
      <strong>Could not run:</strong> <span>{error.message}</span>
      {error.details.length > 0 ? (
        <ul>
          {error.details.slice(0, 6).map((d, i) => (
            <li key={i}><code>{String(d.loc ?? d.node ?? "")}</code> {String(d.msg ?? "")}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
