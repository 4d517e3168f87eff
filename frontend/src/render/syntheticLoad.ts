// A synthetic load for the browser benchmark (bench/bench_browser.py): keeps `count` tokens in
// flight along the scene's edges, with no run and no network, so drawing cost is measured alone.
import type { TokenField } from "./tokens";

export class SyntheticLoad {
  private t = 0;
  private k = 0;

  constructor(readonly count: number, private readonly pairs: readonly (readonly [number, number])[]) {}

  /** Advances synthetic time by `dtS` and tops the field up to `count` tokens. */
  step(field: TokenField, dtS: number): number {
    this.t += dtS;
    field.prune(this.t);
    const missing = this.count - field.inFlight;
    if (missing > 0 && this.pairs.length) {
      const events = [];
      for (let i = 0; i < missing; i++) {
        const [src, dst] = this.pairs[this.k++ % this.pairs.length]!;
        // staggered starts and lives so tokens spread along their links
        events.push({ ts: this.t - ((this.k * 0.137) % 1), dt: 1 + ((this.k * 0.61) % 1), src, dst, edge: -1, kind: this.k % 10 });
      }
      field.add(events, 0);
    }
    return this.t;
  }
}
