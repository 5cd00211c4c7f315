import { sql, type AnyColumn, type SQL } from 'drizzle-orm';

/**
 * Newest first, spelled exactly as our descending indexes are built (DESC NULLS LAST). A plain DESC means NULLS
 * FIRST, which such an index cannot serve: Postgres then reads every matching row and sorts them (1.1 s for a
 * calendar feed at 1,000,000 requests). tests/db/index-served-orders.test.ts checks every ordered read.
 */
export const descendingAsIndexed = (...columns: Array<AnyColumn | SQL>): SQL[] => columns.map((column) => sql`${column} desc nulls last`);

/** The reverse of descendingAsIndexed, served by the same indexes read backwards. */
export const ascendingAsIndexed = (...columns: Array<AnyColumn | SQL>): SQL[] => columns.map((column) => sql`${column} asc nulls first`);
