import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { copyFile, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { migrateDatabase, type Database } from '../../db/client';
import { decodeCursor, listRequests, type RequestFilter, type Sort } from '../../db/requests-repository';
import { requestSearch, schema } from '../../db/schema';
import { matchesSearch } from '../../db/search-languages';
import { createDatabase } from '../support/test-system';
import { insertRequestRows } from '../support/seed-read-model';

/**
 * request_search (migration 0028) is kept by Postgres from requests: a search finds a request as its row of requests
 * says now, whether the page is found in the search table or among the rows of requests.
 */

let pool: pg.Pool;
let db: Database;

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: await createDatabase(), max: 2 });
  await migrateDatabase(pool);
  db = drizzle(pool, { schema });
});
afterAll(async () => pool?.end());

const found = async (filter: RequestFilter) => (await listRequests(db, filter, { limit: 100, cursor: null })).items.map((item) => item.id);

async function oneRequest(country = 'SN'): Promise<string> {
  const [row] = await insertRequestRows(db, 1, { country, timestamps: 1 });
  return row!.id;
}

describe('the search table follows the requests', () => {
  it("a new request is found by its text; its text revised, by the new words only", async () => {
    const id = await oneRequest();
    await pool.query("update requests set search_document = 'Mangrove livelihoods for returnees' where id = $1", [id]);
    expect(await found({ q: 'mangroves' })).toEqual([id]);
    await pool.query("update requests set search_document = 'Coastal fisheries for returnees' where id = $1", [id]);
    expect(await found({ q: 'mangrove' })).toEqual([]);
    expect(await found({ q: 'fishery' })).toEqual([id]);
  });

  it('its country changed, it is found in the new one only', async () => {
    const id = await oneRequest('SN');
    await pool.query("update requests set search_document = 'Seaport container profiling' where id = $1", [id]);
    expect(await found({ q: 'seaport', onlyCountry: 'SN' })).toEqual([id]);
    await pool.query("update requests set country = 'ML' where id = $1", [id]);
    expect(await found({ q: 'seaport', onlyCountry: 'SN' })).toEqual([]);
    expect(await found({ q: 'seaport', country: 'ML' })).toEqual([id]);
  });

  it('the committee finds it once it reached them', async () => {
    const id = await oneRequest();
    await pool.query("update requests set search_document = 'Interpreters for the asylum hearings' where id = $1", [id]);
    expect(await found({ q: 'interpreters', committeeOnly: true })).toEqual([]);
    await pool.query('update requests set committee_visible = true where id = $1', [id]);
    expect(await found({ q: 'interpreters', committeeOnly: true })).toEqual([id]);
  });

  it('its language changed, it is stemmed in the new one', async () => {
    const id = await oneRequest();
    await pool.query("update requests set search_document = 'Formation des agents aux frontières' where id = $1", [id]);
    expect(await found({ q: 'frontieres', language: 'fr' })).toEqual([]);
    await pool.query(`update requests set state = jsonb_set(state, '{submission}', '{"language": "fr"}') where id = $1`, [id]);
    expect(await found({ q: 'frontiere', language: 'fr' })).toEqual([id]);
    expect(await found({ q: 'formations' })).toEqual([id]);
  });

  it('an event that changes none of what it holds leaves its row alone; a deleted request leaves none', async () => {
    const id = await oneRequest();
    const version = async () => (await pool.query('select xmin::text as x from request_search where request_id = $1', [id])).rows[0]?.x;
    const before = await version();
    await pool.query("update requests set phase = 'review', version = version + 1, state = jsonb_set(state, '{phase}', '\"review\"') where id = $1", [id]);
    expect(await version()).toBe(before);
    await pool.query('delete from requests where id = $1', [id]);
    expect(await version()).toBeUndefined();
  });
});

describe('a search page found in the search table', () => {
  it('pages through ties as the list of requests does, newest and oldest first', async () => {
    // 45 rows on 4 instants: ties, where keyset pages skip or repeat rows when the order is not total. Moved back by
    // 0 to 3 times 60 days: the pages cross the end of the period a search looks at first (request-search.ts).
    const rows = await insertRequestRows(db, 45, { country: 'GH', timestamps: 4 });
    await pool.query(
      `update requests set search_document = 'Counter-trafficking hotline', submitted_at = submitted_at - (hashtext(id::text) & 3) * interval '60 days'
        where id = any($1)`,
      [rows.map((row) => row.id)],
    );
    for (const sort of ['newest', 'oldest'] as Sort[]) {
      // `open: true` is no filter the search table holds: the same pages read from requests, the way they were before it.
      const [inSearchTable, inRequests] = [await pages({ q: 'hotline', country: 'GH' }, sort), await pages({ q: 'hotline', country: 'GH', open: true }, sort)];
      expect(inSearchTable).toEqual(inRequests);
      expect(inSearchTable.flat().sort()).toEqual(rows.map((row) => row.id).sort());
      expect(inSearchTable.map((page) => page.length)).toEqual([20, 20, 5]);
    }
  });

  it('newest first, looks among the last two months first, and everywhere when they hold less than a page', async () => {
    // 30 requests this month and 30 a year before; a word only the older ones have.
    const recent = await insertRequestRows(db, 30, { country: 'CV', timestamps: 30 });
    const older = await insertRequestRows(db, 30, { country: 'CV', timestamps: 30 });
    await pool.query("update requests set search_document = 'Seasonal harvest registration' where id = any($1)", [recent.map((row) => row.id)]);
    await pool.query(
      "update requests set search_document = 'Seasonal harvest ledger', submitted_at = submitted_at - interval '1 year' where id = any($1)",
      [older.map((row) => row.id)],
    );
    const [inSearchTable, inRequests] = [await pages({ q: 'harvest', country: 'CV' }, 'newest'), await pages({ q: 'harvest', country: 'CV', open: true }, 'newest')];
    expect(inSearchTable).toEqual(inRequests);
    expect(inSearchTable.map((page) => page.length)).toEqual([20, 20, 20]);
    expect(inSearchTable[0]!.every((id) => recent.some((row) => row.id === id))).toBe(true);
    // One word with a page among the recent months: one statement. Without: a second, everywhere.
    expect(await readingRequestsOf({ q: 'harvest', country: 'CV' })).toBe(1);
    expect(await readingRequestsOf({ q: 'ledger', country: 'CV' })).toBe(2);
    // Several words, seldom a page among two months': looked for everywhere at once.
    expect(await readingRequestsOf({ q: 'seasonal harvest', country: 'CV' })).toBe(1);
    expect((await found({ q: 'seasonal harvest', country: 'CV' })).length).toBe(60);
    expect(await found({ q: 'ledger', country: 'CV' })).toEqual(older.map((row) => row.id).reverse());
  });

  it('answers each search with its own words, country and page, from the one statement built for its shape', async () => {
    const [niger, chad] = [await oneRequest('NE'), await oneRequest('TD')];
    // A day apart, so that the newest first is Chad's (two rows inserted together share their instant).
    await pool.query("update requests set search_document = 'Quarry safety drills', submitted_at = submitted_at - interval '1 day' where id = $1", [niger]);
    await pool.query("update requests set search_document = 'Quarry permits' where id = $1", [chad]);
    // A partner's searches, one shape of statement: only the values differ, call after call.
    expect(await found({ q: 'quarry', onlyCountry: 'NE' })).toEqual([niger]);
    expect(await found({ q: 'quarry', onlyCountry: 'TD' })).toEqual([chad]);
    expect(await found({ q: 'drills', onlyCountry: 'NE' })).toEqual([niger]);
    expect(await found({ q: 'drills', onlyCountry: 'TD' })).toEqual([]);
    // A page after a cursor, then the first page again: the cursor's values do not stay behind.
    const first = await listRequests(db, { q: 'quarry' }, { limit: 1, cursor: null });
    const second = await listRequests(db, { q: 'quarry' }, { limit: 1, cursor: decodeCursor(first.nextCursor!) });
    expect([...first.items, ...second.items].map((item) => item.id)).toEqual([chad, niger]);
    expect((await listRequests(db, { q: 'quarry' }, { limit: 1, cursor: null })).items.map((item) => item.id)).toEqual([chad]);
  });

  it('finds first a request of a month after the newest it last read (read again only once a minute)', async () => {
    const month = await insertRequestRows(db, 25, { country: 'BJ', timestamps: 25 });
    await pool.query("update requests set search_document = 'Lantern workshop' where id = any($1)", [month.map((row) => row.id)]);
    // The newest submission is read, and kept for a minute: the recent months end at its month.
    expect((await found({ q: 'lantern', country: 'BJ' })).length).toBe(25);
    // A request of a later month (the month turned since): looked for with the recent months, not left out of them.
    const [later] = await insertRequestRows(db, 1, { country: 'BJ', timestamps: 1 });
    await pool.query("update requests set search_document = 'Lantern follow-up', submitted_at = now() + interval '62 days' where id = $1", [later!.id]);
    const first = (await listRequests(db, { q: 'lantern', country: 'BJ' }, { limit: 20, cursor: null, sort: 'newest' })).items;
    expect(first.map((item) => item.id)).toEqual([later!.id, ...month.map((row) => row.id).reverse().slice(0, 19)]);
  });

  it("keeps each request's month of submission in UTC, whatever the session's time zone", async () => {
    const id = await oneRequest();
    const client = await pool.connect();
    try {
      await client.query("set time zone 'America/Sao_Paulo'");
      await client.query("update requests set submitted_at = '2025-11-30T23:30:00-03:00' where id = $1", [id]);
      const { rows } = await client.query('select submitted_month from request_search where request_id = $1', [id]);
      expect(rows).toEqual([{ submitted_month: 2025 * 12 + 12 }]);
    } finally {
      await client.query('reset time zone');
      client.release();
    }
  });

  it('reads requests only by id', async () => {
    const [statement] = (await statementsOf({ q: 'border', committeeOnly: true, onlyCountry: 'TG' })).filter(({ query }) => query.includes('from "requests"'));
    const onRequests = (await planOf(statement!, ['enable_seqscan'])).filter((node) => node['Relation Name'] === 'requests');
    expect(onRequests.map((node) => [node['Node Type'], node['Index Name']])).toEqual([['Index Scan', 'requests_pkey']]);
  });

  it('decides a match from the GIN index of each language, reading nothing of the row to check it', async () => {
    const query = db.select({ id: requestSearch.requestId }).from(requestSearch).where(matchesSearch('border')).toSQL();
    // The GIN indexes alone (on a test's few rows Postgres would rather read a language's rows through its other index).
    const without = ['request_search_en_submitted_idx', 'request_search_fr_submitted_idx'];
    const nodes = await planOf({ query: query.sql, params: query.params }, ['enable_seqscan', 'enable_indexscan'], without);
    expect(nodes.filter((node) => node['Node Type'] === 'Bitmap Index Scan').map((node) => node['Index Name']).sort()).toEqual(['request_search_en_idx', 'request_search_fr_idx']);
    const heapScan = nodes.find((node) => node['Node Type'] === 'Bitmap Heap Scan');
    expect(heapScan).toBeDefined();
    expect(heapScan!.Filter).toBeUndefined();
  });
});

describe('migration 0028', () => {
  it('copies the requests recorded before it into the search table', async () => {
    const database = await emptyDatabase();
    const before = new pg.Pool({ connectionString: database, max: 1 });
    const migrationsFolder = await migrationsBefore('0028_request_search');
    try {
      await migrate(drizzle(before), { migrationsFolder });
      const submission = (language: string) => JSON.stringify({ submission: { language } });
      await before.query(
        `insert into requests (id, workflow_id, title, country, domain, activity_type, phase, version, state, committee_visible,
                               submitted_by, submitted_at, updated_at, search_document)
         values ('00000000-0000-4000-8000-000000000001', 'w1', 'One', 'SN', 1, 'training', 'review', 3, $1, true, 'seed',
                 '2026-01-05T09:00:00Z', '2026-01-06T09:00:00Z', 'Formation des agents aux frontières'),
                ('00000000-0000-4000-8000-000000000002', 'w2', 'Two', 'ML', 2, 'study', 'screening', 1, '{}', false, 'seed',
                 '2026-01-07T09:00:00Z', '2026-01-07T09:00:00Z', 'Investigating smuggling networks')`,
        [submission('fr')],
      );
      await migrateDatabase(before);
      const { rows } = await before.query(
        `select request_id, submitted_at, committee_visible, country,
                coalesce(search_vector_fr @@ websearch_to_tsquery('french_unaccent', 'frontieres'), false) as french,
                coalesce(search_vector_en @@ websearch_to_tsquery('english_unaccent', 'investigation'), false) as english
           from request_search order by request_id`,
      );
      expect(rows).toEqual([
        { request_id: '00000000-0000-4000-8000-000000000001', submitted_at: new Date('2026-01-05T09:00:00Z'), committee_visible: true, country: 'SN', french: true, english: false },
        { request_id: '00000000-0000-4000-8000-000000000002', submitted_at: new Date('2026-01-07T09:00:00Z'), committee_visible: false, country: 'ML', french: false, english: true },
      ]);
    } finally {
      await before.end();
      await rm(migrationsFolder, { recursive: true, force: true });
    }
  });
});

/** Every page of a search, each as its IDs, following the cursors. */
async function pages(filter: RequestFilter, sort: Sort): Promise<string[][]> {
  const all: string[][] = [];
  let cursor = null;
  do {
    const page = await listRequests(db, filter, { limit: 20, cursor, sort });
    all.push(page.items.map((item) => item.id));
    cursor = page.nextCursor ? decodeCursor(page.nextCursor) : null;
  } while (cursor);
  return all;
}

type PlanNode = { 'Node Type': string; 'Relation Name'?: string; 'Index Name'?: string; Filter?: string; Plans?: PlanNode[] };

type Statement = { query: string; params: unknown[] };

/** The statements a list sends for `filter`'s first page. */
async function statementsOf(filter: RequestFilter): Promise<Statement[]> {
  const statements: Statement[] = [];
  const logged = drizzle(pool, { schema, logger: { logQuery: (query, params) => statements.push({ query, params }) } });
  await listRequests(logged, filter, { limit: 20, cursor: null });
  return statements;
}

/** How many statements the first page of a search sends that read rows of requests: one per look. */
const readingRequestsOf = async (filter: RequestFilter) => (await statementsOf(filter)).filter(({ query }) => query.includes('from "requests"')).length;

/**
 * The nodes of a statement's plan, with `disabled` (enable_seqscan…) made a last resort and the indexes `without` left
 * out: a test's few rows are a few pages Postgres would read whole.
 */
async function planOf({ query, params }: Statement, disabled: string[], without: string[] = []): Promise<PlanNode[]> {
  const client = await pool.connect();
  let plan: PlanNode;
  try {
    await client.query('begin');
    for (const setting of disabled) await client.query(`set local ${setting} = off`);
    for (const index of without) await client.query(`drop index ${index}`);
    const { rows } = await client.query<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>(`explain (format json) ${query}`, params);
    plan = rows[0]!['QUERY PLAN'][0]!.Plan;
    await client.query('rollback');
  } finally {
    client.release();
  }
  const nodes: PlanNode[] = [];
  const walk = (node: PlanNode) => {
    nodes.push(node);
    for (const child of node.Plans ?? []) walk(child);
  };
  walk(plan);
  return nodes;
}

/** A database with no migration applied. */
async function emptyDatabase(): Promise<string> {
  const url = new URL(inject('postgresUrl'));
  const name = `t_before_${Date.now()}`;
  const admin = new pg.Client({ connectionString: url.toString() });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  url.pathname = `/${name}`;
  return url.toString();
}

/** A copy of the migrations folder that stops before `tag`: a deployment as it was before that migration. */
async function migrationsBefore(tag: string): Promise<string> {
  const source = fileURLToPath(new URL('../../db/migrations/', import.meta.url));
  const folder = await mkdtemp(join(tmpdir(), 'migrations-before-'));
  const journal = JSON.parse(await readFile(join(source, 'meta/_journal.json'), 'utf8')) as { entries: Array<{ tag: string }> };
  const entries = journal.entries.slice(0, journal.entries.findIndex((entry) => entry.tag === tag));
  await mkdir(join(folder, 'meta'));
  await writeFile(join(folder, 'meta/_journal.json'), JSON.stringify({ ...journal, entries }));
  const files = new Set((await readdir(source)).filter((file) => file.endsWith('.sql')));
  for (const { tag: earlier } of entries) if (files.has(`${earlier}.sql`)) await copyFile(join(source, `${earlier}.sql`), join(folder, `${earlier}.sql`));
  return folder;
}
