import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { fileURLToPath } from 'node:url';
import { schema } from './schema';
import { applySqlFunctions } from './sql-functions';

export type Database = NodePgDatabase<typeof schema>;

export interface DatabaseHandle {
  db: Database;
  pool: pg.Pool;
  close(): Promise<void>;
}

export function connectDatabase(url: string, options: { max?: number } = {}): DatabaseHandle {
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10 });
  // A client that loses its server (Postgres restart) emits 'error': an idle one on the pool, one checked out (in a
  // transaction, say) on itself. Without listeners Node crashes the process; with them the query in flight fails,
  // its transaction rolls back, the activity or request is retried, and the pool reconnects.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  const db = drizzle(pool, { schema });
  return { db, pool, close: () => pool.end() };
}

const MIGRATIONS_FOLDER = fileURLToPath(new URL('./migrations', import.meta.url));
/** Arbitrary constant naming "this project's schema migration" among advisory locks. */
const MIGRATION_LOCK_ID = 727_001;

/**
 * Applies the committed drizzle-kit migrations. The API and the worker both call this at start; an advisory
 * lock makes the second wait for the first instead of racing it.
 */
export async function migrateDatabase(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
    try {
      await migrate(drizzle(client, { schema }), { migrationsFolder: MIGRATIONS_FOLDER });
      // The SQL functions as their files define them today (sql-functions.ts), whatever the migrations said.
      await applySqlFunctions(client);
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]);
    }
  } finally {
    client.release();
  }
}
