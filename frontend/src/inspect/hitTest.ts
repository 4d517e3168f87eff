// Where the token layer drew each token in the last animation frame, in canvas pixels, so a
// click can find the token under the pointer. Arrays are reused frame to frame (no garbage).
import type { Token } from "../render/tokens";

export class DrawnTokens {
  private xs = new Float32Array(256);
  private ys = new Float32Array(256);
  private toks: Token[] = [];
  count = 0;

  reset(): void {
    this.count = 0;
  }

  push(x: number, y: number, t: Token): void {
    if (this.count === this.xs.length) {
      const grow = (a: Float32Array) => { const b = new Float32Array(a.length * 2); b.set(a); return b; };
      this.xs = grow(this.xs);
      this.ys = grow(this.ys);
    }
    this.xs[this.count] = x;
    this.ys[this.count] = y;
    this.toks[this.count] = t;
    this.count++;
  }

  /** Every drawn token with its position (for tests and the debug hook). */
  all(): { x: number; y: number; token: Token }[] {
    return Array.from({ length: this.count }, (_, i) => ({ x: this.xs[i]!, y: this.ys[i]!, token: this.toks[i]! }));
  }

  /** The token drawn nearest to (x, y) within `radius` pixels, or null. */
  nearest(x: number, y: number, radius: number): Token | null {
    let best = -1;
    let bestD = radius * radius;
    for (let i = 0; i < this.count; i++) {
      const dx = this.xs[i]! - x;
      const dy = this.ys[i]! - y;
      const d = dx * dx + dy * dy;
      if (d <= bestD) { bestD = d; best = i; }
    }
    return best < 0 ? null : this.toks[best]!;
  }
}
