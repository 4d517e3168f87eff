// Metric series over simulated time, folded from released `metrics` messages.
import type { MetricsMsg } from "../net/protocol";

export class MetricsSeries {
  readonly t: number[] = [];
  readonly throughput: number[] = [];
  readonly p99: number[] = [];
  version = 0;

  add(msgs: readonly MetricsMsg[]): void {
    for (const m of msgs) {
      this.t.push(m.t);
      this.throughput.push(m.throughput_rps);
      this.p99.push(m.latency_ms.p99);
    }
    if (msgs.length) this.version++;
  }

  clear(): void {
    for (const col of [this.t, this.throughput, this.p99]) col.length = 0;
    this.version++;
  }

  get last(): { throughput: number; p99: number } | null {
    const n = this.t.length;
    return n ? { throughput: this.throughput[n - 1]!, p99: this.p99[n - 1]! } : null;
  }
}
