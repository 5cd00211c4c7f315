import { bundleWorkflowCode } from '@temporalio/worker';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { connectDatabase, migrateDatabase } from '../../db/client';
import { WORKFLOWS_PATH } from '../../worker/create-worker';
import { freePort } from '../../tests/setup/free-port';
import type { BenchServers } from '../environment';
import { now, step, summarize, type LatencySummary } from '../measure';
import { cachedRequestsFor, heapLimitFor } from '../../worker/memory-budget';
import { SUBMISSION } from '../product/lifecycle';
import { benchUser } from '../system-under-test';
import { residentMiB, startEntryPoint, stopGracefully, waitForOutput } from './processes';

const SILENT = { log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: console.error };

export interface FootprintResult {
  openRequests: number;
  /** The worker runs the prebuilt workflow bundle, as production does. */
  residentMiB: { worker: { idle: number; loaded: number }; api: { idle: number; loaded: number } };
  /** `npm start` until it prints "Ready": on a new DATA_DIR (creates the cluster), then again on the same one. */
  startToReadySeconds: { firstStart: number; nextStart: number };
  /** The worker's memory budget (WORKER_MEMORY_MB) and the cache of requests it gives (or WORKER_MAX_CACHED_WORKFLOWS). */
  memoryBudgetMib: number;
  maxCachedWorkflows: number;
  /**
   * A screening step (ms) on the first request submitted, which the cache no longer holds when it is smaller than
   * the number of open requests (its workflow is replayed from its history), and on the last one, which it holds.
   */
  stepMs: { firstSubmitted: number; lastSubmitted: number };
  /** The same step on many requests the cache had evicted (each replayed from its history), and on cached ones. */
  evictedStepMs?: LatencySummary;
  cachedStepMs?: LatencySummary;
  /** The worker's resident memory after those steps. */
  workerMiBAfterSteps?: number;
}

/** Steps measured on evicted and on cached requests. */
const STEP_SAMPLES = 100;

/** Part 5: the worker's and the API's resident memory with many requests waiting on people; time to ready. */
export async function measureFootprint(servers: BenchServers, options: { openRequests: number }): Promise<FootprintResult> {
  const databaseUrl = await servers.createDatabase('bench_footprint');
  const database = connectDatabase(databaseUrl);
  await migrateDatabase(database.pool);
  const port = await freePort();
  const env = {
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: servers.temporal.address,
    TEMPORAL_TASK_QUEUE: 'bench-footprint',
    PAYLOAD_KEYS: `footprint:${randomBytes(32).toString('base64')}`,
    PORT: String(port),
    LOG_LEVEL: 'warn',
    RATE_LIMIT_MAX: '1000000000',
  };
  // As in production (the Dockerfile): the worker loads a prebuilt bundle instead of running webpack at start.
  const bundleDir = await mkdtemp(join(tmpdir(), 'rabat-bench-bundle-'));
  const bundlePath = join(bundleDir, 'workflow-bundle.js');
  const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: SILENT });
  await writeFile(bundlePath, code);
  // As deployed: the budget, and the heap that fits it (deploy/kubernetes/worker-deployment.yaml).
  const budget = Number(process.env.WORKER_MEMORY_MB ?? 1024);
  const worker = startEntryPoint('worker/main.ts', {
    ...env,
    LOG_LEVEL: 'info',
    WORKFLOW_BUNDLE_PATH: bundlePath,
    WORKER_MEMORY_MB: String(budget),
    NODE_OPTIONS: `--max-old-space-size=${heapLimitFor(budget)}`,
  });
  const api = startEntryPoint('api/server.ts', env);
  try {
    await waitForOutput(worker, /RUNNING/, 120_000);
    const partner = await benchUser(database.db, 'partner', 'SN');
    const secretariat = await benchUser(database.db, 'secretariat');
    const submitted: string[] = [];
    const url = `http://127.0.0.1:${port}`;
    for (let ready = false; !ready; ) ready = await fetch(`${url}/health`).then((r) => r.ok, () => false);
    const idle = { worker: await residentMiB(worker.child.pid!), api: await residentMiB(api.child.pid!) };
    await step(`submitting ${options.openRequests.toLocaleString('en')} requests (each then waits for screening)`, async () => {
      let next = 0;
      await Promise.all(
        Array.from({ length: 20 }, async () => {
          while (next++ < options.openRequests) {
            const response = await fetch(`${url}/requests`, {
              method: 'POST',
              headers: { authorization: `Bearer ${partner}`, 'content-type': 'application/json' },
              body: JSON.stringify(SUBMISSION),
            });
            if (response.status !== 201) throw new Error(`submission answered ${response.status}: ${await response.text()}`);
            submitted.push(((await response.json()) as { id: string }).id);
          }
        }),
      );
    });
    const loaded = { worker: await residentMiB(worker.child.pid!), api: await residentMiB(api.child.pid!) };
    const screen = async (id: string) => {
      const started = now();
      const response = await fetch(`${url}/requests/${id}/screening`, {
        method: 'POST',
        headers: { authorization: `Bearer ${secretariat}`, 'content-type': 'application/json' },
        body: JSON.stringify({ outcome: 'request_information', note: 'Which airports?' }),
      });
      if (response.status !== 200) throw new Error(`screening answered ${response.status}: ${await response.text()}`);
      return Math.round((now() - started) * 10) / 10;
    };
    const stepMs = { firstSubmitted: await screen(submitted[0]!), lastSubmitted: await screen(submitted.at(-1)!) };
    // The oldest requests were evicted long ago (the cache holds the most recently used); the newest are held.
    const samples = Math.min(STEP_SAMPLES, Math.floor(submitted.length / 4));
    const evicted = await step(`a step on ${samples} evicted requests`, async () => {
      const times: number[] = [];
      for (const id of submitted.slice(1, 1 + samples)) times.push(await screen(id));
      return summarize(times);
    });
    const cached = await step(`a step on ${samples} cached requests`, async () => {
      const times: number[] = [];
      for (const id of submitted.slice(-1 - samples, -1)) times.push(await screen(id));
      return summarize(times);
    });
    const workerMiBAfterSteps = await residentMiB(worker.child.pid!);
    return {
      openRequests: options.openRequests,
      residentMiB: { worker: { idle: idle.worker, loaded: loaded.worker }, api: { idle: idle.api, loaded: loaded.api } },
      startToReadySeconds: await measureStartToReady(),
      memoryBudgetMib: budget,
      maxCachedWorkflows: process.env.WORKER_MAX_CACHED_WORKFLOWS ? Number(process.env.WORKER_MAX_CACHED_WORKFLOWS) : cachedRequestsFor(budget),
      stepMs,
      evictedStepMs: evicted,
      cachedStepMs: cached,
      workerMiBAfterSteps,
    };
  } finally {
    await stopGracefully(api.child);
    await stopGracefully(worker.child);
    await database.close();
    await rm(bundleDir, { recursive: true, force: true });
  }
}

async function measureStartToReady(): Promise<{ firstStart: number; nextStart: number }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'rabat-bench-start-'));
  // As root, Postgres runs as the `postgres` user, which must be able to enter the directory.
  await chmod(dataDir, 0o755);
  const env = {
    DATA_DIR: dataDir,
    PORT: String(await freePort()),
    TEMPORAL_PORT: String(await freePort()),
    TEMPORAL_UI_PORT: String(await freePort()),
    EMBEDDED_POSTGRES_PORT: String(await freePort()),
    DATABASE_URL: '',
    TEMPORAL_ADDRESS: '',
  };
  const once = async () => {
    const started = Date.now();
    const launcher = startEntryPoint('launcher/start.ts', env);
    try {
      await waitForOutput(launcher, /Ready in/, 180_000);
      return Math.round((Date.now() - started) / 100) / 10;
    } finally {
      await stopGracefully(launcher.child, 'SIGINT');
    }
  };
  try {
    const firstStart = await step('npm start on a new DATA_DIR until ready', once);
    const nextStart = await step('npm start again on the same DATA_DIR until ready', once);
    return { firstStart, nextStart };
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}
