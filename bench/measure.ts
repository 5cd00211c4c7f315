/** Timing and percentiles for the benchmark. Latencies in milliseconds, from the monotonic clock. */

export const now = (): number => performance.now();

export function percentile(sorted: number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return sorted[rank]!;
}

export interface LatencySummary {
  samples: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function summarize(samples: number[]): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b);
  const round = (ms: number) => Math.round(ms * 100) / 100;
  return {
    samples: sorted.length,
    p50: round(percentile(sorted, 0.5)),
    p95: round(percentile(sorted, 0.95)),
    p99: round(percentile(sorted, 0.99)),
    max: round(sorted.at(-1) ?? Number.NaN),
  };
}

/** Runs `operation` `times` times (after `warmup` unmeasured runs) and summarizes how long each took. */
export async function timeEach(times: number, operation: (i: number) => Promise<unknown>, warmup = 5): Promise<LatencySummary> {
  for (let i = 0; i < warmup; i++) await operation(i);
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    const started = now();
    await operation(i);
    samples.push(now() - started);
  }
  return summarize(samples);
}

/** Progress on one line for slow steps: what is happening, and how long it took when done. */
export async function step<T>(label: string, work: () => Promise<T>): Promise<T> {
  const started = now();
  process.stdout.write(`  ${label} …`);
  const result = await work();
  process.stdout.write(` ${((now() - started) / 1000).toFixed(1)} s\n`);
  return result;
}
