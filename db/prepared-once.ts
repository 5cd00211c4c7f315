import type { Database } from './client';

/**
 * A statement built and prepared once per database handle, then only executed: for the checks every API call makes,
 * where building the query anew with drizzle took as long as running it. Postgres prepares it on each pooled
 * connection at its first use there; keep to statements whose best plan does not depend on their values (a primary
 * key, a unique hash), as Postgres may settle on one plan for all of them.
 */
export function preparedOnce<Statement>(prepare: (db: Database) => Statement): (db: Database) => Statement {
  const prepared = new WeakMap<Database, Statement>();
  return (db) => {
    let statement = prepared.get(db);
    if (!statement) prepared.set(db, (statement = prepare(db)));
    return statement;
  };
}
