import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateDatabase } from '../../db/client';
import { SQL_FUNCTIONS, sqlFunctionFile } from '../../db/sql-functions';
import { createDatabase } from '../support/test-system';

/**
 * Each SQL function's current definition is its file in db/functions (db/sql-functions.ts): the database holds
 * exactly those functions, one of each name, each as its file defines it.
 */

let pool: pg.Pool;

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: await createDatabase(), max: 2 });
  await migrateDatabase(pool);
});
afterAll(async () => pool?.end());

/** Every function of the schema `schema` that no extension brought, by name, as Postgres prints it back. */
async function definitions(client: pg.Pool | pg.ClientBase, schema: string): Promise<Array<{ name: string; definition: string }>> {
  const { rows } = await client.query<{ name: string; definition: string }>(
    `SELECT p.proname AS name, pg_get_functiondef(p.oid) AS definition
       FROM pg_proc p
      WHERE p.pronamespace = $1::regnamespace
        AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
      ORDER BY p.proname`,
    [schema],
  );
  return rows;
}

describe('SQL functions, one file each', () => {
  it('the folder holds a file for each function the migration applies, and nothing else', async () => {
    const files = (await readdir(fileURLToPath(new URL('../../db/functions/', import.meta.url)))).sort();
    expect(files).toEqual(SQL_FUNCTIONS.map((name) => `${name}.sql`).sort());
  });

  it('the database holds exactly those functions, one of each name (no overload left behind)', async () => {
    const names = (await definitions(pool, 'public')).map((f) => f.name);
    expect(names).toEqual([...SQL_FUNCTIONS].sort());
  });

  it("each function in the database is its file's definition", async () => {
    const client = await pool.connect();
    try {
      const inDatabase = new Map((await definitions(client, 'public')).map((f) => [f.name, f.definition]));
      // Each file created afresh in a schema of its own (tables and types still found in public), then compared.
      await client.query('BEGIN');
      await client.query('CREATE SCHEMA from_files');
      await client.query('SET LOCAL search_path = from_files, public');
      for (const name of SQL_FUNCTIONS) await client.query(await readFile(sqlFunctionFile(name), 'utf8'));
      const fromFiles = await definitions(client, 'from_files');
      await client.query('ROLLBACK');
      expect(fromFiles.map((f) => f.name)).toEqual([...SQL_FUNCTIONS].sort());
      for (const { name, definition } of fromFiles) {
        expect(inDatabase.get(name)?.replace(`FUNCTION public.${name}(`, `FUNCTION from_files.${name}(`), name).toBe(definition);
      }
    } finally {
      client.release();
    }
  });

  it('bringing the schema up to date again changes no function', async () => {
    const before = await definitions(pool, 'public');
    await migrateDatabase(pool);
    expect(await definitions(pool, 'public')).toEqual(before);
  });
});
