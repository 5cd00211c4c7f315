import { simpleParser } from 'mailparser';
import type { ChildProcess } from 'node:child_process';
import { chmod, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePort } from '../setup/free-port';
import { runScript, startScript } from '../support/spawn-tsx';
import { waitFor } from '../support/wait-for';

/**
 * `npm start` as a new user runs it: embedded Postgres and Temporal dev server, worker and API, demo users;
 * Ctrl-C stops everything; a restart finds every request where it was.
 */

let dataDir: string;
let env: Record<string, string>;
let apiUrl: string;
let running: ChildProcess | null = null;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'rabat-start-'));
  await chmod(dataDir, 0o755);
  const [port, temporalPort, uiPort, postgresPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
  env = {
    DATA_DIR: dataDir,
    PORT: String(port),
    TEMPORAL_PORT: String(temporalPort),
    TEMPORAL_UI_PORT: String(uiPort),
    EMBEDDED_POSTGRES_PORT: String(postgresPort),
    TEMPORAL_CLI: inject('temporalCliPath'),
    TEMPORAL_ADDRESS: '',
    DATABASE_URL: '',
    SMTP_URL: '',
    LOG_LEVEL: 'info',
  };
  apiUrl = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  running?.kill('SIGKILL');
  await rm(dataDir, { recursive: true, force: true });
});

/** Starts `npm start`'s entry point and resolves with everything it printed once it says it is ready. */
async function start(): Promise<{ child: ChildProcess; output: () => string }> {
  const child = startScript('launcher/start.ts', env);
  running = child;
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready after 90 s:\n${output}`)), 90_000);
    const check = () => {
      if (output.includes('Press Ctrl-C to stop everything.')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before ready:\n${output}`));
    });
  });
  return { child, output: () => output };
}

async function stop(child: ChildProcess): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGINT');
  const code = await exited;
  running = null;
  return code;
}

function listening(port: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(Number(port), '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

const api = (path: string, token: string, body?: unknown) =>
  fetch(`${apiUrl}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

describe('npm start', () => {
  // Two whole starts and stops of five processes: 25 s alone, past a minute beside three other files on two cores.
  it('runs the whole system, stops it all on Ctrl-C, and keeps every request across a restart', { timeout: 180_000 }, async () => {
    const first = await start();
    const tokens = Object.fromEntries(
      [...first.output().matchAll(/^\s+(\w+)\s+(\S+)\s+(\S+)\s+(rbt_\S+)$/gm)].map((m) => [m[1], m[4]!]),
    );
    expect(Object.keys(tokens).sort()).toEqual(['admin', 'chair', 'monitor', 'partner', 'sc_member', 'secretariat']);

    const health = await fetch(`${apiUrl}/health`);
    expect(await health.json()).toEqual({ status: 'ok', postgres: true, temporal: true });
    expect(await listening(env.TEMPORAL_UI_PORT!)).toBe(true);
    // No mail server: e-mails are written under DATA_DIR, and the API confirms addresses as it would with one.
    const mailDir = join(dataDir, 'mail');
    expect(first.output()).toContain(`E-mail:      written to ${mailDir} (no mail server: open the .eml files; each kept 30 days)`);
    const given = await fetch(`${apiUrl}/me/email`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${tokens.partner}`, 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'nfp@senegal.example.org' }),
    });
    expect(given.status).toBe(202);
    const mails = await waitFor(
      async () => (await readdir(mailDir).catch(() => [])).filter((name) => name.endsWith('.eml')),
      (names) => names.length === 1,
    );
    const confirmation = await readFile(join(mailDir, mails[0]!), 'utf8');
    expect(confirmation).toMatch(/^To: nfp@senegal\.example\.org\r$/m);
    // Its link leads to this API on its own port (not 3000), though PUBLIC_URL is not set.
    expect((await simpleParser(confirmation)).text).toContain(`${apiUrl}/dashboard#confirm-email/`);
    expect(first.output()).toContain('Dialogue:    Rabat Process (DIALOGUE_NAME)');

    // The CLI finds the running embedded database through DATA_DIR.
    const users = await runScript('cli/main.ts', ['user', 'list'], { DATA_DIR: dataDir, DATABASE_URL: '' });
    expect(users.stdout).toContain('demo-partner-sn\tpartner\tSN');

    const submitted = await api('/requests', tokens.partner!, {
      title: 'Workshop on diaspora investment',
      description: 'A regional workshop.',
      country: 'SN',
      domain: 1,
      activityType: 'workshop',
      objectives: 'Share practices.',
      expectedOutcomes: 'A roadmap.',
      estimatedBudgetEur: 60000,
    });
    expect(submitted.status).toBe(201);
    const { id } = (await submitted.json()) as { id: string };
    // The Secretariat is told, with a link to the request here.
    const told = await waitFor(
      async () => {
        const names = (await readdir(mailDir)).filter((name) => name.endsWith('.eml'));
        return Promise.all(names.map((name) => readFile(join(mailDir, name), 'utf8')));
      },
      (texts) => texts.some((text) => /^To: demo-secretariat@/m.test(text)),
    );
    const toSecretariat = await simpleParser(told.find((text) => /^To: demo-secretariat@/m.test(text))!);
    expect(toSecretariat.text).toContain(`${apiUrl}/dashboard#request/${id}`);

    // The console: one readable line per request (not JSON); the files under DATA_DIR/logs: every record as JSON.
    await waitFor(async () => first.output(), (output) => /INFO: POST \/requests 201 \d+ ms demo-partner-sn$/m.test(output));
    expect(first.output()).not.toMatch(/^\{"level"/m);
    const logFiles = await readdir(join(dataDir, 'logs'));
    expect(logFiles).toEqual(['system.1.log']);
    const records = (await readFile(join(dataDir, 'logs', 'system.1.log'), 'utf8')).trim().split('\n').map((line) => JSON.parse(line));
    expect(records).toContainEqual(expect.objectContaining({ method: 'POST', path: '/requests', statusCode: 201, caller: 'demo-partner-sn' }));
    // The demo people's sign-ins, in a file only this user may read, named at every start.
    const signIns = join(dataDir, 'demo-sign-ins.txt');
    expect(first.output()).toContain(`Demo sign-ins:  ${signIns}`);
    expect((await stat(signIns)).mode & 0o777).toBe(0o600);
    for (const token of Object.values(tokens)) expect(await readFile(signIns, 'utf8')).toContain(token);

    expect(await stop(first.child)).toBe(0);
    for (const port of [env.PORT!, env.TEMPORAL_PORT!, env.TEMPORAL_UI_PORT!, env.EMBEDDED_POSTGRES_PORT!]) {
      expect({ port, listening: await listening(port) }).toEqual({ port, listening: false });
    }

    // Same DATA_DIR: no new demo users, the request is still there, and its workflow still takes steps.
    const second = await start();
    expect(second.output()).not.toContain('Demo users created');
    expect(second.output()).toContain(`Demo sign-ins:  ${join(dataDir, 'demo-sign-ins.txt')}`);
    const read = await api(`/requests/${id}`, tokens.secretariat!);
    expect(read.status).toBe(200);
    const screened = await api(`/requests/${id}/screening`, tokens.secretariat!, { outcome: 'accept', note: 'Eligible.' });
    expect(screened.status).toBe(200);
    expect(((await screened.json()) as { phase: string }).phase).toBe('review');
    expect(await stop(second.child)).toBe(0);
  });
});
