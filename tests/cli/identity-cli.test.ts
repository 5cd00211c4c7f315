import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase, migrateDatabase, type DatabaseHandle } from '../../db/client';
import { checkToken } from '../../db/users-repository';
import { createDatabase } from '../support/test-system';
import { runScript } from '../support/spawn-tsx';
import { runCli } from '../../cli/run-cli';

let databaseUrl: string;
let database: DatabaseHandle;

/** The CLI's commands, run in this process (a process each costs a second of CPU); 'as a process' below runs the real one. */
async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { ...process.env, DATABASE_URL: databaseUrl }, {
    out: (line) => (stdout += `${line}\n`),
    err: (line) => (stderr += `${line}\n`),
  });
  return { code, stdout, stderr };
}
const cliProcess = (...args: string[]) => runScript('cli/main.ts', args, { DATABASE_URL: databaseUrl });

beforeAll(async () => {
  databaseUrl = await createDatabase();
  database = connectDatabase(databaseUrl);
  await migrateDatabase(database.pool);
});
afterAll(async () => database?.close());

describe('npm run cli', () => {
  it('token create makes the user and prints only a working token; a second call issues another token', async () => {
    const first = await cli('token', 'create', '--name', 'Aminata Diallo', '--role', 'partner', '--country', 'sn');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^rbt_[0-9a-f]{32}_[\w-]{43}\n$/);
    expect(first.stderr).toContain("Created partner 'Aminata Diallo'");
    const check = await checkToken(database.db, first.stdout.trim());
    expect(check).toMatchObject({ ok: true, user: { name: 'Aminata Diallo', role: 'partner', country: 'SN' } });

    const second = await cli('token', 'create', '--name', 'Aminata Diallo', '--role', 'partner', '--country', 'SN');
    expect(second.code).toBe(0);
    expect(second.stdout.trim()).not.toBe(first.stdout.trim());
    expect((await checkToken(database.db, first.stdout.trim())).ok).toBe(true);

    // Another token for someone who exists needs only their name: role and country are on record.
    const byName = await cli('token', 'create', '--name', 'Aminata Diallo');
    expect(byName.code, byName.stderr).toBe(0);
    expect(byName.stderr).toContain("Issued another token for 'Aminata Diallo'");
    expect(await checkToken(database.db, byName.stdout.trim())).toMatchObject({ ok: true, user: { role: 'partner', country: 'SN' } });
    const otherRole = await cli('token', 'create', '--name', 'Aminata Diallo', '--role', 'monitor');
    expect(otherRole.code).not.toBe(0);
    expect(otherRole.stderr).toContain("already exists as partner (SN)");

    await cli('token', 'create', '--name', 'chair-office', '--role', 'chair');
    const list = await cli('user', 'list');
    expect(list.code).toBe(0);
    expect(list.stdout).toBe('Aminata Diallo\tpartner\tSN\t-\nchair-office\tchair\t-\t-\n');
  });

  it('sets and removes where a user is told that requests wait for them; a bad address changes nothing', async () => {
    await cli('token', 'create', '--name', 'Focal Point GM', '--role', 'partner', '--country', 'GM');
    const set = await cli('user', 'email', '--name', 'Focal Point GM', '--email', ' nfp@gambia.example.org ');
    expect(set).toMatchObject({ code: 0, stdout: "Notifications for 'Focal Point GM' go to nfp@gambia.example.org.\n" });
    expect((await cli('user', 'list')).stdout).toContain('Focal Point GM\tpartner\tGM\tnfp@gambia.example.org\n');

    const bad = await cli('user', 'email', '--name', 'Focal Point GM', '--email', 'a@b.org, c@d.org');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain("is not one e-mail address such as name@example.org");
    const unknown = await cli('user', 'email', '--name', 'Nobody', '--email', 'x@example.org');
    expect(unknown.stderr).toContain("no user named 'Nobody'");
    expect((await cli('user', 'list')).stdout).toContain('\tnfp@gambia.example.org\n');

    const removed = await cli('user', 'email', '--name', 'Focal Point GM', '--email', 'none');
    expect(removed).toMatchObject({ code: 0, stdout: "'Focal Point GM' gets no more e-mails.\n" });
    expect((await cli('user', 'list')).stdout).toContain('Focal Point GM\tpartner\tGM\t-\n');
  });

  it('invites a person: creates them with their address and queues the invitation, whose text nobody else may read', async () => {
    const invite = (...args: string[]) =>
      runCli(['user', 'invite', ...args], { ...process.env, DATABASE_URL: databaseUrl, SMTP_URL: 'smtp://127.0.0.1:2525' }, { out: () => undefined, err: (line) => void errors.push(line) });
    const errors: string[] = [];
    expect(await invite('--name', 'Fatou Sow', '--email', 'fatou.sow@example.sn', '--role', 'partner', '--country', 'SN', '--language', 'fr')).toBe(0);
    expect((await cli('user', 'list')).stdout).toContain('Fatou Sow\tpartner\tSN\tfatou.sow@example.sn\n');
    const { rows } = await database.pool.query(`select n.reason, n.address, n.subject, n.body from notifications n join users u on u.id = n.user_id where u.name = 'Fatou Sow'`);
    expect(rows).toEqual([expect.objectContaining({ reason: 'invitation', address: 'fatou.sow@example.sn', subject: expect.stringContaining('Votre invitation') })]);
    expect(rows[0].body).toContain('Le Secrétariat du Processus de Rabat vous a invité·e');
    expect(rows[0].body).toMatch(/\/dashboard#invitation=[A-Za-z0-9_-]{43}\n/);

    expect(await invite('--name', 'Someone Else', '--email', 'Fatou.Sow@example.sn', '--role', 'monitor')).toBe(2);
    expect(errors.join('\n')).toContain("Fatou.Sow@example.sn is already the address of 'Fatou Sow'");
    const withoutMail = await cli('user', 'invite', '--name', 'No Mail', '--email', 'no.mail@example.org', '--role', 'monitor');
    expect(withoutMail.code).toBe(2);
    expect(withoutMail.stderr).toContain('set SMTP_URL');
  });

  it('lists tokens without their secrets and revokes one, which is refused from then on', async () => {
    const issued = await cli('token', 'create', '--name', 'Temp Monitor', '--role', 'monitor', '--expires', 'P1D', '--label', 'laptop');
    const token = issued.stdout.trim();
    const listed = await cli('token', 'list', '--name', 'Temp Monitor');
    const [tokenId, user, status, expiresAt, lastUsed] = listed.stdout.trim().split('\t');
    expect({ user, status, lastUsed }).toEqual({ user: 'Temp Monitor', status: 'active', lastUsed: 'never-used' });
    expect(Date.parse(expiresAt!) - Date.now()).toBeGreaterThan(86_000_000);
    expect(listed.stdout).not.toContain(token.slice('rbt_'.length + 32 + 1));

    const revoked = await cli('token', 'revoke', tokenId!);
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toContain(`Token ${tokenId} revoked`);
    expect(await checkToken(database.db, token)).toEqual({ ok: false, reason: 'revoked' });
    expect((await cli('token', 'list', '--name', 'Temp Monitor')).stdout).toContain('\trevoked\t');
  });

  it('hands the Chair office over: the running term ends when the next begins', async () => {
    await cli('token', 'create', '--name', 'Chair 2026', '--role', 'chair');
    await cli('token', 'create', '--name', 'Chair 2027', '--role', 'chair');
    const first = await cli('chair', 'handover', '--name', 'Chair 2026', '--until', 'P365D');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^Chair 2026 holds the Chair's office from /);
    const second = await cli('chair', 'handover', '--name', 'Chair 2027', '--from', 'P30D', '--until', 'P400D');
    expect(second.stdout).toContain('(ends the term of Chair 2026)');
    const terms = (await cli('chair', 'list')).stdout.trim().split('\n').map((line) => line.split('\t'));
    expect(terms.map((t) => t[0])).toEqual(['Chair 2026', 'Chair 2027']);
    expect(terms[0]![2]).toBe(terms[1]![1]);
  });

  it('refuses bad input with exit code 2 and says what to do', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['token', 'create', '--name', 'x', '--role', 'partner'], /speaks for a country/],
      [['token', 'create', '--name', 'x', '--role', 'king'], /role must be one of/],
      [['token', 'create', '--name', 'x', '--role', 'chair', '--country', 'FR'], /not bound to a country/],
      [['token', 'create', '--name', 'x', '--role', 'chair', '--expires', 'tomorrow'], /--expires must be a date/],
      [['token', 'create', '--name', 'x', '--role', 'chair', '--expires', '2001-01-01'], /--expires must be in the future/],
      [['token', 'revoke', 'nonsense'], /not a token id/],
      [['chair', 'handover', '--name', 'Aminata Diallo', '--until', 'P30D'], /only a user with the chair role/],
      [['token', 'create', '--name', 'x', '--role', 'sc_member', '--country', 'France'], /ISO 3166-1 alpha-2/],
      [['token', 'create', '--name', 'Aminata Diallo', '--role', 'secretariat'], /already exists as partner/],
      [['token', 'create', '--role', 'chair', '--oops'], /Unknown option/],
      [['user', 'delete'], /Unknown command/],
      [[], /Usage/],
    ];
    for (const [args, message] of cases) {
      const result = await cli(...args);
      expect({ args, code: result.code }).toEqual({ args, code: 2 });
      expect(result.stderr + result.stdout).toMatch(message);
      expect(result.stdout).not.toMatch(/rbt_/);
    }
  });

});

describe('npm run cli, as a process', () => {
  it('prints only the token on stdout (for TOKEN=$(…)), what it did on stderr, and exits 0', async () => {
    const issued = await cliProcess('token', 'create', '--name', 'Process Monitor', '--role', 'monitor');
    expect(issued).toMatchObject({ code: 0, stderr: "Created monitor 'Process Monitor'.\n" });
    expect(issued.stdout).toMatch(/^rbt_[0-9a-f]{32}_[\w-]{43}\n$/);
    expect(await checkToken(database.db, issued.stdout.trim())).toMatchObject({ ok: true, user: { name: 'Process Monitor' } });
  });

  it('exits 2 on a command line to fix, saying so on stderr and nothing on stdout', async () => {
    const refused = await cliProcess('token', 'create', '--name', 'x', '--role', 'king');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/role must be one of[\s\S]*npm run cli -- --help/);
    expect(refused.stdout).toBe('');
  });

  it('without DATABASE_URL and no running system, explains how to get one', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'rabat-cli-'));
    try {
      const result = await runScript('cli/main.ts', ['user', 'list'], { DATABASE_URL: '', DATA_DIR: dataDir });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/npm start/);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
