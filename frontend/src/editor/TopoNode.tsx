// A node card: icon, label (React text, never HTML), a hint of its params, live badges while
// a run plays, and its two handles: in on the left, out on the right.
import { Handle, Position, type NodeProps } from "@xyflow/react";
import { memo } from "react";
import { accentOf, KindIcon } from "./icons";
import type { TopoFlowNode } from "./flowAdapter";

function TopoNodeView({ id, data, selected }: NodeProps<TopoFlowNode>) {
  const { kind, label, detail, error, state, util } = data;
  const down = state !== null && !state.up;
  const classes = ["topo-node", selected ? "is-selected" : "", error ? "has-error" : "", down ? "is-down" : ""];
  return (
    <div className={classes.join(" ")} data-testid={`node-${id}`} style={{ ["--accent" as string]: accentOf(kind) }}
      title={error ?? undefined}>
      <Handle type="target" position={Position.Left} className="topo-handle" data-testid={`handle-in-${id}`}
        aria-label={`Connect into ${label}`} />
      <span className="topo-node__icon">
        <KindIcon kind={kind} />
        {util !== null && util > 0 ? (
          <svg className="util-ring" viewBox="0 0 36 36" aria-label={`utilisation ${Math.round(util * 100)}%`} role="img">
            <circle cx="18" cy="18" r="16" pathLength={100} strokeDasharray={`${util * 100} 100`}
              stroke={util > 0.9 ? "#D55E00" : util > 0.7 ? "#E69F00" : "#009E73"} />
          </svg>
        ) : null}
      </span>
      <span className="topo-node__text">
        <span className="topo-node__label">{label}</span>
        <span className="topo-node__detail">{detail}</span>
      </span>
      {state && (
        <span className="topo-node__badges" aria-label="live state">
          {down ? <span className="badge badge--down">down</span> : null}
          {state.role ? <span className={`badge badge--role badge--${state.role.replace(/\W+/g, "-")}`} data-testid={`role-${id}`}>{state.role}</span> : null}
          {state.busy > 0 ? <span className="badge" title="busy workers">busy {state.busy}</span> : null}
          {state.q > 0 ? <span className="badge badge--queue" title="queued requests">queue {state.q}</span> : null}
        </span>
      )}
      {error ? <span className="topo-node__error" role="status">!</span> : null}
      <Handle type="source" position={Position.Right} className="topo-handle" data-testid={`handle-out-${id}`}
        aria-label={`Connect out of ${label}`} />
    </div>
  );
}

export const TopoNode = memo(TopoNodeView);
