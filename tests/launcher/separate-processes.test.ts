import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectDatabase, migrateDatabase } from '../../db/client';
import { issueToken } from '../../db/users-repository';
import { freePort } from '../setup/free-port';
import { runScript, startScript } from '../support/spawn-tsx';
import { createDatabase, TEST_KEY_FILE } from '../support/test-system';

/** The production shape: `npm run api` and `npm run worker` as separate processes against external servers. */

let env: Record<string, string>;
let apiUrl: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  const keys = JSON.parse(await readFile(TEST_KEY_FILE, 'utf8')) as { currentKeyId: string; keys: Record<string, string> };
  const port = await freePort();
  env = {
    DATABASE_URL: await createDatabase(),
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    TEMPORAL_TASK_QUEUE: `separate-${randomUUID()}`,
    PAYLOAD_KEYS: `${keys.currentKeyId}:${keys.keys[keys.currentKeyId]}`,
    PORT: String(port),
    LOG_LEVEL: 'warn',
  };
  apiUrl = `http://127.0.0.1:${port}`;
});

afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
});

function exitOf(child: ChildProcess): Promise<number | null> {
  return child.exitCode !== null ? Promise.resolve(child.exitCode) : new Promise((resolve) => child.once('exit', resolve));
}

async function waitForHealth(): Promise<void> {
  for (let i = 0; i < 150; i++) {
    try {
      const response = await fetch(`${apiUrl}/health`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('the API did not become healthy within 30 s');
}

describe('npm run api + npm run worker', () => {
  it('refuse to start without payload keys, saying how to make one', async () => {
    for (const script of ['api/server.ts', 'worker/main.ts']) {
      const result = await runScript(script, [], { ...env, PAYLOAD_KEYS: '' });
      expect({ script, code: result.code }).toEqual({ script, code: 2 });
      expect(result.stderr).toMatch(/PAYLOAD_KEYS.*key generate/);
    }
  });

  it('serve a request together (the worker from the prebuilt workflow bundle), then stop cleanly on SIGTERM', async () => {
    const api = startScript('api/server.ts', env);
    // As in production: the worker loads the bundle the test run prebuilt instead of bundling at start.
    const worker = startScript('worker/main.ts', { ...env, WORKFLOW_BUNDLE_PATH: inject('workflowBundlePath') });
    children.push(api, worker);
    await waitForHealth();

    const database = connectDatabase(env.DATABASE_URL!);
    await migrateDatabase(database.pool);
    const partner = (await issueToken(database.db, { name: 'nfp-sn', role: 'partner', country: 'SN' })).token;
    const secretariat = (await issueToken(database.db, { name: 'secretariat', role: 'secretariat', country: null })).token;
    await database.close();

    const post = (path: string, token: string, body: unknown) =>
      fetch(`${apiUrl}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const submitted = await post('/requests', partner, {
      title: 'Study visit on labour migration',
      description: 'd',
      country: 'SN',
      domain: 2,
      activityType: 'study_visit',
      objectives: 'o',
      expectedOutcomes: 'e',
      estimatedBudgetEur: 12000,
    });
    expect(submitted.status).toBe(201);
    const { id } = (await submitted.json()) as { id: string };
    const screened = await post(`/requests/${id}/screening`, secretariat, { outcome: 'request_information', note: 'Dates?' });
    expect(screened.status).toBe(200);
    expect(((await screened.json()) as { phase: string }).phase).toBe('awaiting_information');

    api.kill('SIGTERM');
    worker.kill('SIGTERM');
    expect(await exitOf(api)).toBe(0);
    expect(await exitOf(worker)).toBe(0);
  });
});
