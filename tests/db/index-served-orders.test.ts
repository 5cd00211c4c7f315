import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateDatabase, type Database } from '../../db/client';
import { activitiesInProgress, listRequestEvents, listRequests, listRequestsWithWaitingFor } from '../../db/requests-repository';
import { listNotifications } from '../../db/notifications-repository';
import { schema } from '../../db/schema';
import { listDeliveries } from '../../db/webhooks-repository';
import { createDatabase } from '../support/test-system';

/**
 * The portfolio's reads take the first N rows in some order. Postgres answers that from an index only when the
 * ORDER BY is spelled exactly as the index is built (a plain DESC means NULLS FIRST; our indexes are DESC NULLS LAST);
 * otherwise it reads every matching row and sorts them. On a test's few rows both are instant, so this checks the
 * plan instead: with sorting disabled, a plan that still sorts is one no index can serve. Caught in the calendar
 * feed, whose activities took 1.1 s at 1,000,000 requests (bench/results/2026-11-29T19-37-38.json), and in the lists
 * of e-mails (migration 0022 gave them indexes in their order).
 */

type Captured = { query: string; params: unknown[] };

let pool: pg.Pool;
let db: Database;
const captured: Captured[] = [];

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: await createDatabase(), max: 2 });
  await migrateDatabase(pool);
  db = drizzle(pool, { schema, logger: { logQuery: (query, params) => captured.push({ query, params }) } });
});

afterAll(async () => {
  await pool.end();
});

/** The statements a read sends (run on the empty tables), each with its parameters. */
async function statementsOf(read: () => Promise<unknown>): Promise<Captured[]> {
  captured.length = 0;
  await read();
  return [...captured];
}

/** The plan's node types, with sorting and sequential scans made a last resort. */
async function planNodes({ query, params }: Captured): Promise<string[]> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    await client.query('set local enable_sort = off');
    await client.query('set local enable_seqscan = off');
    const { rows } = await client.query<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>(`explain (format json) ${query}`, params);
    await client.query('rollback');
    const nodes: string[] = [];
    const walk = (node: PlanNode) => {
      nodes.push(node['Node Type']);
      for (const child of node.Plans ?? []) walk(child);
    };
    walk(rows[0]!['QUERY PLAN'][0]!.Plan);
    return nodes;
  } finally {
    client.release();
  }
}

type PlanNode = { 'Node Type': string; Plans?: PlanNode[] };

const page = (sort: 'newest' | 'oldest' | 'recently_updated' | 'due') => ({ limit: 20, cursor: null, sort });

/** The ID of a person, a request or a subscription: the plans are checked, not the rows (the tables are empty). */
const AN_ID = '00000000-0000-4000-8000-000000000001';

const READS: Array<[string, () => Promise<unknown>]> = [
  ['list, newest first', () => listRequests(db, {}, page('newest'))],
  ['list, oldest first', () => listRequests(db, {}, page('oldest'))],
  ['list, recently updated first', () => listRequests(db, {}, page('recently_updated'))],
  ['list, soonest deadline first', () => listRequests(db, {}, page('due'))],
  ['list of open requests with who must act, soonest deadline first', () => listRequestsWithWaitingFor(db, { open: true }, page('due'))],
  ['list of one phase, newest first', () => listRequests(db, { phase: 'implementation' }, page('newest'))],
  ["a calendar feed's activities, whole portfolio", () => activitiesInProgress(db, { open: true }, 500)],
  ["a calendar feed's activities, a committee member's", () => activitiesInProgress(db, { open: true, committeeOnly: true }, 500)],
  ["a calendar feed's activities, a focal point's (one country)", () => activitiesInProgress(db, { open: true, onlyCountry: 'SN' }, 500)],
  ["a request's history (its audit trail), in order", () => listRequestEvents(db, AN_ID)],
  ["a person's e-mails, newest first", () => listNotifications(db, { userId: AN_ID, withoutConfirmations: true, limit: 50 })],
  ['every e-mail, newest first (administrators)', () => listNotifications(db, { limit: 50 })],
  ["a subscription's webhook deliveries, newest first", () => listDeliveries(db, AN_ID, { limit: 50 })],
];

describe('every ordered read of the portfolio is served by an index, not by sorting the matching rows', () => {
  it.each(READS)('%s', async (_name, read) => {
    const statements = await statementsOf(read);
    expect(statements).toHaveLength(1);
    const nodes = await planNodes(statements[0]!);
    expect(nodes.filter((node) => /sort/i.test(node) || node === 'Seq Scan')).toEqual([]);
    expect(nodes.some((node) => node.startsWith('Index'))).toBe(true);
  });
});
