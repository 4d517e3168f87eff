// Scheduled faults (the scenario's `faults`): a timeline track with a marker per fault over the
// run's duration, and one row per fault (time, action, target, slow factor). Edits go through
// the reducer as one `scene/faults` change; partitions and heals made elsewhere are kept and
// shown read-only.
import { faultTargets } from "./faultTargets";
import type { Change } from "../model/changes";
import type { Fault, Scene } from "../model/types";

const NODE_ACTIONS = ["crash", "restart", "slow"] as const;
const EDGE_ACTIONS = ["cut", "restore"] as const;
const ACTIONS: readonly string[] = [...NODE_ACTIONS, ...EDGE_ACTIONS, "heal"];
const COLORS: Readonly<Record<string, string>> = {
  crash: "#D55E00", restart: "#009E73", slow: "#E69F00", cut: "#CC79A7", restore: "#56B4E9", heal: "#56B4E9", partition: "#CC79A7",
};

export function FaultsEditor({ scene, readOnly, apply }: { scene: Scene; readOnly: boolean; apply: (c: Change, coalesce?: string) => void }) {
  const duration = typeof scene.settings.duration_s === "number" ? scene.settings.duration_s : 60;
  const faults = scene.faults;
  const set = (next: readonly Fault[], key?: string): void => apply({ type: "scene/faults", faults: next }, key);
  const update = (i: number, patch: Record<string, unknown>, key?: string): void =>
    set(faults.map((f, j) => (j === i ? normalise({ ...f, ...patch }) : f)), key);
  const add = (): void => {
    const node = scene.nodes.find((n) => n.kind !== "client") ?? scene.nodes[0];
    if (node) set([...faults, { at_s: Math.round(duration / 2), action: "crash", node: node.id }]);
  };
  return (
    <section className="faults" aria-label="Scheduled faults" data-testid="faults-editor">
      <h3 className="panel-subtitle">Scheduled faults</h3>
      <svg className="fault-track" viewBox="0 0 100 12" preserveAspectRatio="none" role="img"
        aria-label={`${faults.length} faults over ${duration} s`} data-testid="fault-track">
        <rect x="0" y="5" width="100" height="2" fill="#30363d" />
        {faults.map((f, i) => {
          const at = typeof f.at_s === "number" ? f.at_s : 0;
          return <rect key={i} x={Math.min(99, (at / duration) * 100)} y="1" width="1.2" height="10" fill={COLORS[String(f.action)] ?? "#999"} />;
        })}
      </svg>
      <ul className="faults__list">
        {faults.map((f, i) => {
          const action = String(f.action);
          const editable = ACTIONS.includes(action);
          return (
            <li key={i} className="faults__row" data-testid={`fault-row-${i}`}>
              <input type="number" min={0} max={duration} step="any" aria-label="at (s)" value={typeof f.at_s === "number" ? f.at_s : ""}
                disabled={readOnly} data-testid={`fault-at-${i}`}
                onChange={(e) => Number.isFinite(e.target.valueAsNumber) && update(i, { at_s: e.target.valueAsNumber }, `fault:${i}:at`)} />
              <span className="faults__unit">s</span>
              {editable ? (
                <select aria-label="action" value={action} disabled={readOnly} data-testid={`fault-action-${i}`}
                  onChange={(e) => update(i, { action: e.target.value })}>
                  {ACTIONS.map((a) => <option key={a} value={a}>{a}</option>)}
                </select>
              ) : <span>{action}</span>}
              {editable && action !== "heal" ? (
                <select aria-label="target" value={String(f.node ?? f.edge ?? "")} disabled={readOnly} data-testid={`fault-target-${i}`}
                  onChange={(e) => update(i, (EDGE_ACTIONS as readonly string[]).includes(action) ? { edge: e.target.value } : { node: e.target.value })}>
                  {faultTargets(action, String(f.node ?? f.edge ?? ""), scene).map((id) => (
                    <option key={id} value={id}>{id}</option>
                  ))}
                </select>
              ) : null}
              {action === "slow" ? (
                <input type="number" min={1} step="any" aria-label="slow factor" value={typeof f.factor === "number" ? f.factor : 5}
                  disabled={readOnly} onChange={(e) => Number.isFinite(e.target.valueAsNumber) && update(i, { factor: e.target.valueAsNumber }, `fault:${i}:f`)} />
              ) : null}
              <button type="button" className="icon-btn" aria-label={`Remove fault ${i + 1}`} disabled={readOnly}
                onClick={() => set(faults.filter((_, j) => j !== i))}>×</button>
            </li>
          );
        })}
      </ul>
      <button type="button" className="btn btn--small" onClick={add} disabled={readOnly || scene.nodes.length === 0}
        data-testid="fault-add">+ Add fault</button>
    </section>
  );
}

/** Keeps only the fields the action takes, so a changed action stays a valid fault. */
function normalise(f: Record<string, unknown>): Fault {
  const { at_s, action, node, edge, factor, groups } = f;
  if (action === "cut" || action === "restore") return { at_s, action, edge };
  if (action === "heal") return { at_s, action };
  if (action === "partition") return { at_s, action, groups };
  if (action === "slow") return { at_s, action, node, factor: typeof factor === "number" ? factor : 5 };
  return { at_s, action, node };
}
