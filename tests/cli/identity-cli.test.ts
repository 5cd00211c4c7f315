import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase, migrateDatabase, type DatabaseHandle } from '../../db/client';
import { findActorByToken } from '../../db/users-repository';
import { createDatabase } from '../support/test-system';
import { runScript } from '../support/spawn-tsx';

let databaseUrl: string;
let database: DatabaseHandle;
const cli = (...args: string[]) => runScript('cli/main.ts', args, { DATABASE_URL: databaseUrl });

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
    expect(first.stdout).toMatch(/^rbt_[\w-]{43}\n$/);
    expect(first.stderr).toContain("Created partner 'Aminata Diallo'");
    const actor = await findActorByToken(database.db, first.stdout.trim());
    expect(actor).toMatchObject({ name: 'Aminata Diallo', role: 'partner', country: 'SN' });

    const second = await cli('token', 'create', '--name', 'Aminata Diallo', '--role', 'partner', '--country', 'SN');
    expect(second.code).toBe(0);
    expect(second.stdout.trim()).not.toBe(first.stdout.trim());
    expect(await findActorByToken(database.db, first.stdout.trim())).not.toBeNull();

    await cli('token', 'create', '--name', 'chair-office', '--role', 'chair');
    const list = await cli('user', 'list');
    expect(list.code).toBe(0);
    expect(list.stdout).toBe('Aminata Diallo\tpartner\tSN\nchair-office\tchair\t-\n');
  });

  it('refuses bad input with exit code 2 and says what to do', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['token', 'create', '--name', 'x', '--role', 'partner'], /add --country/],
      [['token', 'create', '--name', 'x', '--role', 'king'], /--role must be one of/],
      [['token', 'create', '--name', 'x', '--role', 'chair', '--country', 'FR'], /not bound to a country/],
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

  it('without DATABASE_URL and no running system, explains how to get one', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'rabat-cli-'));
    const result = await runScript('cli/main.ts', ['user', 'list'], { DATABASE_URL: '', DATA_DIR: dataDir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/npm start/);
  });
});
