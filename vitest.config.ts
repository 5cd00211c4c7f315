import { defineConfig } from 'vitest/config';
import SlowestFirst from './tests/setup/slowest-first';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // One real Temporal dev server and one real Postgres for the whole run; each test file gets its own
    // database and task queue (tests/support/test-system.ts).
    globalSetup: ['tests/setup/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Vitest runs one file per core less one: on a 2-core machine, one at a time. Most files wait (on Temporal, on
    // timers, on child processes) far more than they compute, so three at a time overlap those waits: 629 s → 299 s
    // on two cores. Four were no faster (309 s and 376 s, the cores already busy) and one run timed out npm start's test.
    maxWorkers: 3,
    // Each file in a fresh process imported the whole system again (Temporal's worker and client, Fastify, Drizzle):
    // about 180 CPU-seconds of a run, on two cores the run's bottleneck. A process now runs file after file; every
    // file still makes its own database, task queue, worker and API (tests/support/test-system.ts) and stops them.
    isolate: false,
    // The slowest files first, also on a fresh clone without vitest's cache of durations (tests/setup/slowest-first.ts).
    sequence: { sequencer: SlowestFirst },
    reporters: ['default'],
  },
});
