import { bundleWorkflowCode } from '@temporalio/worker';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../../launcher/embedded-postgres';
import { findOrInstallTemporalCli } from '../../launcher/temporal-cli';
import { freeTemporalPort, startTemporalEngine, temporalEngine } from '../../launcher/temporal-engine';
import { WORKFLOWS_PATH } from '../../worker/create-worker';
import { freePort } from './free-port';
import { TEMPLATE_DATABASE } from './template-database';
import pg from 'pg';
import { connectDatabase, migrateDatabase } from '../../db/client';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
    temporalAddress: string;
    temporalCliPath: string;
    workflowBundlePath: string;
  }
}

/** Starts the real servers once per run, on free loopback ports, and stops them when the run ends. */
export default async function setup(project: TestProject) {
  const log = (message: string) => console.log(`[test setup] ${message}`);
  const workDir = await mkdtemp(join(tmpdir(), 'rabat-tests-'));
  // TEMPORAL_ENGINE=production: the full Temporal server on this run's Postgres instead of the dev server.
  const engine = temporalEngine();
  const [postgresPort, temporalPort] = [await freePort(), await freeTemporalPort(engine)];

  // The Postgres server runs as an unprivileged user when we are root: it must be able to enter workDir.
  await chmod(workDir, 0o755);

  const quiet = { log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined, warn: console.warn, error: console.error };
  const startingPostgres = startEmbeddedPostgres({ dataDir: join(workDir, 'postgres'), port: postgresPort, database: 'tests', log });
  const [postgres, temporal, bundle] = await Promise.allSettled([
    startingPostgres,
    findOrInstallTemporalCli(process.env.TEMPORAL_CLI, log).then(async (cliPath) => ({
      cliPath,
      server: await startTemporalEngine({
        engine,
        port: temporalPort,
        namespace: 'default',
        log,
        cliPath,
        dbFile: null,
        // A retry or a deadline of the tests' short policies fires within 50 ms of when it is due, not within a second.
        timerLatency: '50ms',
        // The production server persists to the run's Postgres (its own databases), so it waits for it.
        postgresUrl: engine === 'production' ? (await startingPostgres).url : '',
        workDir,
      }),
    })),
    // Bundle the workflow code once; every test file's worker loads the same bundle.
    bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quiet }),
  ]);
  const teardown = async () => {
    if (temporal.status === 'fulfilled') await temporal.value.server.stop();
    if (postgres.status === 'fulfilled') await postgres.value.stop();
    await rm(workDir, { recursive: true, force: true });
  };
  // If one server failed to start, stop the others before reporting it, so that nothing is left running.
  const failed = [postgres, temporal, bundle].find((result) => result.status === 'rejected');
  if (failed || postgres.status !== 'fulfilled' || temporal.status !== 'fulfilled' || bundle.status !== 'fulfilled') {
    await teardown();
    throw (failed as PromiseRejectedResult).reason;
  }

  // Migrated once: each test file's database is a copy of this one (tests/support/test-system.ts, createDatabase),
  // instead of applying every migration again in each of some seventy files.
  await createMigratedTemplate(postgres.value.url);

  const workflowBundlePath = join(workDir, 'workflow-bundle.js');
  await writeFile(workflowBundlePath, bundle.value.code);

  project.provide('postgresUrl', postgres.value.url);
  project.provide('temporalAddress', temporal.value.server.address);
  project.provide('temporalCliPath', temporal.value.cliPath);
  project.provide('workflowBundlePath', workflowBundlePath);

  return teardown;
}

async function createMigratedTemplate(postgresUrl: string): Promise<void> {
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${TEMPLATE_DATABASE}`);
  } finally {
    await admin.end();
  }
  const url = new URL(postgresUrl);
  url.pathname = `/${TEMPLATE_DATABASE}`;
  const template = connectDatabase(url.toString(), { max: 1 });
  try {
    await migrateDatabase(template.pool);
  } finally {
    await template.close();
  }
}
