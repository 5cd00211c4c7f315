import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { startTemporalDevServer } from './temporal-dev-server';
import { findTemporalServer, freePortBase, PORTS_PER_SERVER, setUpTemporalDatabases, startTemporalProductionServer } from './temporal-production-server';

/**
 * Which Temporal the test suite, the benchmark and the chaos run use: TEMPORAL_ENGINE=dev (default) is the CLI
 * dev server; TEMPORAL_ENGINE=production the full Temporal server persisting to the run's Postgres.
 */
export type TemporalEngine = 'dev' | 'production';

export function temporalEngine(env: NodeJS.ProcessEnv = process.env): TemporalEngine {
  const value = env.TEMPORAL_ENGINE || 'dev';
  if (value === 'dev' || value === 'production') return value;
  throw new Error(`TEMPORAL_ENGINE must be 'dev' (the CLI dev server) or 'production' (the Temporal server on Postgres); got '${value}'.`);
}

export interface RunningTemporal {
  engine: TemporalEngine;
  address: string;
  process: ChildProcess;
  /** For reports: which server, which version, persisting where. */
  description: string;
  stop(): Promise<void>;
}

export interface TemporalEngineOptions {
  engine: TemporalEngine;
  /** The frontend's port (production: the first of PORTS_PER_SERVER consecutive ports; see freeTemporalPort). */
  port: number;
  namespace: string;
  log: (message: string) => void;
  /** dev: the Temporal CLI and its SQLite file (null: in memory). */
  cliPath: string;
  dbFile: string | null;
  /** dev: how late at most a timer fires (temporal-dev-server.ts); absent: the server's one second. */
  timerLatency?: string;
  /** production: the Postgres it persists to (databases `temporal` and `temporal_visibility`), and a directory for its config. */
  postgresUrl: string;
  workDir: string;
  /** production: create and migrate its databases first (default true; a restart on the same data can skip it). */
  setUpDatabases?: boolean;
}

/** A free port for the engine's frontend (production: with the ports after it free too). */
export const freeTemporalPort = (engine: TemporalEngine) => freePortBase(engine === 'production' ? PORTS_PER_SERVER : 1);

export async function startTemporalEngine(options: TemporalEngineOptions): Promise<RunningTemporal> {
  if (options.engine === 'dev') {
    const server = await startTemporalDevServer({ cliPath: options.cliPath, port: options.port, uiPort: null, dbFile: options.dbFile, namespace: options.namespace, timerLatency: options.timerLatency, log: options.log });
    return { engine: 'dev', ...server, description: `the Temporal CLI dev server (SQLite${options.dbFile === null ? ', in memory' : ' with WAL'})` };
  }
  const binaries = await findTemporalServer();
  const url = new URL(options.postgresUrl);
  const postgres = { host: url.hostname, port: Number(url.port || 5432), user: decodeURIComponent(url.username), password: decodeURIComponent(url.password) };
  if (options.setUpDatabases !== false) await setUpTemporalDatabases(binaries, { postgres, log: options.log });
  const server = await startTemporalProductionServer(binaries, {
    postgres,
    portBase: options.port,
    workDir: join(options.workDir, 'temporal-server'),
    namespace: options.namespace,
    log: options.log,
  });
  return { engine: 'production', ...server, description: `the Temporal server ${server.version} on Postgres` };
}
