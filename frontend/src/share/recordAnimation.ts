// Turns a SegmentPainter into files: GIF (offline, our encoder in gif.ts) and WebM (the
// browser's MediaRecorder on a canvas captureStream, which records in real time, so a segment
// takes (t1 - t0) / speed seconds to record).
import { frameTimes, type Segment, type SegmentPainter } from "./animation";
import { GifEncoder } from "./gif";

export interface Recorded { blob: Blob; frames: number; ms: number }
type Progress = (done: number, total: number) => void;

function surface(width: number, height: number, maxWidth: number): { canvas: HTMLCanvasElement; ctx: CanvasRenderingContext2D; scale: number } {
  const scale = Math.min(1, maxWidth / width);
  const canvas = document.createElement("canvas");
  // Video encoders want even sizes.
  canvas.width = Math.max(2, Math.round((width * scale) / 2) * 2);
  canvas.height = Math.max(2, Math.round((height * scale) / 2) * 2);
  const ctx = canvas.getContext("2d", { willReadFrequently: true });
  if (!ctx) throw new Error("no 2D canvas");
  return { canvas, ctx, scale };
}

const yieldToPage = (): Promise<void> => new Promise((ok) => setTimeout(ok, 0));

export async function recordGif(painter: SegmentPainter, seg: Segment, size: { width: number; height: number }, progress?: Progress): Promise<Recorded> {
  const started = performance.now();
  const { canvas, ctx, scale } = surface(size.width, size.height, 640);
  const gif = new GifEncoder(canvas.width, canvas.height);
  const times = frameTimes(seg);
  painter.start(seg.t0);
  for (let i = 0; i < times.length; i++) {
    painter.paint(ctx, times[i]!, scale);
    gif.addFrame(ctx.getImageData(0, 0, canvas.width, canvas.height).data, 1000 / seg.fps);
    if (i % 5 === 4) {
      progress?.(i + 1, times.length);
      await yieldToPage();
    }
  }
  const bytes = gif.finish();
  return { blob: new Blob([bytes.buffer as ArrayBuffer], { type: "image/gif" }), frames: gif.frames, ms: performance.now() - started };
}

function webmType(): string {
  for (const t of ["video/webm;codecs=vp9", "video/webm;codecs=vp8", "video/webm"]) {
    if (typeof MediaRecorder !== "undefined" && MediaRecorder.isTypeSupported(t)) return t;
  }
  throw new Error("this browser cannot record WebM video (no MediaRecorder support)");
}

export async function recordWebm(painter: SegmentPainter, seg: Segment, size: { width: number; height: number }, progress?: Progress): Promise<Recorded> {
  const type = webmType();
  const started = performance.now();
  const { canvas, ctx, scale } = surface(size.width, size.height, 1280);
  const recorder = new MediaRecorder(canvas.captureStream(seg.fps), { mimeType: type, videoBitsPerSecond: 2_500_000 });
  const chunks: Blob[] = [];
  recorder.ondataavailable = (e) => e.data.size > 0 && chunks.push(e.data);
  const stopped = new Promise<void>((ok) => { recorder.onstop = () => ok(); });
  const times = frameTimes(seg);
  painter.start(seg.t0);
  painter.paint(ctx, times[0]!, scale);
  recorder.start(500);
  const t0 = performance.now();
  const frameMs = 1000 / seg.fps;
  // Frames go out on the wall clock (MediaRecorder timestamps them as they arrive); a late timer
  // skips ahead rather than stretching the video.
  for (let i = 1; i < times.length; i++) {
    const due = t0 + i * frameMs;
    await new Promise((ok) => setTimeout(ok, Math.max(0, due - performance.now())));
    const idx = Math.min(times.length - 1, Math.max(i, Math.floor((performance.now() - t0) / frameMs)));
    painter.paint(ctx, times[idx]!, scale);
    if (idx > i) i = idx;
    progress?.(i + 1, times.length);
  }
  await new Promise((ok) => setTimeout(ok, frameMs));
  recorder.stop();
  await stopped;
  const blob = new Blob(chunks, { type: "video/webm" });
  return { blob, frames: times.length, ms: performance.now() - started };
}
