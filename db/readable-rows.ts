import { UnreadableValue } from './stored-instants';

/**
 * No stored value may break a read for everyone: a row that cannot be shown (a value the database took that no
 * answer can carry) is reported with its ID and left out, and the rest of the list is answered. The database's
 * CHECK constraints keep new such values out (migration 0023); these are what a deployment stored before them, or by
 * hand. An administrator finds them in GET /admin/out-of-bounds-values.
 */

export interface UnreadableRow {
  table: string;
  id: string;
  problem: string;
}

type Reporter = (row: UnreadableRow) => void;

let report: Reporter = (row) => console.warn(JSON.stringify({ msg: 'a stored row cannot be shown and was left out', ...row }));

/** Where unreadable rows are reported: the API and the worker send them to their logs. */
export function reportUnreadableRowsTo(reporter: Reporter): void {
  report = reporter;
}

/** `show` applied to every row; the rows it cannot show are reported and left out. */
export function readableRows<Row, Shown>(table: string, rows: Row[], idOf: (row: Row) => string, show: (row: Row) => Shown): Shown[] {
  const shown: Shown[] = [];
  for (const row of rows) {
    try {
      shown.push(show(row));
    } catch (error) {
      if (!isUnreadable(error)) throw error;
      report({ table, id: idOf(row), problem: (error as Error).message });
    }
  }
  return shown;
}

/** An unreadable value, or a Date the driver made of one (Invalid Date's toISOString throws a RangeError). */
export const isUnreadable = (error: unknown): boolean => error instanceof UnreadableValue || error instanceof RangeError;
