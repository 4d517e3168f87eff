// The one requestAnimationFrame loop. Everything that animates (playback clock, tokens,
// HUD) registers a callback here instead of starting its own loop, so all layers see the
// same `now` and the browser schedules one callback per frame.

export type FrameCallback = (now: number) => void;

class AnimationLoop {
  private readonly callbacks = new Set<FrameCallback>();
  private handle: number | null = null;
  private frames: number[] = [];
  fps = 0;

  add(cb: FrameCallback): () => void {
    this.callbacks.add(cb);
    if (this.handle === null) this.handle = requestAnimationFrame(this.step);
    return () => {
      this.callbacks.delete(cb);
      if (this.callbacks.size === 0 && this.handle !== null) {
        cancelAnimationFrame(this.handle);
        this.handle = null;
      }
    };
  }

  private readonly step = (now: number): void => {
    this.frames.push(now);
    while (this.frames.length && this.frames[0]! < now - 1000) this.frames.shift();
    this.fps = this.frames.length;
    for (const cb of this.callbacks) cb(now);
    this.handle = this.callbacks.size ? requestAnimationFrame(this.step) : null;
  };
}

export const animationLoop = new AnimationLoop();
