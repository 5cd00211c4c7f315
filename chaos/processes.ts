import { readFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { newKeyFile } from '../codec/keyring';
import { startEmbeddedPostgres, type RunningPostgres } from '../launcher/embedded-postgres';
import { freeTemporalPort, startTemporalEngine, temporalEngine, type RunningTemporal } from '../launcher/temporal-engine';
import { freePort } from '../tests/setup/free-port';
import { ScriptChild } from './script-child';

/**
 * Everything a chaos run breaks, in one place: embedded Postgres and the Temporal dev server (persisting to a
 * SQLite file), and `npm run worker` / `npm run api` as child processes. Each can be killed or restarted on
 * its own; the servers come back on the same port and the same data, as after a crash or a reboot.
 */
export interface ChaosSystemOptions {
  dataDir: string;
  temporalCliPath: string;
  /** The workers load this prebuilt bundle: a restarted worker serves in seconds instead of re-bundling. */
  workflowBundlePath: string;
  /** The worker sends e-mail notifications through this mail server. */
  smtpUrl?: string;
  log(message: string): void;
}

export interface UnexpectedExit {
  name: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  at: Date;
}

const DATABASE = 'chaos';
const STOP_TIMEOUT_MS = 20_000;
const TASK_QUEUE = 'chaos-requests';

export class ChaosSystem {
  readonly unexpectedExits: UnexpectedExit[] = [];
  private postgres: RunningPostgres | null = null;
  private temporal: RunningTemporal | null = null;
  /** TEMPORAL_ENGINE: the dev server on its SQLite file (default), or the Temporal server persisting to our Postgres. */
  private readonly engine = temporalEngine();
  readonly worker: ScriptChild;
  readonly api: ScriptChild;

  private constructor(
    private readonly options: ChaosSystemOptions,
    private readonly ports: { postgres: number; temporal: number; api: number },
    readonly keyFile: string,
  ) {
    const logs = join(options.dataDir, 'logs');
    const supervision = {
      onUnexpectedExit: (name: string, code: number | null, signal: NodeJS.Signals | null) => {
        this.unexpectedExits.push({ name, code, signal, at: new Date() });
        options.log(`!! ${name} exited by itself (code ${code}, signal ${signal}): starting it again; its output is in ${join(logs, `${name}.log`)}`);
      },
      onRestartFailed: (name: string, error: Error) => options.log(`!! ${name} could not be started again: ${error.message}`),
    };
    this.worker = new ScriptChild({
      name: 'worker',
      // `npm run worker` with one more fault on request: dying right after a write commits (chaos/worker.ts).
      script: 'chaos/worker.ts',
      env: { ...this.childEnv(), WORKFLOW_BUNDLE_PATH: options.workflowBundlePath, LOG_LEVEL: 'info', CHAOS_DIE_AFTER_COMMIT: this.dieAfterCommitFlag() },
      logFile: join(logs, 'worker.log'),
      // Both workers (requests, webhook deliveries) report RUNNING once they poll.
      ready: (output, stop) => waitUntil(() => (output().match(/state: 'RUNNING'|"state":"RUNNING"/g) ?? []).length >= 2, stop),
      ...supervision,
    });
    this.api = new ScriptChild({
      name: 'api',
      script: 'api/server.ts',
      env: { ...this.childEnv(), PORT: String(ports.api), LOG_LEVEL: 'warn' },
      logFile: join(logs, 'api.log'),
      ready: (_output, stop) => waitUntil(() => this.apiAnswers(), stop),
      ...supervision,
    });
  }

  /** Starts Postgres and Temporal on free loopback ports; the worker and the API follow with startChildren(). */
  static async start(options: ChaosSystemOptions): Promise<ChaosSystem> {
    await mkdir(join(options.dataDir, 'logs'), { recursive: true });
    const keyFile = join(options.dataDir, 'payload-keys.json');
    await writeFile(keyFile, JSON.stringify(newKeyFile('chaos')), { mode: 0o600 });
    const engine = temporalEngine();
    const ports = { postgres: await freePort(), temporal: await freeTemporalPort(engine), api: await freePort() };
    const system = new ChaosSystem(options, ports, keyFile);
    if (engine === 'production') {
      // The Temporal server keeps its state in this Postgres (databases temporal, temporal_visibility).
      await system.startPostgres();
      await system.startTemporal({ setUpDatabases: true });
    } else {
      await Promise.all([system.startPostgres(), system.startTemporal()]);
    }
    options.log(`Temporal: ${system.temporal?.description}`);
    return system;
  }

  get databaseUrl(): string {
    return `postgres://postgres:postgres@127.0.0.1:${this.ports.postgres}/${DATABASE}`;
  }

  get temporalAddress(): string {
    return `127.0.0.1:${this.ports.temporal}`;
  }

  get apiUrl(): string {
    return `http://127.0.0.1:${this.ports.api}`;
  }

  readonly taskQueue = TASK_QUEUE;

  /** The database is migrated by now (the harness did it to create the users): both may start at once. */
  async startChildren(): Promise<void> {
    await Promise.all([this.worker.start(), this.api.start()]);
  }

  /** The file whose existence asks the worker to die right after its next write commits (chaos/worker.ts). */
  private dieAfterCommitFlag(): string {
    return join(this.options.dataDir, 'worker-die-after-next-commit');
  }

  /**
   * The worker kills itself right after its next write commits, before Temporal hears of it. With no write coming
   * (the load is over) it is killed the plain way after timeoutMs. Says which happened.
   */
  async killWorkerAfterNextCommit(timeoutMs = 20_000): Promise<'by itself' | 'killed'> {
    const flag = this.dieAfterCommitFlag();
    const how = await this.worker.exitOnRequest(() => writeFile(flag, ''), timeoutMs);
    await rm(flag, { force: true });
    return how;
  }

  async restartPostgres(downMs: number): Promise<void> {
    await this.postgres?.stop();
    this.postgres = null;
    await sleep(downMs);
    await this.startPostgres();
  }

  async restartTemporal(downMs: number): Promise<void> {
    await this.temporal?.stop();
    this.temporal = null;
    await sleep(downMs);
    await this.startTemporal();
  }

  /** In order: what takes requests, what runs them, then the servers. Safe to call more than once. */
  async stop(): Promise<void> {
    const steps: Array<[string, () => Promise<void>]> = [
      ['api', () => this.api.stop()],
      ['worker', () => this.worker.stop()],
      ['Temporal', async () => this.temporal?.stop()],
      // Postgres may have gone already (a Ctrl-C reaches the whole process group); its stop() would wait forever.
      ['Postgres', async () => (this.postgresPid() === null ? undefined : this.postgres?.stop())],
    ];
    for (const [name, stop] of steps) {
      try {
        await withTimeout(stop(), STOP_TIMEOUT_MS, `${name} did not stop within ${STOP_TIMEOUT_MS / 1000} s`);
      } catch (error) {
        this.options.log(`while stopping ${name}: ${(error as Error).message}`);
      }
    }
    // A server that already went (a Ctrl-C reaches the whole process group) may leave its stop() waiting for
    // an exit it missed; whatever is left now goes the hard way.
    this.killEverythingNow();
    this.temporal = null;
    this.postgres = null;
  }

  /**
   * When the harness exits without its orderly stop (an uncaught error, a second Ctrl-C): SIGKILL whatever is
   * still running, synchronously. Postgres is found by the PID file in its data directory.
   */
  killEverythingNow(): void {
    this.api.killNow();
    this.worker.killNow();
    if (this.temporal?.process.exitCode === null) this.temporal.process.kill('SIGKILL');
    const postgresPid = this.postgresPid();
    if (postgresPid !== null) process.kill(postgresPid, 'SIGKILL');
  }

  /** The run is being interrupted: the children may exit on the terminal's signal before we stop them. */
  expectShutdown(): void {
    this.api.expectExit();
    this.worker.expectExit();
  }

  /** The postmaster's PID while it runs (from the PID file it keeps in its data directory), else null. */
  private postgresPid(): number | null {
    try {
      const pid = Number(readFileSync(join(this.options.dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
      if (!(pid > 0)) return null;
      process.kill(pid, 0);
      return pid;
    } catch {
      return null;
    }
  }

  private childEnv(): Record<string, string> {
    return {
      DATABASE_URL: this.databaseUrl,
      TEMPORAL_ADDRESS: this.temporalAddress,
      TEMPORAL_TASK_QUEUE: TASK_QUEUE,
      PAYLOAD_KEY_FILE: this.keyFile,
      PAYLOAD_KEYS: '',
      HOST: '127.0.0.1',
      // The Chair decides after every review: the lifecycle includes a decision step (as in the walk-through).
      REVIEW_PROCEDURE: 'chair_decides',
      // Every virtual user of a role shares one token; the per-token rate limit is not what this run tests.
      RATE_LIMIT_MAX: '1000000',
      SMTP_URL: this.options.smtpUrl ?? '',
    };
  }

  private async startPostgres(): Promise<void> {
    this.postgres = await startEmbeddedPostgres({
      dataDir: join(this.options.dataDir, 'postgres'),
      port: this.ports.postgres,
      database: DATABASE,
      log: () => undefined,
    });
  }

  /** A restart (either engine) starts the server process again on the same ports and data. */
  private async startTemporal({ setUpDatabases = false } = {}): Promise<void> {
    this.temporal = await startTemporalEngine({
      engine: this.engine,
      port: this.ports.temporal,
      namespace: 'default',
      log: () => undefined,
      cliPath: this.options.temporalCliPath,
      dbFile: join(this.options.dataDir, 'temporal.sqlite'),
      postgresUrl: `postgres://postgres:postgres@127.0.0.1:${this.ports.postgres}/postgres`,
      workDir: this.options.dataDir,
      setUpDatabases,
    });
  }

  private async apiAnswers(): Promise<boolean> {
    try {
      await fetch(`${this.apiUrl}/health`, { signal: AbortSignal.timeout(2_000) });
      return true;
    } catch {
      return false;
    }
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls until the condition holds or `stop` aborts (the caller races this against the child's exit and a timeout). */
async function waitUntil(condition: () => boolean | Promise<boolean>, stop: AbortSignal): Promise<void> {
  while (!stop.aborted) {
    if (await condition()) return;
    await sleep(150);
  }
}
