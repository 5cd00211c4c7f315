import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import proto from '@temporalio/proto';
import { execFile, type ChildProcess } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { SEARCH_ATTRIBUTE_KEYS } from '../workflows/request-contract';
import { isExecutable } from './process-checks';
import { spawnServer, waitUntilTemporalAnswers } from './server-process';

/**
 * The full Temporal server (`go.temporal.io/server/cmd/server`, all four services in one process) persisting
 * to Postgres: the engine users move to when one machine is not enough, as docker-compose.yml runs it. Its
 * databases and schemas are made with Temporal's own SQL tool; the server listens on 127.0.0.1 only.
 */

export const TEMPORAL_SERVER_VERSION = 'v1.32.1';
export const TEMPORAL_SERVER_PACKAGES = {
  server: `go.temporal.io/server/cmd/server@${TEMPORAL_SERVER_VERSION}`,
  sqlTool: `go.temporal.io/server/cmd/tools/sql@${TEMPORAL_SERVER_VERSION}`,
} as const;

/** gRPC (frontend, history, matching, worker), membership (the same four), then the frontend's HTTP port. */
export const PORTS_PER_SERVER = 9;

export interface PostgresLocation {
  host: string;
  port: number;
  user: string;
  password: string;
}

export interface ProductionServerOptions {
  postgres: PostgresLocation;
  /** portBase is the frontend's gRPC port; the server uses PORTS_PER_SERVER consecutive ports from it. */
  portBase: number;
  /** Its config file and log go here. */
  workDir: string;
  namespace: string;
  /** Fixed when the databases are first set up; 4 as in Temporal's development-postgres12.yaml. */
  historyShards?: number;
  databases?: { temporal: string; visibility: string };
  log: (message: string) => void;
}

export interface RunningProductionServer {
  address: string;
  process: ChildProcess;
  version: string;
  stop(): Promise<void>;
}

export interface TemporalServerBinaries {
  server: string;
  sqlTool: string;
  /** `schema/` of the server module's source, which `go install` leaves in the module cache. */
  schemaDir: string;
}

const STARTUP_TIMEOUT_MS = 120_000;
const STOP_GRACE_MS = 15_000;
const DEFAULT_DATABASES = { temporal: 'temporal', visibility: 'temporal_visibility' };
/** The server's namespace registry refreshes every 2 s (system.namespaceCacheRefreshInterval). */
const REGISTRY_REFRESH_MS = 2_000;

const run = promisify(execFile);

/** Where `go install` puts binaries and module sources (GOBIN, GOMODCACHE), asking `go env` when Go is here. */
export async function goDirectories(): Promise<{ bin: string; modCache: string }> {
  try {
    const { stdout } = await run('go', ['env', 'GOBIN', 'GOPATH', 'GOMODCACHE']);
    const [gobin, gopath, modCache] = stdout.split('\n').map((line) => line.trim());
    const firstGopath = gopath?.split(':')[0] || join(homedir(), 'go');
    return { bin: gobin || join(firstGopath, 'bin'), modCache: modCache || join(firstGopath, 'pkg', 'mod') };
  } catch {
    return { bin: join(homedir(), 'go', 'bin'), modCache: join(homedir(), 'go', 'pkg', 'mod') };
  }
}

/** The binaries by TEMPORAL_SERVER_BIN / TEMPORAL_SQL_TOOL_BIN / TEMPORAL_SCHEMA_DIR, else where `go install` puts them; null for what is missing. */
export async function locateTemporalServer(env: NodeJS.ProcessEnv = process.env): Promise<Partial<TemporalServerBinaries>> {
  const go = await goDirectories();
  const server = env.TEMPORAL_SERVER_BIN || join(go.bin, 'server');
  const sqlTool = env.TEMPORAL_SQL_TOOL_BIN || join(go.bin, 'sql');
  const schemaDir = env.TEMPORAL_SCHEMA_DIR || join(go.modCache, 'go.temporal.io', `server@${TEMPORAL_SERVER_VERSION}`, 'schema');
  return {
    server: (await isExecutable(server)) ? server : undefined,
    sqlTool: (await isExecutable(sqlTool)) ? sqlTool : undefined,
    schemaDir: (await isExecutable(join(schemaDir, 'postgresql', 'v12', 'temporal', 'versioned'))) ? schemaDir : undefined,
  };
}

export async function findTemporalServer(env: NodeJS.ProcessEnv = process.env): Promise<TemporalServerBinaries> {
  const found = await locateTemporalServer(env);
  if (found.server && found.sqlTool && found.schemaDir) return found as TemporalServerBinaries;
  const given = (name: string) => (env[name] ? `${name}=${env[name]} is not there` : `${name} unset`);
  const missing = [
    found.server ? null : `the server (${given('TEMPORAL_SERVER_BIN')}; \`go install ${TEMPORAL_SERVER_PACKAGES.server}\`)`,
    found.sqlTool ? null : `its SQL tool (${given('TEMPORAL_SQL_TOOL_BIN')}; \`go install ${TEMPORAL_SERVER_PACKAGES.sqlTool}\`)`,
    found.schemaDir ? null : `its schema files (${given('TEMPORAL_SCHEMA_DIR')}; the server module's source that \`go install\` leaves in GOMODCACHE)`,
  ].filter(Boolean);
  throw new Error(
    `TEMPORAL_ENGINE=production needs the Temporal server ${TEMPORAL_SERVER_VERSION}; missing: ${missing.join('; ')}. ` +
      'Install both once with `node --import tsx launcher/ensure-temporal-server.ts` (needs Go; a few minutes).',
  );
}

/** A base from which `count` consecutive ports were free on 127.0.0.1 a moment ago (below the ephemeral range). */
export async function freePortBase(count = PORTS_PER_SERVER): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 12_000);
    const ports = Array.from({ length: count }, (_, i) => base + i);
    if ((await Promise.all(ports.map(portIsFree))).every(Boolean)) return base;
  }
  throw new Error(`No ${count} consecutive free ports found on 127.0.0.1.`);
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * Creates the two databases when missing and brings their schemas to this release's latest version, as
 * Temporal's own tooling does it (idempotent: an existing, current schema is left as it is).
 */
export async function setUpTemporalDatabases(binaries: TemporalServerBinaries, options: Pick<ProductionServerOptions, 'postgres' | 'databases' | 'log'>): Promise<void> {
  const databases = options.databases ?? DEFAULT_DATABASES;
  const { host, port, user, password } = options.postgres;
  for (const [kind, database] of [['temporal', databases.temporal], ['visibility', databases.visibility]] as const) {
    const sql = (args: string[]) =>
      run(binaries.sqlTool, ['--plugin', 'postgres12', '--ep', host, '--port', String(port), '--user', user, '--db', database, ...args], {
        // The password goes by environment, not on the command line where `ps` shows it.
        env: { ...process.env, SQL_PASSWORD: password },
      }).catch((error: { stderr?: string; message: string }) => {
        throw new Error(`temporal-sql-tool ${args[0]} on ${database} failed: ${(error.stderr || error.message).trim().slice(-2000)}`);
      });
    const state = await databaseState(options.postgres, database);
    if (state === 'missing') await sql(['create-database']);
    if (state !== 'versioned') await sql(['setup-schema', '-v', '0.0']);
    await sql(['update-schema', '-d', join(binaries.schemaDir, 'postgresql', 'v12', kind, 'versioned')]);
  }
  options.log(`Temporal databases ${databases.temporal} and ${databases.visibility} set up on ${host}:${port}`);
}

async function databaseState(postgres: PostgresLocation, database: string): Promise<'missing' | 'empty' | 'versioned'> {
  const connect = (name: string) => new pg.Client({ host: postgres.host, port: postgres.port, user: postgres.user, password: postgres.password, database: name });
  const admin = connect('postgres');
  await admin.connect();
  try {
    if ((await admin.query('select 1 from pg_database where datname = $1', [database])).rowCount === 0) return 'missing';
  } finally {
    await admin.end();
  }
  const client = connect(database);
  await client.connect();
  try {
    const { rows } = await client.query<{ present: boolean }>(`select to_regclass('public.schema_version') is not null as present`);
    return rows[0]?.present ? 'versioned' : 'empty';
  } finally {
    await client.end();
  }
}

/** The server's configuration (JSON is YAML), everything on loopback, no metrics or pprof listeners. */
function serverConfig(options: ProductionServerOptions): object {
  const databases = options.databases ?? DEFAULT_DATABASES;
  const { host, port, user, password } = options.postgres;
  const base = options.portBase;
  const store = (databaseName: string, maxConns: number) => ({
    sql: { pluginName: 'postgres12', databaseName, connectAddr: `${host}:${port}`, connectProtocol: 'tcp', user, password, maxConns, maxIdleConns: maxConns },
  });
  const service = (index: number) => ({ rpc: { grpcPort: base + index, membershipPort: base + 4 + index, bindOnLocalHost: true } });
  return {
    log: { stdout: true, level: 'warn', format: 'json' },
    persistence: {
      defaultStore: 'default',
      visibilityStore: 'visibility',
      numHistoryShards: options.historyShards ?? 4,
      // Four services, each with its own pools: at most 4 × (10 + 2) connections, within Postgres' default 100.
      datastores: { default: store(databases.temporal, 10), visibility: store(databases.visibility, 2) },
    },
    global: { membership: { maxJoinDuration: '30s', broadcastAddress: '127.0.0.1' }, pprof: { port: 0 } },
    services: {
      frontend: { rpc: { ...service(0).rpc, httpPort: base + 8 } },
      history: service(1),
      matching: service(2),
      worker: service(3),
    },
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: 'active',
      currentClusterName: 'active',
      clusterInformation: { active: { enabled: true, initialFailoverVersion: 1, rpcName: 'frontend', rpcAddress: `127.0.0.1:${base}`, httpAddress: `127.0.0.1:${base + 8}` } },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    archival: { history: { state: 'disabled' }, visibility: { state: 'disabled' } },
    namespaceDefaults: { archival: { history: { state: 'disabled' }, visibility: { state: 'disabled' } } },
  };
}

/**
 * Starts `server start` (frontend, history, matching, worker) on databases set up by setUpTemporalDatabases,
 * waits until the frontend answers, and makes sure the namespace exists with our search attributes.
 */
export async function startTemporalProductionServer(binaries: TemporalServerBinaries, options: ProductionServerOptions): Promise<RunningProductionServer> {
  const configDir = join(options.workDir, 'config');
  await mkdir(configDir, { recursive: true });
  await writeFile(join(configDir, 'production.yaml'), JSON.stringify(serverConfig(options), null, 2), { mode: 0o600 });
  const version = (await run(binaries.server, ['--version'])).stdout.trim().replace(/^.*version\s*/i, '');

  const args = ['--root', options.workDir, '--config', 'config', '--env', 'production', '--allow-no-auth', 'start'];
  const server = spawnServer(binaries.server, args, STOP_GRACE_MS);
  const address = `127.0.0.1:${options.portBase}`;
  const started = Date.now();
  try {
    await waitUntilTemporalAnswers(server, address, 'The Temporal server', STARTUP_TIMEOUT_MS);
    await registerNamespace(address, options.namespace);
  } catch (error) {
    await server.stop();
    throw error;
  }
  options.log(`Temporal server ${version} listening on ${address} (Postgres ${options.postgres.host}:${options.postgres.port}), ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { address, process: server.child, version, stop: server.stop };
}

/** A full server has no `default` namespace until one is created; search attributes are per namespace on SQL. */
async function registerNamespace(address: string, namespace: string): Promise<void> {
  const connection = await Connection.connect({ address });
  try {
    let changed = false;
    const exists = await connection.workflowService.describeNamespace({ namespace }).then(
      () => true,
      (error: unknown) => {
        if ((error as { code?: number }).code === 5 /* NOT_FOUND */) return false;
        throw error;
      },
    );
    if (!exists) {
      await connection.workflowService
        .registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs('3 days') })
        .catch(ignoreAlreadyExists);
      changed = true;
    }
    // The frontend learns of a new namespace at its registry's next refresh.
    const { customAttributes } = await eventually(() => connection.operatorService.listSearchAttributes({ namespace }));
    const missing = SEARCH_ATTRIBUTE_KEYS.filter((key) => !(key.name in (customAttributes ?? {})));
    if (missing.length > 0) {
      await connection.operatorService.addSearchAttributes({
        namespace,
        searchAttributes: Object.fromEntries(missing.map((key) => [key.name, proto.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD])),
      });
      changed = true;
    }
    // Every service reads namespaces from its own registry: wait for the frontend's, then one more refresh.
    const query = SEARCH_ATTRIBUTE_KEYS.map((key) => `${key.name} = 'x'`).join(' and ');
    await eventually(() => connection.workflowService.listWorkflowExecutions({ namespace, query, pageSize: 1 }));
    if (changed) await new Promise((resolve) => setTimeout(resolve, 2 * REGISTRY_REFRESH_MS));
  } finally {
    await connection.close();
  }
}

/** Retries for up to 30 s while the server does not know yet what was just registered. */
async function eventually<T>(call: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      return await call();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

function ignoreAlreadyExists(error: unknown): void {
  if ((error as { code?: number }).code !== 6 /* ALREADY_EXISTS */) throw error;
}
