import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectDatabase, migrateDatabase, type DatabaseHandle } from '../db/client';
import { startEmbeddedPostgres } from '../launcher/embedded-postgres';
import { freePort } from '../tests/setup/free-port';

/**
 * For the one-question measurements beside `npm run bench` (tallies-cost.ts, document-erasure-lookup.ts,
 * notification-lists.ts): a fresh embedded Postgres with the project's migrations, given to `measure`, then stopped
 * and removed whatever happens.
 */
export async function withScratchDatabase(name: string, measure: (database: DatabaseHandle) => Promise<void>): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), `${name}-`));
  const postgres = await startEmbeddedPostgres({ dataDir, port: await freePort(), database: name, log: () => undefined });
  const database = connectDatabase(postgres.url);
  try {
    await migrateDatabase(database.pool);
    await measure(database);
  } finally {
    await database.close();
    await postgres.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
