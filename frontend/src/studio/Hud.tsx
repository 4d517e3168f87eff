// The stats overlay (h key or ?hud=1): frames per second and tokens in flight, sampled a few
// times a second from the shared loop.
import { useEffect, useState } from "react";
import { animationLoop } from "../render/loop";
import type { RunController } from "./runController";

export function Hud({ controller }: { controller: RunController }) {
  const [s, setS] = useState({ fps: 0, packets: 0, frames: 0, playhead: 0 });
  useEffect(() => {
    let last = 0;
    return animationLoop.add((now) => {
      if (now - last < 250) return;
      last = now;
      setS({ fps: animationLoop.fps, packets: controller.tokens.inFlight, frames: controller.stats.framesReceived, playhead: controller.playhead() });
    });
  }, [controller]);
  return (
    <div className="hud" role="status" aria-label="Stats">
      <span>fps <b data-testid="hud-fps">{s.fps}</b></span>
      <span>packets <b data-testid="hud-packets">{s.packets}</b></span>
      <span>frames <b>{s.frames}</b></span>
      <span>t <b>{s.playhead.toFixed(2)}s</b></span>
    </div>
  );
}
