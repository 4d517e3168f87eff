// Metric series over simulated time, folded from released `metrics` messages.
import type { MetricsMsg } from "../net/protocol";

export class MetricsSeries {
  readonly t: number[] = [];
  readonly throughput: number[] = [];
  readonly p99: number[] = [];
  readonly p50: number[] = [];
  readonly p95: number[] = [];
  /** Failed requests per second in each window (from the cumulative count). */
  readonly errors: number[] = [];
  private lastFailed = 0;
  version = 0;

  add(msgs: readonly MetricsMsg[]): void {
    for (const m of msgs) {
      this.t.push(m.t);
      this.throughput.push(m.throughput_rps);
      this.p99.push(m.latency_ms.p99);
      this.p50.push(m.latency_ms.p50 ?? 0);
      this.p95.push(m.latency_ms.p95 ?? 0);
      this.errors.push(Math.max(0, m.failed - this.lastFailed) / (m.window_s > 0 ? m.window_s : 1));
      this.lastFailed = m.failed;
    }
    if (msgs.length) this.version++;
  }

  clear(): void {
    for (const col of [this.t, this.throughput, this.p99, this.p50, this.p95, this.errors]) col.length = 0;
    this.lastFailed = 0;
    this.version++;
  }

  get last(): { throughput: number; p99: number } | null {
    const n = this.t.length;
    return n ? { throughput: this.throughput[n - 1]!, p99: this.p99[n - 1]! } : null;
  }
}
