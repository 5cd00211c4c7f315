import type { ChildProcess } from 'node:child_process';
import { SEARCH_ATTRIBUTE_KEYS } from '../workflows/request-contract';
import { spawnServer, waitUntilTemporalAnswers } from './server-process';

export interface DevServerOptions {
  cliPath: string;
  port: number;
  /** Web UI port; null runs headless (tests). */
  uiPort: number | null;
  /** SQLite file for state that survives restarts; null keeps everything in memory (tests). */
  dbFile: string | null;
  namespace: string;
  /**
   * How late at most the server fires a timer or an activity's retry (Temporal's default: one second, the granularity
   * of its timer queue). The tests shorten it, so that a 50 ms retry takes 50 ms and not a second.
   */
  timerLatency?: string;
  log: (message: string) => void;
}

export interface RunningDevServer {
  address: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

const STARTUP_TIMEOUT_MS = 60_000;

/**
 * Starts `temporal server start-dev` on loopback with our search attributes registered, and resolves once its
 * frontend answers. Unlike the SDK's launcher, it allows more than 5 s to start (a cold SQLite file on a
 * slow disk takes longer) and reports the server's own words if it dies.
 */
export async function startTemporalDevServer(options: DevServerOptions): Promise<RunningDevServer> {
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(options.port),
    '--namespace',
    options.namespace,
    '--log-level',
    'warn',
    // WAL lets readers (visibility queries) proceed while the history writer commits.
    '--sqlite-pragma',
    'journal_mode=wal',
    ...SEARCH_ATTRIBUTE_KEYS.flatMap((key) => ['--search-attribute', `${key.name}=Keyword`]),
    ...(options.uiPort === null ? ['--headless'] : ['--ui-port', String(options.uiPort)]),
    ...(options.dbFile === null ? [] : ['--db-filename', options.dbFile]),
    ...(options.timerLatency ? ['--dynamic-config-value', `history.timerProcessorMaxTimeShift=${JSON.stringify(options.timerLatency)}`] : []),
  ];
  const server = spawnServer(options.cliPath, args, 10_000);
  const address = `127.0.0.1:${options.port}`;
  await waitUntilTemporalAnswers(server, address, 'The Temporal dev server', STARTUP_TIMEOUT_MS);
  options.log(`Temporal dev server listening on ${address}${options.uiPort === null ? '' : `, Web UI on http://127.0.0.1:${options.uiPort}`}`);

  return { address, process: server.child, stop: server.stop };
}
