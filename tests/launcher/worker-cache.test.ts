import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { keyringFromFile } from '../../codec/keyring';
import { loadConfig } from '../../config/env';
import { connectDatabase, migrateDatabase, type DatabaseHandle } from '../../db/client';
import { installWorkerRuntime, startRequestWorker } from '../../worker/create-worker';
import { createDatabase, TEST_KEY_FILE } from '../support/test-system';

/** WORKER_MAX_CACHED_WORKFLOWS reaches the worker as `npm run worker` starts it; unset, the SDK sizes the cache. */
let database: DatabaseHandle;

beforeAll(async () => {
  installWorkerRuntime();
  database = connectDatabase(await createDatabase());
  await migrateDatabase(database.pool);
});
afterAll(async () => database?.close());

async function cacheOf(env: Record<string, string>): Promise<number> {
  const config = loadConfig({ ...env, TEMPORAL_TASK_QUEUE: `cache-${randomUUID()}`, WORKFLOW_BUNDLE_PATH: inject('workflowBundlePath') });
  const running = await startRequestWorker(config, { temporalAddress: inject('temporalAddress'), db: database.db, keyring: await keyringFromFile(TEST_KEY_FILE) });
  try {
    return running.worker.options.maxCachedWorkflows;
  } finally {
    await running.stop();
  }
}

it('keeps as many requests in memory as configured, and the SDK default otherwise', async () => {
  expect(await cacheOf({ WORKER_MAX_CACHED_WORKFLOWS: '500' })).toBe(500);
  expect(await cacheOf({})).toBeGreaterThanOrEqual(10);
}, 60_000);
