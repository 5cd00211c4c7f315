import { connectDatabase, migrateDatabase, type Database } from '../../db/client';
import { loadConfig } from '../../config/env';
import { setUserEmail } from '../../db/notifications-repository';
import { listUsers } from '../../db/users-repository';
import { startRequestWorker } from '../../worker/create-worker';
import type { BenchServers } from '../environment';
import { now, summarize, type LatencySummary } from '../measure';
import { benchKeyring, benchUser, startApi } from '../system-under-test';
import { runLifecycle, type Cast } from './lifecycle';

export interface ProductResult {
  lifecycles: number;
  concurrency: number;
  eventsPerLifecycle: number;
  /** Events each step records (what the engine's floor reproduces with no-op activities). */
  eventsPerStep: number[];
  seconds: number;
  lifecyclesPerSecond: number;
  latency: Record<string, LatencySummary>;
}

/**
 * Parts 2 and 3: full lifecycles through the HTTP API with every real write (worker and API in one process, as
 * `npm start` runs them, on a fresh database) — lifecycles per second and each endpoint's latency.
 */
export async function runProduct(
  servers: BenchServers,
  options: {
    lifecycles: number;
    concurrency: number;
    withReads: boolean;
    database: string;
    /** E-mail notifications on, through this mail server, with every person of the cast given an address. */
    smtpUrl?: string;
    /** Runs after the lifecycles are measured, before the worker stops (e.g. to let the e-mails go out). */
    beforeStop?: (db: Database) => Promise<void>;
  },
): Promise<ProductResult> {
  const databaseUrl = await servers.createDatabase(options.database);
  const database = connectDatabase(databaseUrl);
  await migrateDatabase(database.pool);
  const keyring = benchKeyring();
  const taskQueue = `bench-${options.database}`;
  const config = { ...loadConfig({}), TEMPORAL_TASK_QUEUE: taskQueue, ...(options.smtpUrl ? { SMTP_URL: options.smtpUrl, PUBLIC_URL: 'https://capacity.example.org' } : {}) };
  const worker = await startRequestWorker(config, { temporalAddress: servers.temporal.address, db: database.db, keyring });
  const api = await startApi({ databaseUrl, temporalAddress: servers.temporal.address, taskQueue, keyring });
  const cast: Cast = {
    partner: await benchUser(database.db, 'partner', 'SN'),
    secretariat: await benchUser(database.db, 'secretariat'),
    scMember: await benchUser(database.db, 'sc_member', 'ES'),
    chair: await benchUser(database.db, 'chair'),
    monitor: await benchUser(database.db, 'monitor'),
  };
  if (options.smtpUrl) {
    for (const user of await listUsers(database.db)) await setUserEmail(database.db, user.userId, `${user.role}@bench.example.org`, 'bench');
  }
  const samples = new Map<string, number[]>();
  const record = (endpoint: string, ms: number) => samples.set(endpoint, [...(samples.get(endpoint) ?? []), ms]);
  const lifecycleOptions = { baseUrl: api.url, cast, withReads: options.withReads };

  try {
    // Warm-up: the first workflow task loads the bundle; the first queries warm the pool.
    const versions: number[] = [];
    const eventsPerLifecycle = await runLifecycle({ ...lifecycleOptions, record: () => undefined, onVersion: (v) => versions.push(v) });
    const eventsPerStep = versions.map((version, i) => version - (versions[i - 1] ?? 0));
    const started = now();
    let next = 0;
    await Promise.all(
      Array.from({ length: options.concurrency }, async () => {
        while (next++ < options.lifecycles) await runLifecycle({ ...lifecycleOptions, record });
      }),
    );
    const seconds = (now() - started) / 1000;
    await options.beforeStop?.(database.db);
    return {
      lifecycles: options.lifecycles,
      concurrency: options.concurrency,
      eventsPerLifecycle,
      eventsPerStep,
      seconds: Math.round(seconds * 100) / 100,
      lifecyclesPerSecond: Math.round((options.lifecycles / seconds) * 100) / 100,
      latency: Object.fromEntries([...samples].map(([endpoint, values]) => [endpoint, summarize(values)])),
    };
  } finally {
    await api.app.close();
    await worker.stop();
    await database.close();
  }
}
