import { getHeapStatistics } from 'node:v8';

/**
 * The worker's memory budget (WORKER_MEMORY_MB). Its memory is mostly the requests it keeps in memory between steps
 * (the SDK's workflow cache), which the SDK otherwise sizes from the heap: ~2,300 on a 24 GiB machine, 1,374 MiB
 * with 10,000 requests waiting on people. From the budget follow the cache's size and the heap limit that fits it.
 *
 * Measured (bench/results/2026-11-29T12-30-41.json, …12-34-55.json): 320 MiB resident with nothing cached, and about
 * 0.5 MiB more per request held (570 MiB with 500). The rest of the budget is kept for steps in flight and the GC.
 */
const BASE_MIB = 320;
const PER_CACHED_REQUEST_MIB = 0.5;
/** A fifth of the budget is headroom: a busy moment's allocations, and the collector's own. */
const HEADROOM = 0.2;

/** How many requests the worker keeps in memory under `budgetMib`. */
export function cachedRequestsFor(budgetMib: number): number {
  return Math.max(50, Math.floor((budgetMib * (1 - HEADROOM) - BASE_MIB) / PER_CACHED_REQUEST_MIB));
}

/** The V8 heap limit (--max-old-space-size) that fits the budget: what the process holds beyond the heap is ~1/4. */
export const heapLimitFor = (budgetMib: number): number => Math.floor(budgetMib * 0.75);

/**
 * When the process's heap may grow past the budget (Node sizes it from the machine), the budget still holds by the
 * cache's size, but a container's limit would kill rather than collect: say which flag makes the heap fit.
 */
export function heapAdvice(budgetMib: number): string | null {
  const heapMib = getHeapStatistics().heap_size_limit / 1_048_576;
  const fits = heapLimitFor(budgetMib);
  return heapMib > budgetMib
    ? `the heap may grow to ${Math.round(heapMib)} MiB, past WORKER_MEMORY_MB=${budgetMib}: start the worker with NODE_OPTIONS=--max-old-space-size=${fits}`
    : null;
}
