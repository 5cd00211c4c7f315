import { spawn } from 'node:child_process';

/**
 * Spins until its parent is gone: a benchmark killed outright (SIGKILL, no `finally`) must not leave a core busy
 * behind it. The parent's pid is checked every few million turns, a few times a second.
 */
const SPIN_WHILE_PARENT_LIVES = 'const parent = process.ppid; for (let turn = 1; ; turn++) if (turn % 5e7 === 0 && process.ppid !== parent) process.exit(0);';

/**
 * `--busy-cores N`: N processes that each keep one core busy for the whole run, so that a run can be measured with
 * a neighbour taking part of the machine — the worker replaying histories, a backup, another tenant of the VM — and
 * that condition reproduced by one command instead of hoped for. Returns how to stop them.
 */
export function keepCoresBusy(cores: number): () => void {
  const spinners = Array.from({ length: cores }, () => spawn(process.execPath, ['-e', SPIN_WHILE_PARENT_LIVES], { stdio: 'ignore' }));
  return () => {
    for (const spinner of spinners) spinner.kill('SIGKILL');
  };
}
