// The studio page: header, palette, canvas, properties, metrics strip. This file only wires
// the parts together; each part lives in its own folder (see frontend/README.md).
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from "react";
import { Panel, useReactFlow } from "@xyflow/react";
import { Canvas } from "../editor/Canvas";
import { copyOf, pasteChanges, type Clip } from "../editor/clipboard";
import { layoutChanges } from "../editor/autoLayout";
import { NODE_SIZE } from "../editor/dnd";
import { Palette } from "../editor/Palette";
import { freeSpot } from "../editor/placement";
import { revealNode } from "../editor/reveal";
import { PropertiesPanel } from "../editor/PropertiesPanel";
import { emptySelection, focusOf, type Selection } from "../editor/selection";
import type { ViewState } from "../editor/flowAdapter";
import { nextNodeId } from "../model/ids";
import { defaultParams } from "../model/params";
import { toScenario } from "../model/serialize";
import type { BootData } from "./boot";
import { exportScenario } from "./exportScenario";
import { Header } from "./Header";
import { FaultBar } from "./FaultBar";
import { CanvasTools } from "./CanvasTools";
import { ExplainPanel } from "../gallery/ExplainPanel";
import { Gallery, type GalleryPick } from "../gallery/Gallery";
import type { MermaidImport, TemplateInfo } from "../net/api";
import { fromScenario } from "../model/serialize";
import { downloadMermaid, downloadPng, downloadSvg } from "./downloads";
import { ImportDialog } from "./ImportDialog";
import { HelpSheet } from "./HelpSheet";
import { Hud } from "./Hud";
import { MetricsStrip } from "./MetricsStrip";
import { RunController } from "./runController";
import { nodeErrorsOf } from "./nodeErrors";
import { RunError } from "./RunError";
import { ShareBox } from "./ShareBox";
import { SummaryPanel } from "./SummaryPanel";
import { ProtocolViews } from "../views/ProtocolViews";
import { RunDock, useDock } from "../inspect/Dock";
import { initialScene } from "./initialScene";
import { installDebugHook } from "./debug";
import { autosaveText, useAutosave } from "./useAutosave";
import { useKeyboard } from "./useKeyboard";
import { useScene } from "./useScene";
import { useSchema } from "./useSchema";
import { Classroom } from "../classroom/Classroom";
import { useClassroom } from "../classroom/useClassroom";
import { guardEdits } from "../share/readOnly";
import { MomentLink } from "../share/MomentLink";
import { ShareBanner } from "../share/ShareBanner";
import { ShareTools } from "../share/ShareTools";
import { TourTools } from "../tour/TourTools";

export function App({ boot }: { boot: BootData }) {
  const { scene, apply: applyAny, gesture, undo, redo, canUndo, canRedo } = useScene(() => initialScene(boot));
  const { schema } = useSchema();
  const classroom = useClassroom(boot);
  // View only until forked (share/ShareBanner.tsx); a class follows its presenter read-only.
  const [viewOnly, setReadOnly] = useState(!boot.canEdit);
  const readOnly = viewOnly || classroom.following;
  const apply = useMemo(() => guardEdits(applyAny, readOnly), [applyAny, readOnly]);
  const [controller] = useState(() => new RunController(
    boot.scenarioId ? { id: boot.scenarioId, shareUrl: boot.slug ? `/s/${boot.slug}` : null, canEdit: boot.canEdit, savedText: null, revision: boot.revision, readOnly: !boot.canEdit } : null));
  const run = useSyncExternalStore(controller.subscribe, controller.getSnapshot);
  const autosave = useAutosave(scene, controller, !classroom.following);
  const [selection, setSelection] = useState<Selection>(emptySelection);
  const [measured, setMeasured] = useState<ReadonlyMap<string, { width: number; height: number }>>(new Map());
  const [hud, setHud] = useState(() => new URLSearchParams(location.search).get("hud") === "1");
  const [showSummary, setShowSummary] = useState(true);
  const [shareOpen, setShareOpen] = useState(false);
  const [sentNodes, setSentNodes] = useState<readonly string[]>([]);
  const [help, setHelp] = useState(false);
  const [snap, setSnap] = useState(false);
  const [galleryOpen, setGalleryOpen] = useState(false);
  const [explain, setExplain] = useState<TemplateInfo | null>(null);
  const [importOpen, setImportOpen] = useState(false);
  const clip = useRef<Clip | null>(null);
  const dock = useDock();
  const [boxSelect, setBoxSelect] = useState(false);
  const runIds = useMemo(() => run.runNodes.map((n) => n.id), [run.runNodes]);
  const flow = useReactFlow();

  useEffect(() => installDebugHook(controller, () => scene), [controller, scene]);
  useEffect(() => () => controller.stop(), [controller]);

  const nodeErrors = useMemo(() => nodeErrorsOf(run.error, sentNodes), [run.error, sentNodes]);
  const view: ViewState = useMemo(() => ({
    selectedNodes: new Set(selection.nodes), selectedEdges: new Set(selection.edges),
    measured, nodeStates: run.nodeStates, nodeErrors,
  }), [selection, measured, run.nodeStates, nodeErrors]);

  const onMeasured = useCallback((sizes: ReadonlyMap<string, { width: number; height: number }>) =>
    setMeasured((m) => new Map([...m, ...sizes])), []);

  const addNode = useCallback((kind: string, at: { x: number; y: number }) => {
    const id = nextNodeId(scene, kind);
    apply({ type: "node/add", node: { id, kind, x: Math.round(at.x), y: Math.round(at.y), params: defaultParams(schema.kinds.find((k) => k.kind === kind)) } });
    setSelection({ nodes: [id], edges: [] });
  }, [scene, schema, apply]);

  const addAtCentre = useCallback((kind: string) => {
    const rect = document.querySelector<HTMLElement>("[data-testid=canvas]")?.getBoundingClientRect();
    const c = rect ? flow.screenToFlowPosition({ x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 }) : { x: 0, y: 0 };
    const at = freeSpot(scene, { x: c.x - NODE_SIZE.width / 2, y: c.y - NODE_SIZE.height / 2 });
    addNode(kind, at);
    if (rect) revealNode(flow, rect, scene.nodes, at);
  }, [flow, scene, addNode]);

  const onRun = useCallback(() => {
    const scenario = toScenario(scene);
    setSentNodes(scenario.nodes.map((n) => n.id));
    setShowSummary(true);
    void controller.run(scenario);
  }, [scene, controller]);

  const togglePause = useCallback(() => controller.togglePause(), [controller]);
  const loadScene = useCallback((next: typeof scene) => {
    controller.forgetSave();
    setReadOnly(false); // another scenario altogether: a new one of our own
    apply({ type: "scene/replace", scene: next });
    setSelection(emptySelection);
    setSentNodes([]);
    requestAnimationFrame(() => void flow.fitView({ padding: 0.25, maxZoom: 1.1 }));
  }, [controller, apply, flow]);
  const loadImport = useCallback((r: MermaidImport) => {
    setImportOpen(false);
    loadScene(fromScenario(r.scenario));
    const flagged = r.flagged.map((f) => `${f.label || f.id}: ${f.reason}.`);
    setExplain({
      name: "mermaid", title: "Imported from Mermaid",
      description: flagged.length ? `Check these nodes:\n\n${flagged.join("\n\n")}` : "Every node was recognised.",
    });
  }, [loadScene]);
  const exportAs = useCallback((what: string) => {
    const fail = (e: unknown): void => window.alert(`Export failed: ${e instanceof Error ? e.message : String(e)}`);
    if (what === "mermaid") void downloadMermaid(toScenario(scene)).catch(fail);
    else if (what === "svg") downloadSvg(scene);
    else if (what === "png") void downloadPng(scene).catch(fail);
    else if (what === "json") exportScenario(toScenario(scene));
  }, [scene]);
  const loadTemplate = useCallback(({ info, scene: next }: GalleryPick) => {
    setGalleryOpen(false);
    loadScene(next);
    setExplain(info);
  }, [loadScene]);
  const paste = useCallback((from: Clip | null) => {
    if (!from) return;
    const { changes, selection: pasted } = pasteChanges(scene, from);
    gesture("begin");
    for (const c of changes) apply(c);
    gesture("end");
    setSelection(pasted);
  }, [scene, apply, gesture]);
  const shortcuts = useMemo(() => ({
    undo, redo, togglePause, toggleHud: () => setHud((h) => !h),
    copy: () => { clip.current = copyOf(scene, selection) ?? clip.current; },
    paste: () => paste(clip.current),
    duplicate: () => paste(copyOf(scene, selection)),
    selectAll: () => setSelection({ nodes: scene.nodes.map((n) => n.id), edges: scene.edges.map((e) => e.id) }),
    fit: () => void flow.fitView({ padding: 0.2, maxZoom: 1.2, duration: 200 }),
    toggleSnap: () => setSnap((v) => !v),
    layout: () => {
      gesture("begin");
      for (const c of layoutChanges(scene)) apply(c);
      gesture("end");
      requestAnimationFrame(() => void flow.fitView({ padding: 0.25, maxZoom: 1.1, duration: 200 }));
    },
    toggleHelp: () => setHelp((v) => !v),
    escape: () => (help ? setHelp(false) : setSelection(emptySelection)),
  }), [undo, redo, togglePause, scene, selection, paste, flow, help, apply, gesture]);
  useKeyboard(shortcuts);

  return (
    <div className="studio">
      <Header name={scene.name} run={run} canUndo={canUndo} canRedo={canRedo} canRun={scene.nodes.length > 0}
        onUndo={undo} onRedo={redo} onRun={onRun} onPause={togglePause} onSpeed={(s) => controller.setSpeed(s)}
        onShare={() => setShareOpen(true)} onExport={() => exportScenario(toScenario(scene))}>
        <Classroom session={classroom.session} controller={controller} run={run} scene={scene} selection={selection}
          onSelection={setSelection} apply={apply} onRun={onRun} bootScenarioId={boot.scenarioId} />
      </Header>
      {classroom.following ? null : <ShareBanner boot={boot} readOnly={readOnly} controller={controller} scenario={() => toScenario(scene)} />}
      {run.error ? <RunError error={run.error} /> : null}
      {help ? <HelpSheet onClose={() => setHelp(false)} /> : null}
      {importOpen ? <ImportDialog onClose={() => setImportOpen(false)} onImported={loadImport} /> : null}
      {galleryOpen ? <Gallery onClose={() => setGalleryOpen(false)} onPick={loadTemplate} /> : null}
      {shareOpen ? <ShareBox controller={controller} scenario={() => toScenario(scene)} onClose={() => setShareOpen(false)} /> : null}
      <main className="workspace">
        <Palette kinds={schema.kinds} onAdd={addAtCentre} disabled={readOnly} />
        <div className="canvas-column">
        <Canvas scene={scene} view={view} readOnly={readOnly} tokens={controller} apply={apply} gesture={gesture}
          onSelection={setSelection} onMeasured={onMeasured} onDropKind={addNode} snap={snap}
          onTokenClick={dock.pickToken} boxSelect={boxSelect}>
          <Panel position="top-left">
            <div className="top-left-stack">
              {hud ? <Hud controller={controller} /> : null}
              {explain ? <ExplainPanel info={explain} onClose={() => setExplain(null)} /> : null}
            </div>
          </Panel>
          <Panel position="top-center">
            <CanvasTools snap={snap} onFit={shortcuts.fit} onSnap={shortcuts.toggleSnap} onHelp={shortcuts.toggleHelp}>
              <button type="button" className="btn btn--small" data-testid="box-select-button" aria-pressed={boxSelect}
                onClick={() => setBoxSelect((v) => !v)} title="Drag selects a box of nodes (Shift+drag always does)">Box select</button>
              <button type="button" className="btn btn--small" data-testid="layout-button" onClick={shortcuts.layout} disabled={readOnly}
                title="Arrange in layers, left to right (L)">Layout</button>
              <button type="button" className="btn btn--small" data-testid="gallery-button" onClick={() => setGalleryOpen(true)}>Patterns</button>
              <button type="button" className="btn btn--small" data-testid="import-button" onClick={() => setImportOpen(true)}>Import</button>
              <TourTools scene={scene} selection={selection} readOnly={readOnly} apply={apply} controller={controller} run={run}
                onRun={onRun} session={classroom.session} />
              <select className="btn btn--small" data-testid="export-menu" aria-label="Export as" value=""
                onChange={(e) => exportAs(e.target.value)}>
                <option value="" disabled>Export…</option>
                <option value="mermaid">Mermaid</option>
                <option value="svg">SVG</option>
                <option value="png">PNG</option>
                <option value="json">JSON</option>
              </select>
              <ShareTools boot={boot} run={run} controller={controller} scene={scene} schema={schema} />
            </CanvasTools>
            <span className={`autosave autosave--${autosave.state}`} data-testid="save-status" role="status">
              {autosaveText(autosave.state, autosave.error)}</span>
          </Panel>
          <Panel position="bottom-center">
            <FaultBar focus={focusOf(selection)} live={run.phase === "running"} lastControl={run.lastControl}
              down={selection.nodes.length === 1 && run.nodeStates.get(selection.nodes[0]!)?.up === false}
              onControl={(cmd) => controller.control(cmd)} selectedNodes={selection.nodes} runNodes={runIds} partitioned={run.partitioned} />
          </Panel>
          {(run.summary && showSummary) || run.protocols ? (
            <Panel position="top-right">
              <div className="top-right-stack">
                <ProtocolViews protocols={run.protocols} nodes={run.runNodes} isUp={(id) => run.nodeStates.get(id)?.up !== false} />
                {run.summary && showSummary ? <SummaryPanel summary={run.summary} onClose={() => setShowSummary(false)} /> : null}
              </div>
            </Panel>
          ) : null}
        </Canvas>
        <RunDock dock={dock} source={controller} playhead={run.playhead} tracesVersion={run.tracesVersion} runNodes={runIds} selected={selection.nodes} />
        </div>
        <PropertiesPanel scene={scene} schema={schema} focus={focusOf(selection)} readOnly={readOnly} apply={apply} />
      </main>
      <MetricsStrip run={run} series={controller.series} onSeek={(t) => controller.seek(t)} onStep={() => controller.step()}>
        <MomentLink run={run} /></MetricsStrip>
    </div>
  );
}
