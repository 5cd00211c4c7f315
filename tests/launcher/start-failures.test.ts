import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { EXIT, removeStalePostmasterPid } from '../../launcher/preflight';
import { freePort } from '../setup/free-port';
import { runScript } from '../support/spawn-tsx';

/**
 * `npm start` on a machine that cannot run it says so at once, in one sentence naming the thing and the fix, with an
 * exit code of its own (launcher/preflight.ts) — never a stack trace, never after minutes.
 */

let scratch: string;
let env: Record<string, string>;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'rabat-start-failures-'));
  await chmod(scratch, 0o755);
  env = {
    DATA_DIR: join(scratch, 'data'),
    PORT: String(await freePort()),
    TEMPORAL_PORT: String(await freePort()),
    TEMPORAL_UI_PORT: String(await freePort()),
    EMBEDDED_POSTGRES_PORT: String(await freePort()),
    TEMPORAL_CLI: inject('temporalCliPath'),
    TEMPORAL_ADDRESS: '',
    DATABASE_URL: '',
    SMTP_URL: '',
  };
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

const start = (overrides: Record<string, string> = {}) => runScript('launcher/start.ts', [], { ...env, ...overrides });

/** What a refusal must look like: its exit code, one line, no stack trace. */
function expectRefusal(result: { code: number; stdout: string; stderr: string }, code: number, sentence: RegExp): void {
  expect(result.code, result.stdout + result.stderr).toBe(code);
  const said = result.stderr.trim();
  expect(said).toMatch(sentence);
  expect(said.split('\n')).toHaveLength(1);
  expect(said).not.toMatch(/\n\s+at /);
}

describe('npm start refuses what would fail later, saying what to do', () => {
  it('a clone or DATA_DIR under a folder the postgres user cannot enter (as root)', async () => {
    expect(process.getuid?.(), 'these checks are for root, who runs Postgres as another user').toBe(0);
    const closed = join(scratch, 'closed');
    await mkdir(closed, { mode: 0o700 });
    await chmod(closed, 0o700);
    const result = await start({ DATA_DIR: join(closed, 'data') });
    expectRefusal(result, EXIT.unreachableFolder, new RegExp(`cannot enter ${closed} \\(mode 0700\\).*set DATABASE_URL`));
    // Nothing was made there.
    expect(await readdir(closed)).toEqual([]);
  });

  it('a port already taken: which one, by what, and the variable that moves it', async () => {
    const taken: Server = createServer();
    await new Promise<void>((resolve) => taken.listen(Number(env.PORT), '127.0.0.1', resolve));
    try {
      const result = await start();
      expectRefusal(result, EXIT.portInUse, new RegExp(`^\\[start\\] Could not start: Port ${env.PORT} \\(the API\\) is already in use by node \\(pid ${process.pid}\\): stop that, or set PORT to a free port\\.$`));
    } finally {
      taken.close();
    }
  });

  it('a disk too full for Postgres', async () => {
    const small = join(scratch, 'small-disk');
    await mkdir(small);
    await promisify(execFile)('mount', ['-t', 'tmpfs', '-o', 'size=16m', 'tmpfs', small]);
    try {
      const result = await start({ DATA_DIR: join(small, 'data') });
      expectRefusal(result, EXIT.diskFull, /Only 1\d MB are free on the disk of DATA_DIR .*needs at least 256 MB: free some space, or set DATA_DIR/);
    } finally {
      await promisify(execFile)('umount', [small]);
    }
  });

  it('no Temporal CLI to be had', async () => {
    const result = await start({ TEMPORAL_CLI: join(scratch, 'no-such-temporal') });
    expectRefusal(result, EXIT.noTemporalCli, /No Temporal CLI could be found or installed \(TEMPORAL_CLI is set to .*no-such-temporal, which is not an executable file\.\): set TEMPORAL_CLI/);
  });
});

describe('a postmaster.pid left by a killed Postgres', () => {
  it('is removed, and said so, when its PID is no longer a Postgres', async () => {
    const cluster = join(scratch, 'stale-cluster');
    await mkdir(cluster, { recursive: true });
    // This test's own PID: alive, and not a Postgres (as a PID reused after a restart is).
    await writeFile(join(cluster, 'postmaster.pid'), `${process.pid}\n${cluster}\n1700000000\n5432\n`);
    const said: string[] = [];
    await removeStalePostmasterPid(cluster, (line) => said.push(line));
    expect(await readdir(cluster)).toEqual([]);
    expect(said).toEqual([`Removed a stale ${join(cluster, 'postmaster.pid')}: its Postgres (pid ${process.pid}) is no longer running.`]);
  });

  it('is kept, with a refusal naming the PID to stop, when a Postgres still runs on it', async () => {
    const postgresPid = await aRunningPostgres();
    const cluster = join(scratch, 'live-cluster');
    await mkdir(cluster, { recursive: true });
    await writeFile(join(cluster, 'postmaster.pid'), `${postgresPid}\n${cluster}\n`);
    await expect(removeStalePostmasterPid(cluster, () => undefined)).rejects.toThrow(`A Postgres (pid ${postgresPid}) still runs`);
    expect(await readdir(cluster)).toEqual(['postmaster.pid']);
  });
});

/** The PID of the test run's own Postgres (any process named postgres will do). */
async function aRunningPostgres(): Promise<number> {
  for (const pid of (await readdir('/proc')).filter((name) => /^\d+$/.test(name))) {
    const name = await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => '');
    if (name.trim() === 'postgres') return Number(pid);
  }
  throw new Error('the test run has no Postgres process');
}
