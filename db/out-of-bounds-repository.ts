import { sql } from 'drizzle-orm';
import type { MessageKey } from '../i18n/messages';
import type { Database } from './client';
import { adminEvents } from './schema';

/**
 * Values stored before the database held dates to the dialogue's lifetime (migration 0023): listed for an
 * administrator, who corrects or removes each. The view `out_of_bounds_values` finds them; this module says how each
 * can be put right.
 */

export interface OutOfBoundsValue {
  table: string;
  rowId: string;
  column: string;
  value: string;
  /** What puts it right. */
  fix: string;
}

/** The columns an administrator may set here, each with its kind, and which rows may be removed instead (catalog `error.removable.*`). */
const CORRECTABLE = {
  meetings: { columns: { scheduled_for: 'instant' }, removable: 'error.removable.meetings' },
  chair_terms: { columns: { starts_at: 'instant', ends_at: 'instant' }, removable: 'error.removable.chair_terms' },
  api_tokens: { columns: { expires_at: 'instant' }, removable: 'error.removable.api_tokens' },
  action_plans: { columns: { starts_on: 'day', ends_on: 'day' }, removable: null },
} as const;

export type CorrectableTable = keyof typeof CORRECTABLE;
export const CORRECTABLE_TABLES = Object.keys(CORRECTABLE) as CorrectableTable[];

const FIXES: Record<string, string> = {
  meetings: 'PUT a new value, or remove the meeting (POST /admin/out-of-bounds-values/removal)',
  chair_terms: 'PUT a new value, or remove the term (POST /admin/out-of-bounds-values/removal)',
  api_tokens: 'PUT a new expiry, or remove the token (POST /admin/out-of-bounds-values/removal)',
  action_plans: 'PUT a new day, or load the plan again (PUT /action-plans/{planId})',
  implementation_activities: "the Secretariat postpones the activity with new dates (the request's update_activity step)",
};

export async function listOutOfBoundsValues(db: Database, limit = 1_000): Promise<OutOfBoundsValue[]> {
  const { rows } = await db.execute<{ table_name: string; row_id: string; column_name: string; value: string }>(
    sql`select table_name, row_id, column_name, value from out_of_bounds_values order by table_name, row_id, column_name limit ${limit}`,
  );
  return rows.map((row) => ({
    table: row.table_name,
    rowId: row.row_id,
    column: row.column_name,
    value: row.value,
    fix: FIXES[row.table_name] ?? 'correct it in the database',
  }));
}

export type Correction = { table: CorrectableTable; rowId: string; column: string; value: string };

/**
 * Sets one out-of-bounds value to `value` (already held to the bounds by the route's schema). 'not_found' when that
 * row's column holds no out-of-bounds value: this corrects what the list shows, not any date of any row.
 */
export async function correctOutOfBoundsValue(db: Database, correction: Correction, by: string): Promise<'corrected' | 'not_found' | 'wrong_column'> {
  const columns: Record<string, 'instant' | 'day'> = CORRECTABLE[correction.table].columns;
  // Own keys only: a column named `constructor` is not one of ours.
  if (!Object.hasOwn(columns, correction.column)) return 'wrong_column';
  const kind = columns[correction.column];
  return db.transaction(async (tx) => {
    const found = await tx.execute(
      sql`select 1 from out_of_bounds_values where table_name = ${correction.table} and row_id = ${correction.rowId} and column_name = ${correction.column}`,
    );
    if (found.rows.length === 0) return 'not_found';
    // Table and column come from CORRECTABLE above, never from the caller's text.
    const cast = kind === 'instant' ? sql`::timestamptz` : sql`::date`;
    await tx.execute(sql`update ${sql.identifier(correction.table)} set ${sql.identifier(correction.column)} = ${correction.value}${cast} where id::text = ${correction.rowId}`);
    await tx.insert(adminEvents).values({ type: 'out_of_bounds_value_corrected', actorName: by, payload: { ...correction } });
    return 'corrected';
  });
}

/** Removes a row that holds an out-of-bounds value, where removing it loses nothing on record. */
export async function removeOutOfBoundsRow(
  db: Database,
  target: { table: CorrectableTable; rowId: string },
  by: string,
): Promise<'removed' | 'not_found' | 'not_removable'> {
  if (CORRECTABLE[target.table].removable === null) return 'not_removable';
  return db.transaction(async (tx) => {
    const found = await tx.execute(sql`select 1 from out_of_bounds_values where table_name = ${target.table} and row_id = ${target.rowId}`);
    if (found.rows.length === 0) return 'not_found';
    const minutesKept = target.table === 'meetings' ? sql` and minutes_recorded_at is null` : sql``;
    const removed = await tx.execute(sql`delete from ${sql.identifier(target.table)} where id::text = ${target.rowId}${minutesKept}`);
    if (removed.rowCount === 0) return 'not_removable';
    await tx.insert(adminEvents).values({ type: 'out_of_bounds_row_removed', actorName: by, payload: { ...target } });
    return 'removed';
  });
}

export const removableDescription = (table: CorrectableTable): MessageKey | null => CORRECTABLE[table].removable;
