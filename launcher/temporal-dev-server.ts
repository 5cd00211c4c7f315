import { spawn, type ChildProcess } from 'node:child_process';
import { SEARCH_ATTRIBUTE_KEYS } from '../workflows/request-contract';
import { temporalAnswers } from './process-checks';

export interface DevServerOptions {
  cliPath: string;
  port: number;
  /** Web UI port; null runs headless (tests). */
  uiPort: number | null;
  /** SQLite file for state that survives restarts; null keeps everything in memory (tests). */
  dbFile: string | null;
  namespace: string;
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
  ];
  const child = spawn(options.cliPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const address = `127.0.0.1:${options.port}`;
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`The Temporal dev server exited with code ${child.exitCode} while starting:\n${output.trim()}`);
    }
    if (await temporalAnswers(address)) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`The Temporal dev server did not answer on ${address} within ${STARTUP_TIMEOUT_MS / 1000} s:\n${output.trim()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  options.log(`Temporal dev server listening on ${address}${options.uiPort === null ? '' : `, Web UI on http://127.0.0.1:${options.uiPort}`}`);

  return {
    address,
    process: child,
    async stop() {
      // Gone already (by a signal, exitCode stays null): there is no 'exit' left to wait for.
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
