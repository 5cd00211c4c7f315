import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';

/**
 * The SQL functions the activities call, each with its current definition in one file, `db/functions/<name>.sql`
 * (`CREATE OR REPLACE FUNCTION <name>(…)`), applied after the migrations every time the schema is brought up to date.
 * A reader finds a function in one place; the migrations that first created each keep their history.
 *
 * To change a function, edit its file. A change `CREATE OR REPLACE` cannot make (another return type, other
 * argument types: that would add a second function beside the first) needs a migration that drops the old one
 * first; tests/db/sql-functions.test.ts fails on a function left without its file, or a file beside its function.
 */
export const SQL_FUNCTIONS = [
  // In this order: a `LANGUAGE sql` body is checked against the functions that exist when it is created.
  'duration_bucket',
  'breach_kind',
  'count_duration',
  'move_portfolio_tallies',
  'move_objective_tallies',
  'move_tallies',
  'admit_to_committee',
  'record_event',
  'queue_notifications',
  'copy_to_request_search',
] as const;

const FUNCTIONS_FOLDER = new URL('./functions/', import.meta.url);

export const sqlFunctionFile = (name: string): string => fileURLToPath(new URL(`${name}.sql`, FUNCTIONS_FOLDER));

/** Creates or replaces every function with its file's definition, all or none (one transaction). */
export async function applySqlFunctions(client: pg.ClientBase): Promise<void> {
  const definitions = await Promise.all(SQL_FUNCTIONS.map((name) => readFile(sqlFunctionFile(name), 'utf8')));
  await client.query('BEGIN');
  try {
    for (const definition of definitions) await client.query(definition);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}
