// A directed edge: a bezier path with an arrow, wrapped in a group that carries the testid.
import { BaseEdge, getBezierPath, type EdgeProps } from "@xyflow/react";
import { memo } from "react";
import type { TopoFlowEdge } from "./flowAdapter";

function TopoEdgeView(props: EdgeProps<TopoFlowEdge>) {
  const { id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, selected, markerEnd } = props;
  const [path] = getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });
  return (
    <g data-testid={`edge-${id}`} className={selected ? "topo-edge is-selected" : "topo-edge"}>
      <BaseEdge id={id} path={path} {...(markerEnd ? { markerEnd } : {})} interactionWidth={18} />
    </g>
  );
}

export const TopoEdge = memo(TopoEdgeView);
