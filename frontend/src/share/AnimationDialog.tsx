// Export a segment of the finished run as an animation: WebM (recorded in real time by the
// browser) or GIF (encoded here). The frames come from the run's stored log, not the screen, so
// the file shows the same thing whatever the viewer was doing.
import { useState } from "react";
import type { Scene } from "../model/types";
import { fetchRunLog } from "../net/shareApi";
import { diagramImage } from "../render/diagramSvg";
import { baseName, download } from "../studio/downloads";
import { segmentProblem, SegmentPainter, type Segment } from "./animation";
import { Dialog } from "./Dialog";
import { recordGif, recordWebm, type Recorded } from "./recordAnimation";

export interface AnimationDialogProps {
  runId: string;
  scene: Scene;
  runNodeIds: readonly string[];
  end: number;
  playhead: number;
  onClose: () => void;
}

export function AnimationDialog({ runId, scene, runNodeIds, end, playhead, onClose }: AnimationDialogProps) {
  const start0 = Math.max(0, Math.min(playhead, end - 5));
  const [seg, setSeg] = useState<Segment>({ t0: round1(start0), t1: round1(Math.min(end, start0 + 5)), fps: 12, speed: 1 });
  const [status, setStatus] = useState<string>("");
  const [busy, setBusy] = useState(false);
  const problem = segmentProblem(seg, end);

  const make = (kind: "webm" | "gif"): void => {
    setBusy(true);
    setStatus("Loading the run's frames…");
    void (async () => {
      const log = await fetchRunLog(runId);
      const image = await diagramImage(scene);
      const painter = new SegmentPainter(image, scene, runNodeIds, log, seg.speed);
      const progress = (done: number, total: number): void => setStatus(`${kind === "gif" ? "Encoding" : "Recording"} frame ${done} of ${total}…`);
      const out: Recorded = kind === "gif" ? await recordGif(painter, seg, image, progress) : await recordWebm(painter, seg, image, progress);
      download(out.blob, `${baseName(scene.name)}-${seg.t0.toFixed(1)}-${seg.t1.toFixed(1)}s.${kind}`);
      setStatus(`${kind.toUpperCase()} ready: ${out.frames} frames, ${(out.blob.size / 1024).toFixed(0)} kB, made in ${(out.ms / 1000).toFixed(1)} s.`);
    })().catch((e: unknown) => setStatus(`Export failed: ${e instanceof Error ? e.message : String(e)}`)).finally(() => setBusy(false));
  };

  const field = (key: keyof Segment, label: string, step: number) => (
    <label className="form-row">
      <span>{label}</span>
      <input type="number" step={step} value={seg[key]} data-testid={`anim-${key}`}
        onChange={(e) => setSeg((s) => ({ ...s, [key]: e.target.valueAsNumber }))} />
    </label>
  );

  return (
    <Dialog title="Export an animation" testId="animation-dialog" onClose={onClose}>
      <p className="panel-hint">A segment of this run, drawn from its stored frames: the diagram with its messages in flight.
        WebM records in real time ({problem ? "–" : `${((seg.t1 - seg.t0) / seg.speed).toFixed(1)} s`}); GIF is encoded at once.</p>
      <div className="form-grid">
        {field("t0", "From (simulated s)", 0.1)}
        {field("t1", "To (simulated s)", 0.1)}
        {field("fps", "Frames per second", 1)}
        {field("speed", "Speed (simulated s per second)", 0.5)}
      </div>
      {problem ? <p className="sharebox__error" role="alert" data-testid="anim-problem">{problem}</p> : null}
      <div className="dialog__actions">
        <button type="button" className="btn btn--primary" data-testid="anim-webm" disabled={busy || problem !== null} onClick={() => make("webm")}>Record WebM</button>
        <button type="button" className="btn" data-testid="anim-gif" disabled={busy || problem !== null} onClick={() => make("gif")}>Make GIF</button>
      </div>
      <p className="panel-hint" role="status" data-testid="anim-status">{status}</p>
    </Dialog>
  );
}

const round1 = (x: number): number => Math.round(x * 10) / 10;
