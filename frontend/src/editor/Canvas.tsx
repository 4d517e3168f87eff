// The editable graph: React Flow, controlled by the scene. Every user edit leaves here as a
// model Change; React Flow never owns state the scene should have. A node drag is one undo
// step (a history gesture). The token layer sits above the graph in the same viewport.
import {
  Background, BackgroundVariant, Controls, MarkerType, MiniMap, ReactFlow, useReactFlow, useStore,
  type Connection, type EdgeChange, type IsValidConnection, type NodeChange, type OnDelete,
} from "@xyflow/react";
import { useCallback, useMemo, useState, type DragEvent, type ReactNode } from "react";
import type { Change } from "../model/changes";
import { nextEdgeId } from "../model/ids";
import type { Scene } from "../model/types";
import { TokenLayer, type TokenSource } from "../render/TokenLayer";
import { FarLayer } from "../render/FarLayer";
import type { Token } from "../render/tokens";
import { KIND_MIME, NODE_SIZE } from "./dnd";
import { toFlowEdges, toFlowNodes, type TopoFlowEdge, type TopoFlowNode, type ViewState } from "./flowAdapter";
import { accentOf } from "./icons";
import { TopoEdge } from "./TopoEdge";
import { TopoNode } from "./TopoNode";
import type { Selection } from "./selection";

const nodeTypes = { topo: TopoNode };
const GRID: [number, number] = [22, 22];
// Above this many nodes the minimap (which redraws every node on every pan) is left out.
const LARGE = 300;
const FAR_ZOOM = 0.4;
const edgeTypes = { topo: TopoEdge };
const defaultEdgeOptions = { markerEnd: { type: MarkerType.ArrowClosed, width: 16, height: 16, color: "#6e7681" } };

export interface CanvasProps {
  scene: Scene;
  view: ViewState;
  readOnly: boolean;
  tokens: TokenSource;
  apply: (change: Change) => void;
  gesture: (phase: "begin" | "end") => void;
  onSelection: (update: (s: Selection) => Selection) => void;
  onMeasured: (sizes: ReadonlyMap<string, { width: number; height: number }>) => void;
  onDropKind: (kind: string, at: { x: number; y: number }) => void;
  snap?: boolean;
  /** A click on a message token (the inspector opens on it). */
  onTokenClick?: (t: Token) => void;
  /** Drag on the empty canvas draws a selection box (as Shift+drag always does) instead of panning. */
  boxSelect?: boolean;
  children?: ReactNode;
}

export function Canvas(props: CanvasProps) {
  const { scene, view, readOnly, tokens, apply, gesture, onSelection, onMeasured, onDropKind, snap = false, onTokenClick, boxSelect = false, children } = props;
  const flow = useReactFlow<TopoFlowNode, TopoFlowEdge>();
  // Zoomed far out, cards are drawn as plain tiles (no text, icons or handles): far cheaper to
  // paint, and unreadable at that size anyway.
  const far = useStore((s) => s.transform[2] < FAR_ZOOM);
  // Fit a loaded scenario into view once; an empty canvas must not jump when the first node lands.
  const [fitOnLoad] = useState(() => scene.nodes.length > 0);
  const nodes = useMemo(() => toFlowNodes(scene, view), [scene, view]);
  const edges = useMemo(() => toFlowEdges(scene, view), [scene, view]);

  const onNodesChange = useCallback((changes: NodeChange<TopoFlowNode>[]) => {
    const sizes = new Map<string, { width: number; height: number }>();
    const select = new Map<string, boolean>();
    for (const c of changes) {
      if (c.type === "dimensions" && c.dimensions) sizes.set(c.id, c.dimensions);
      else if (c.type === "position" && c.position && !readOnly) apply({ type: "node/move", id: c.id, x: c.position.x, y: c.position.y });
      else if (c.type === "select") select.set(c.id, c.selected);
    }
    if (sizes.size) onMeasured(sizes);
    if (select.size) onSelection((s) => ({ ...s, nodes: applySelect(s.nodes, select) }));
  }, [apply, onMeasured, onSelection, readOnly]);

  const onEdgesChange = useCallback((changes: EdgeChange<TopoFlowEdge>[]) => {
    const select = new Map<string, boolean>();
    for (const c of changes) if (c.type === "select") select.set(c.id, c.selected);
    if (select.size) onSelection((s) => ({ ...s, edges: applySelect(s.edges, select) }));
  }, [onSelection]);

  const onDelete: OnDelete<TopoFlowNode, TopoFlowEdge> = useCallback(({ nodes: n, edges: e }) => {
    apply({ type: "remove", nodes: n.map((x) => x.id), edges: e.map((x) => x.id) });
    onSelection(() => ({ nodes: [], edges: [] }));
  }, [apply, onSelection]);

  const onConnect = useCallback((c: Connection) => {
    apply({ type: "edge/add", edge: { id: nextEdgeId(scene), source: c.source, target: c.target, params: {} } });
  }, [apply, scene]);

  const isValidConnection: IsValidConnection<TopoFlowEdge> = useCallback((c) =>
    c.source !== c.target && !scene.edges.some((e) => e.source === c.source && e.target === c.target), [scene]);

  const onDragOver = useCallback((e: DragEvent) => {
    if (!e.dataTransfer.types.includes(KIND_MIME) && !e.dataTransfer.types.includes("text/plain")) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = "copy";
  }, []);

  const onDrop = useCallback((e: DragEvent) => {
    const kind = e.dataTransfer.getData(KIND_MIME) || e.dataTransfer.getData("text/plain");
    if (!kind || readOnly) return;
    e.preventDefault();
    const p = flow.screenToFlowPosition({ x: e.clientX, y: e.clientY });
    onDropKind(kind, { x: p.x - NODE_SIZE.width / 2, y: p.y - NODE_SIZE.height / 2 });
  }, [flow, onDropKind, readOnly]);

  return (
    <div className={far ? (scene.nodes.length > LARGE ? "canvas is-far is-far-canvas" : "canvas is-far") : "canvas"} data-testid="canvas" onDragOver={onDragOver} onDrop={onDrop}>
      <ReactFlow<TopoFlowNode, TopoFlowEdge>
        nodes={nodes} edges={edges} nodeTypes={nodeTypes} edgeTypes={edgeTypes}
        defaultEdgeOptions={defaultEdgeOptions} colorMode="dark"
        onNodesChange={onNodesChange} onEdgesChange={onEdgesChange} onDelete={onDelete} onConnect={onConnect}
        isValidConnection={isValidConnection} snapToGrid={snap} snapGrid={GRID}
        multiSelectionKeyCode={["Meta", "Control"]} selectionKeyCode="Shift"
        selectionOnDrag={boxSelect} panOnDrag={boxSelect ? [1, 2] : true}
        onNodeDragStart={() => gesture("begin")} onNodeDragStop={() => gesture("end")}
        nodesDraggable={!readOnly} nodesConnectable={!readOnly} elementsSelectable
        deleteKeyCode={readOnly ? null : ["Backspace", "Delete"]}
        fitView={fitOnLoad} fitViewOptions={{ maxZoom: 1.2, padding: 0.3 }} minZoom={0.1} maxZoom={3}
        proOptions={{ hideAttribution: true }}>
        <Background variant={BackgroundVariant.Dots} gap={GRID} size={1.2} color="#2d333b" />
        {scene.nodes.length > LARGE ? null : <MiniMap pannable zoomable nodeColor={(n) => accentOf(String(n.data.kind))} maskColor="rgba(13,17,23,0.7)" />}
        <Controls showInteractive={false} />
        {far && scene.nodes.length > LARGE ? <FarLayer /> : null}
        <TokenLayer source={tokens} onPick={onTokenClick} />
        {children}
      </ReactFlow>
      {scene.nodes.length === 0 ? (
        <div className="canvas-empty" aria-hidden="true">
          <p>Drag a <strong>Client</strong> and a <strong>Service</strong> here,</p>
          <p>connect the right dot of one to the left dot of the other, then press <strong>Run</strong>.</p>
        </div>
      ) : null}
    </div>
  );
}

function applySelect(ids: readonly string[], changes: ReadonlyMap<string, boolean>): string[] {
  const out = new Set(ids);
  for (const [id, on] of changes) {
    if (on) out.add(id);
    else out.delete(id);
  }
  return [...out];
}
