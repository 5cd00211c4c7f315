import { spawn, type ChildProcess } from 'node:child_process';
import { temporalAnswers } from './process-checks';

/** A server run as a child process: the tail of its output (for the errors we report), and an orderly stop. */
export interface ServerProcess {
  child: ChildProcess;
  output: () => string;
  /** SIGTERM, then SIGKILL after graceMs; returns at once if the process is gone already. */
  stop: () => Promise<void>;
}

export function spawnServer(command: string, args: string[], graceMs: number): ServerProcess {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    output: () => output.trim(),
    stop: async () => {
      // Gone already (by a signal, exitCode stays null): there is no 'exit' left to wait for.
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * Polls until the Temporal frontend at `address` answers. If the server exits first, or does not answer within
 * timeoutMs, it is stopped and the error carries its last words.
 */
export async function waitUntilTemporalAnswers(server: ServerProcess, address: string, name: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (server.child.exitCode !== null) throw new Error(`${name} exited with code ${server.child.exitCode} while starting:\n${server.output()}`);
    if (await temporalAnswers(address)) return;
    if (Date.now() > deadline) {
      await server.stop();
      throw new Error(`${name} did not answer on ${address} within ${timeoutMs / 1000} s:\n${server.output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
