import { and, asc, eq, gte, inArray, lt, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import { createHash } from 'node:crypto';
import type { Database } from './client';
import { ascendingAsIndexed, descendingAsIndexed } from './index-order';
import { dueOrderKey, requestEvents, requests, STILL_OPEN, submissionKeys } from './schema';
import type { ImplementationActivity, Phase, RequestState } from '../workflows/request-model';
import { storedInLanguage, waitingFor } from '../read-model/waiting-for';
import { isInstantWithin } from '../workflows/date-bounds';
import { readableRows } from './readable-rows';
import { isHeldBySearchTable, isSearchMatch, PAGE_LIMIT, pageOfMatches, recentFirst, searchParameters, searchShapeOf, type SearchShape } from './request-search';
import { builtOncePerShape } from './prepared-once';
import type { Language } from '../i18n/languages';
import { isoOfStored, isoOfStoredOrNull } from './stored-instants';

/** Reads of the request read model and audit trail, and the submission idempotency keys. */

export interface RequestFilter {
  phase?: Phase;
  country?: string;
  domain?: number;
  /** Placed in this action plan at submission. */
  actionPlan?: string;
  /** Naming this objective (its code in its plan). */
  objective?: string;
  /** Set for partners: they see only their own country's requests. */
  onlyCountry?: string;
  /** Set for the Steering Committee and the Chair: only requests that reached review. */
  committeeOnly?: boolean;
  /** Full-text search (web-search syntax: words, "phrases", -excluded, or), each request in its own language. */
  q?: string;
  /** Written in this language (with `q`: the query read in it only). */
  language?: Language;
  activityType?: string;
  submittedFrom?: string;
  submittedTo?: string;
  decidedFrom?: string;
  decidedTo?: string;
  /** Past the deadline of whoever must act now (true), or not (false). */
  overdue?: boolean;
  /** A Steering Committee member objects in the current review. */
  hasObjections?: boolean;
  /** Still in progress (true), or ended: completed, rejected, withdrawn, cancelled (false). */
  open?: boolean;
}

/** Orders a list can take; each is total (ties broken by id), so keyset pages never skip or repeat a row. */
export const SORTS = ['newest', 'oldest', 'recently_updated', 'due'] as const;
export type Sort = (typeof SORTS)[number];

/** The `due` sort's cursor key on a request without a deadline (dueOrderKey makes it infinity). */
const NO_DEADLINE = 'infinity';

const SORT_KEYS: Record<Sort, { column: AnyColumn | SQL; descending: boolean }> = {
  newest: { column: requests.submittedAt, descending: true },
  oldest: { column: requests.submittedAt, descending: false },
  recently_updated: { column: requests.updatedAt, descending: true },
  due: { column: dueOrderKey(requests.dueAt), descending: false },
};

export interface Cursor {
  sort: Sort;
  /** The sort column's value on the last row of the previous page (`infinity` for no deadline), and that row's id. */
  key: string;
  id: string;
}


export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.key, cursor.id, cursor.sort])).toString('base64url');
}

/** Returns null for anything that is not a cursor this API issued. Cursors from before sorting mean `newest`. */
export function decodeCursor(text: string): Cursor | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || (value.length !== 2 && value.length !== 3)) return null;
    const [key, id, sort = 'newest'] = value as unknown[];
    // Exactly as issued: a forged key that Date.parse accepts ("1", "May 5") or an "ID" of 36 dashes would reach
    // Postgres, which refuses them (a 500 instead of the 400 for a bad cursor).
    if (!SORTS.includes(sort as Sort)) return null;
    const noDeadline = sort === 'due' && key === NO_DEADLINE;
    if (typeof key !== 'string' || (!noDeadline && !isIssuedTimestamp(key))) return null;
    if (typeof id !== 'string' || !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return null;
    return { key, id, sort: sort as Sort };
  } catch {
    return null;
  }
}

/**
 * An ISO timestamp as isoOfStored writes it, within the dates a person can mean: beyond year 9999 JavaScript writes
 * `+275760-…`, a form Postgres refuses (found by the property tests), and no request was submitted before 2006.
 */
function isIssuedTimestamp(key: string): boolean {
  const time = Date.parse(key);
  return !Number.isNaN(time) && new Date(time).toISOString() === key && isInstantWithin(key);
}

function filterConditions(filter: RequestFilter): SQL[] {
  const conditions: SQL[] = [];
  if (filter.phase) conditions.push(eq(requests.phase, filter.phase));
  if (filter.country) conditions.push(eq(requests.country, filter.country));
  if (filter.onlyCountry !== undefined) conditions.push(eq(requests.country, filter.onlyCountry));
  if (filter.committeeOnly) conditions.push(eq(requests.committeeVisible, true));
  if (filter.domain) conditions.push(eq(requests.domain, filter.domain));
  if (filter.actionPlan) conditions.push(eq(requests.actionPlan, filter.actionPlan));
  if (filter.objective) conditions.push(eq(requests.objective, filter.objective));
  if (filter.activityType) conditions.push(eq(requests.activityType, filter.activityType));
  if (filter.submittedFrom) conditions.push(gte(requests.submittedAt, filter.submittedFrom));
  if (filter.submittedTo) conditions.push(lt(requests.submittedAt, filter.submittedTo));
  if (filter.decidedFrom) conditions.push(gte(requests.decidedAt, filter.decidedFrom));
  if (filter.decidedTo) conditions.push(lt(requests.decidedAt, filter.decidedTo));
  if (filter.overdue === true) conditions.push(sql`${requests.dueAt} < now()`);
  if (filter.overdue === false) conditions.push(sql`(${requests.dueAt} is null or ${requests.dueAt} >= now())`);
  if (filter.hasObjections !== undefined) conditions.push(eq(requests.hasObjections, filter.hasObjections));
  if (filter.open === true) conditions.push(STILL_OPEN);
  if (filter.open === false) conditions.push(sql`not (${STILL_OPEN})`);
  if (filter.q) conditions.push(isSearchMatch(filter.q, filter.language));
  else if (filter.language) conditions.push(eq(requests.language, filter.language));
  return conditions;
}

/**
 * The state, only where the read model's waiting_for cannot tell a reader of `language` who must act on what:
 * never written (an open request always has somebody to act), or written before it kept every language.
 */
const stateUnlessWaitingForIn = (language: Language) =>
  sql<RequestState | null>`case when (${requests.waitingFor} is null or not coalesce(${requests.waitingFor} -> 'whatIn' ? ${language}, false)) and ${STILL_OPEN} then ${requests.state} end`;

/**
 * Strictly after the previous page's last row, in the sort's order. A row comparison, not `a < x or (a = x and
 * b < y)`: Postgres turns it into one range of the (key, id) index, so a page a million rows deep costs what the
 * first one does.
 */
function afterCursor(cursor: Cursor): SQL {
  const { column, descending } = SORT_KEYS[cursor.sort];
  return descending
    ? sql`(${column}, ${requests.id}) < (${cursor.key}::timestamptz, ${cursor.id}::uuid)`
    : sql`(${column}, ${requests.id}) > (${cursor.key}::timestamptz, ${cursor.id}::uuid)`;
}

/** The order of a sort, spelled exactly as its index is built (db/index-order.ts says why). */
function orderOf(sort: Sort): SQL[] {
  const { column, descending } = SORT_KEYS[sort];
  // The due key is never null; its index is built ascending, as written here.
  if (sort === 'due') return [sql`${column} asc`, sql`${requests.id} asc`];
  return descending ? descendingAsIndexed(column, requests.id) : ascendingAsIndexed(column, requests.id);
}

const SUMMARY_COLUMNS = {
  id: requests.id,
  title: requests.title,
  country: requests.country,
  domain: requests.domain,
  actionPlan: requests.actionPlan,
  objective: requests.objective,
  activityType: requests.activityType,
  phase: requests.phase,
  submittedAt: requests.submittedAt,
  updatedAt: requests.updatedAt,
  decidedAt: requests.decidedAt,
  dueAt: requests.dueAt,
  overdue: sql<boolean>`coalesce(${requests.dueAt} < now(), false)`,
  hasObjections: requests.hasObjections,
  requestedBudgetEur: sql<number>`${requests.requestedBudgetEur}::float8`,
  approvedBudgetEur: sql<number | null>`${requests.approvedBudgetEur}::float8`,
};

export type RequestSummaryRow = Awaited<ReturnType<typeof listRequests>>['items'][number];

type Page = { limit: number; cursor: Cursor | null; sort?: Sort };

/** A page of requests in the sort's order, as summaries (the CSV export reads every row this way). */
export async function listRequests(db: Database, filter: RequestFilter, page: Page) {
  const { rows, nextCursor } = await pageOfRequests(db, filter, page, null);
  return { items: rows.map(({ state: _state, waitingFor: _waitingFor, ...summary }) => summary), nextCursor };
}

/**
 * The same page, each item also saying who must act next, on what (in `language`) and by when: the read model's
 * column, written with every event by the workflow's own rule. A request whose last event predates that column
 * (migration 0011), or its words in every language, has it computed here from its state, by the same rule, until its
 * next event.
 */
export async function listRequestsWithWaitingFor(db: Database, filter: RequestFilter, page: Page, language: Language = 'en') {
  const { rows, nextCursor } = await pageOfRequests(db, filter, page, language);
  return {
    items: rows.map(({ state, waitingFor: stored, ...summary }) => ({
      ...summary,
      waitingFor: state ? waitingFor(state, language) : stored && (storedInLanguage(stored, language) ?? { roles: stored.roles, what: stored.what, deadline: stored.deadline }),
    })),
    nextCursor,
  };
}

/** The summaries' columns, with who must act in `waitingForIn` (null: not asked). */
const summariesOf = (db: Database, waitingForIn: Language | null) =>
  db
    .select({
      ...SUMMARY_COLUMNS,
      waitingFor: waitingForIn ? requests.waitingFor : sql<null>`null`,
      state: waitingForIn ? stateUnlessWaitingForIn(waitingForIn) : sql<null>`null`,
    })
    .from(requests)
    .$dynamic();

type SearchPageShape = SearchShape & { sort: 'newest' | 'oldest'; waitingForIn: Language | null };

/** A page of a search's summaries: its matches found in the search table (request-search.ts), then their rows by id. */
const searchPageStatement = builtOncePerShape(
  (shape: SearchPageShape) => JSON.stringify(shape),
  (db, shape) => {
    const matches = pageOfMatches(db, shape);
    return summariesOf(db, shape.waitingForIn)
      .innerJoin(matches, eq(requests.id, matches.id))
      .orderBy(...orderOf(shape.sort))
      .limit(PAGE_LIMIT)
      .prepare('');
  },
);

/** `waitingForIn`: the language to read who must act in; null: not asked. */
async function pageOfRequests(db: Database, filter: RequestFilter, page: Page, waitingForIn: Language | null) {
  const sort = page.cursor?.sort ?? page.sort ?? 'newest';
  const limit = page.limit + 1;
  let rows: Awaited<ReturnType<ReturnType<typeof summariesOf>['execute']>>;
  if (isHeldBySearchTable(filter) && (sort === 'newest' || sort === 'oldest')) {
    // For one word newest first, among the recent months' requests first, and everywhere when they are not a page.
    const order = { descending: SORT_KEYS[sort].descending, after: page.cursor ?? undefined, limit };
    const read = async (recentOnly: boolean) => {
      const shape = { ...searchShapeOf(filter, order, recentOnly), sort, waitingForIn };
      return searchPageStatement(db, shape).execute(await searchParameters(db, filter, order, shape));
    };
    rows = recentFirst(order, filter.q) ? await read(true) : [];
    if (rows.length < limit) rows = await read(false);
  } else {
    const conditions = filterConditions(filter);
    if (page.cursor) conditions.push(afterCursor(page.cursor));
    rows = await summariesOf(db, waitingForIn).where(and(...conditions)).orderBy(...orderOf(sort)).limit(limit);
  }
  const items = readableRows('requests', rows.slice(0, page.limit), (row) => row.id, (row) => ({
    ...row,
    submittedAt: isoOfStored(row.submittedAt),
    updatedAt: isoOfStored(row.updatedAt),
    decidedAt: isoOfStoredOrNull(row.decidedAt),
    dueAt: isoOfStoredOrNull(row.dueAt),
  }));
  const last = items.at(-1);
  const nextCursor = rows.length > page.limit && last ? encodeCursor({ sort, key: cursorKey(sort, last), id: last.id }) : null;
  return { rows: items, nextCursor };
}

function cursorKey(sort: Sort, row: { submittedAt: string; updatedAt: string; dueAt: string | null }): string {
  if (sort === 'due') return row.dueAt ?? NO_DEADLINE;
  return sort === 'recently_updated' ? row.updatedAt : row.submittedAt;
}

/**
 * The activities of the requests being implemented or monitored that `filter` selects (the most recently updated
 * `limit` requests): what a calendar shows of the portfolio.
 */
export async function activitiesInProgress(db: Database, filter: RequestFilter, limit: number) {
  const rows = await db
    .select({
      id: requests.id,
      title: requests.title,
      country: requests.country,
      activities: sql<ImplementationActivity[] | null>`${requests.state} -> 'activities'`,
    })
    .from(requests)
    .where(and(...filterConditions(filter), inArray(requests.phase, ['implementation', 'monitoring'])))
    // As requests_updated_idx is built: with a plain DESC, Postgres read every request under way and its state
    // (1.1 s per feed at 1,000,000 requests, bench/results/2026-11-29T19-37-38.json; now ~8 ms).
    .orderBy(...orderOf('recently_updated'))
    .limit(limit);
  return rows.map((row) => ({ ...row, activities: row.activities ?? [] }));
}

export async function findRequestState(db: Database, id: string): Promise<RequestState | null> {
  const [row] = await db.select({ state: requests.state }).from(requests).where(eq(requests.id, id));
  return row?.state ?? null;
}

export async function listRequestEvents(db: Database, requestId: string) {
  const rows = await db
    .select({
      seq: requestEvents.seq,
      type: requestEvents.type,
      actorName: requestEvents.actorName,
      actorRole: requestEvents.actorRole,
      phaseBefore: requestEvents.phaseBefore,
      phaseAfter: requestEvents.phaseAfter,
      occurredAt: requestEvents.occurredAt,
      payload: requestEvents.payload,
    })
    .from(requestEvents)
    .where(eq(requestEvents.requestId, requestId))
    .orderBy(asc(requestEvents.seq));
  return readableRows('request_events', rows, (row) => `${requestId}#${row.seq}`, (row) => ({ ...row, occurredAt: isoOfStored(row.occurredAt) }));
}

export function hashBody(body: unknown): string {
  return createHash('sha256').update(JSON.stringify(body)).digest('hex');
}

/**
 * Claims an Idempotency-Key for a new request ID, or returns what an earlier call with the same key claimed.
 * Concurrent retries race on the primary key; exactly one wins and the others read its row.
 */
export async function claimSubmissionKey(
  db: Database,
  claim: { userId: string; idempotencyKey: string; requestId: string; bodyHash: string },
): Promise<{ requestId: string; bodyHash: string; claimed: boolean }> {
  const inserted = await db.insert(submissionKeys).values(claim).onConflictDoNothing().returning();
  if (inserted.length > 0) return { requestId: claim.requestId, bodyHash: claim.bodyHash, claimed: true };
  const [existing] = await db
    .select()
    .from(submissionKeys)
    .where(and(eq(submissionKeys.userId, claim.userId), eq(submissionKeys.idempotencyKey, claim.idempotencyKey)));
  if (!existing) throw new Error('idempotency key vanished between insert and select');
  return { requestId: existing.requestId, bodyHash: existing.bodyHash, claimed: false };
}

export async function databaseIsReachable(db: Database): Promise<boolean> {
  try {
    await db.execute(sql`select 1`);
    return true;
  } catch {
    return false;
  }
}

/**
 * Every request matching a filter, page by page along the same keyset as the list: one page of rows in memory at a
 * time, however many match, and no long transaction held open while a slow client reads.
 */
export async function* allRequests(db: Database, filter: RequestFilter, sort: Sort = 'newest', pageSize = 1_000) {
  let cursor: Cursor | null = null;
  do {
    const page = await listRequests(db, filter, { limit: pageSize, cursor, sort });
    yield* page.items;
    cursor = page.nextCursor === null ? null : decodeCursor(page.nextCursor);
  } while (cursor);
}
