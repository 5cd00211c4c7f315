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

/**
 * A statement built once per database handle and shape (what its text depends on, named by `keyOf`), then only
 * filled with each call's values. Build it with `.prepare('')`: Postgres' unnamed statement, parsed and planned anew
 * at each call for its values, exactly as a statement built each time is. For statements whose best plan depends on
 * their values (a search's words): only drizzle's building is saved.
 */
export function builtOncePerShape<Shape, Statement>(
  keyOf: (shape: Shape) => string,
  build: (db: Database, shape: Shape) => Statement,
): (db: Database, shape: Shape) => Statement {
  const built = new WeakMap<Database, Map<string, Statement>>();
  return (db, shape) => {
    let byShape = built.get(db);
    if (!byShape) built.set(db, (byShape = new Map<string, Statement>()));
    const key = keyOf(shape);
    let statement = byShape.get(key);
    if (!statement) byShape.set(key, (statement = build(db, shape)));
    return statement;
  };
}
