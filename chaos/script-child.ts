import type { ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { startScript } from '../tests/support/spawn-tsx';

/**
 * One of the project's entry points (`npm run api`, `npm run worker`) as a child process that can be killed
 * with SIGKILL and started again, as often as a run wants. Its output goes to a log file (appended across
 * restarts).
 *
 * It is also supervised as docker-compose.yml supervises it (`restart: unless-stopped`): an exit nobody asked
 * for is reported — a process that dies by itself is a finding — and the process is started again, so that
 * the run goes on and shows whether the crash cost any data.
 */
export interface ScriptChildOptions {
  name: string;
  script: string;
  env: Record<string, string>;
  logFile: string;
  /**
   * Resolves once the process serves; `output()` is what it has printed so far. `stop` is aborted when the
   * wait is over either way (ready, exited or timed out), so that polling ends with it.
   */
  ready(output: () => string, stop: AbortSignal): Promise<void>;
  onUnexpectedExit(name: string, code: number | null, signal: NodeJS.Signals | null): void;
  onRestartFailed(name: string, error: Error): void;
}

const READY_TIMEOUT_MS = 90_000;
const STOP_GRACE_MS = 10_000;
const RESTART_AFTER_MS = 1_000;

export class ScriptChild {
  private child: ChildProcess | null = null;
  private log: WriteStream;
  private expectingExit = false;
  /** Once the run stops it (or is interrupted), an exit is no longer a crash to restart from. */
  private finished = false;
  private startsSoFar = 0;
  private restarting: Promise<void> | null = null;

  constructor(private readonly options: ScriptChildOptions) {
    this.log = createWriteStream(options.logFile, { flags: 'a' });
  }

  get name(): string {
    return this.options.name;
  }

  get running(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  async start(): Promise<void> {
    if (this.running) throw new Error(`${this.name} is already running (pid ${this.child?.pid})`);
    this.startsSoFar += 1;
    this.log.write(`\n===== ${this.name} start #${this.startsSoFar} at ${new Date().toISOString()} =====\n`);
    const child = startScript(this.options.script, this.options.env);
    this.child = child;
    this.expectingExit = false;
    let output = '';
    const collect = (chunk: Buffer) => {
      this.log.write(chunk);
      output = (output + chunk.toString()).slice(-20_000);
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    const exited = new Promise<never>((_, reject) =>
      child.once('exit', (code, signal) => {
        this.log.write(`===== ${this.name} exited (code ${code}, signal ${signal}) =====\n`);
        if (!this.expectingExit && !this.finished) this.crashed(code, signal);
        reject(new Error(`${this.name} exited (code ${code}, signal ${signal}) before it was ready:\n${output.trim().slice(-3000)}`));
      }),
    );
    exited.catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${this.name} was not ready within ${READY_TIMEOUT_MS / 1000} s`)), READY_TIMEOUT_MS);
    });
    const waiting = new AbortController();
    try {
      await Promise.race([this.options.ready(() => output, waiting.signal), exited, timeout]);
    } finally {
      clearTimeout(timer);
      waiting.abort();
    }
  }

  /** kill -9: no shutdown hook runs, in-flight work is cut off wherever it is. */
  async kill9(): Promise<void> {
    await this.restarting;
    await this.terminate('SIGKILL', 0);
  }

  /**
   * The process is asked (by `ask`) to end itself; if it has not within timeoutMs, kill -9. Says which it was.
   */
  async exitOnRequest(ask: () => Promise<void>, timeoutMs: number): Promise<'by itself' | 'killed'> {
    await this.restarting;
    const child = this.child;
    if (!child || !this.running) return 'killed';
    this.expectingExit = true;
    const exited = new Promise<'by itself'>((resolve) => child.once('exit', () => resolve('by itself')));
    await ask();
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'killed'>((resolve) => {
      timer = setTimeout(() => resolve('killed'), timeoutMs);
    });
    const how = await Promise.race([exited, late]);
    clearTimeout(timer);
    if (how === 'killed') await this.terminate('SIGKILL', 0);
    return how;
  }

  /** The orderly stop at the end of a run. */
  async stop(): Promise<void> {
    this.finished = true;
    await this.restarting;
    await this.terminate('SIGTERM', STOP_GRACE_MS);
    await new Promise<void>((resolve) => this.log.end(resolve));
  }

  /** The run is being interrupted: the process may go (Ctrl-C reaches the whole process group), and that is no finding. */
  expectExit(): void {
    this.finished = true;
    this.expectingExit = true;
  }

  /** Last resort when the harness itself is exiting: synchronous, no waiting. */
  killNow(): void {
    this.finished = true;
    if (this.running) {
      this.expectingExit = true;
      this.child!.kill('SIGKILL');
    }
  }

  private crashed(code: number | null, signal: NodeJS.Signals | null): void {
    this.options.onUnexpectedExit(this.name, code, signal);
    this.restarting = new Promise<void>((resolve) => setTimeout(resolve, RESTART_AFTER_MS))
      .then(() => (this.finished ? undefined : this.start()))
      .catch((error: Error) => this.options.onRestartFailed(this.name, error))
      .finally(() => {
        this.restarting = null;
      });
  }

  private async terminate(signal: NodeJS.Signals, graceMs: number): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    this.expectingExit = true;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    const force = graceMs > 0 ? setTimeout(() => child.kill('SIGKILL'), graceMs) : undefined;
    await exited;
    clearTimeout(force);
  }
}
