// After a node is added by click, keep it in view without losing the others: if everything
// fits at the current zoom, centre the whole graph; if not, zoom out just enough to fit it.
import type { ReactFlowInstance } from "@xyflow/react";
import type { SceneNode } from "../model/types";
import { NODE_SIZE } from "./dnd";

type Flow = Pick<ReactFlowInstance, "screenToFlowPosition" | "setCenter" | "fitBounds" | "getZoom">;

export function revealNode(flow: Flow, canvas: DOMRect, nodes: readonly SceneNode[], at: { x: number; y: number }): void {
  const tl = flow.screenToFlowPosition({ x: canvas.left, y: canvas.top });
  const br = flow.screenToFlowPosition({ x: canvas.right, y: canvas.bottom });
  const margin = 24 / flow.getZoom();
  if (at.x >= tl.x + margin && at.y >= tl.y + margin && at.x + NODE_SIZE.width <= br.x - margin && at.y + NODE_SIZE.height <= br.y - margin) return;
  const xs = [...nodes.map((n) => n.x), at.x];
  const ys = [...nodes.map((n) => n.y), at.y];
  const x0 = Math.min(...xs);
  const y0 = Math.min(...ys);
  const x1 = Math.max(...xs) + NODE_SIZE.width;
  const y1 = Math.max(...ys) + NODE_SIZE.height;
  if (x1 - x0 + 2 * margin <= br.x - tl.x && y1 - y0 + 2 * margin <= br.y - tl.y) {
    void flow.setCenter((x0 + x1) / 2, (y0 + y1) / 2, { zoom: flow.getZoom() });
  } else {
    void flow.fitBounds({ x: x0, y: y0, width: x1 - x0, height: y1 - y0 }, { padding: 0.15 });
  }
}
