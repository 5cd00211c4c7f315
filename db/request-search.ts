import { and, eq, gt, inArray, or, sql, type SQL } from 'drizzle-orm';
import { unionAll } from 'drizzle-orm/pg-core';
import { LANGUAGES, type Language } from '../i18n/languages';
import type { Database } from './client';
import { ascendingAsIndexed, descendingAsIndexed } from './index-order';
import type { RequestFilter } from './requests-repository';
import { requests, requestSearch } from './schema';
import { instantOfPostgresText } from './stored-instants';
import { matchesSearch, matchesSearchIn } from './search-languages';

/**
 * A search through the narrow table request_search (migration 0028). Where it holds every filter asked, a page of a
 * search in submission order is matched, filtered, ordered and cut there, and only that page's rows of `requests`
 * are read, by id: reading every match's row of `requests` to sort them was what made a one-word search slow
 * (30 ms p99 at 1,000,000 requests). Any other filter or order still reads the matches' rows, as before.
 */

/** The filters request_search holds a column for (the language with the search, as matchesSearch reads it). */
const HELD_FILTERS: ReadonlyArray<keyof RequestFilter> = ['q', 'language', 'country', 'onlyCountry', 'committeeOnly'];

/** A search whose every filter is one request_search holds. */
export function isHeldBySearchTable(filter: RequestFilter): filter is RequestFilter & { q: string } {
  return Boolean(filter.q) && Object.entries(filter).every(([name, value]) => value === undefined || HELD_FILTERS.includes(name as keyof RequestFilter));
}

type Order = { descending: boolean; after?: { key: string; id: string }; limit: number };

/**
 * What the text of a search's statement depends on. Everything else (the words, the country, the cursor, the months,
 * the page's size) is a parameter, so the statement is built once per shape (requests-repository.ts) and only filled
 * at each call: drizzle building it took ~0.25 ms of the API's ~2.7 ms on a search, and ~200 of the ~660 KiB the call
 * allocated (V8's sampling heap profiler, 500 calls at 1,000,000 requests), hence more pauses to collect it.
 */
export interface SearchShape {
  /** The languages it reads the words in, each its own branch: the filter's, or every one. */
  languages: readonly Language[];
  descending: boolean;
  /** After a keyset cursor's row. */
  afterRow: boolean;
  country: boolean;
  onlyCountry: boolean;
  committeeOnly: boolean;
  /** Only among the recent months' requests (RECENT_MONTHS; recentFirst says when to ask that first). */
  recentOnly: boolean;
}

export function searchShapeOf(filter: RequestFilter & { q: string }, order: Order, recentOnly: boolean): SearchShape {
  return {
    languages: filter.language ? [filter.language] : LANGUAGES,
    descending: order.descending,
    afterRow: order.after !== undefined,
    country: Boolean(filter.country),
    // A partner's country filters whatever it is: an empty one finds nothing, never every country.
    onlyCountry: filter.onlyCountry !== undefined,
    committeeOnly: filter.committeeOnly === true,
    recentOnly,
  };
}

/** The parameters of a search statement, by name. */
const PARAMETER = {
  q: sql.placeholder('q'),
  country: sql.placeholder('country'),
  onlyCountry: sql.placeholder('onlyCountry'),
  afterMonth: sql.placeholder('afterMonth'),
  afterKey: sql.placeholder('afterKey'),
  afterId: sql.placeholder('afterId'),
  lastMonth: sql.placeholder('lastMonth'),
  limit: sql.placeholder('limit'),
};
const monthParameter = (index: number) => sql.placeholder(`month${index}`);

/** The page's size as searchParameters fills it, for the statement that reads the page's rows. */
export const PAGE_LIMIT = PARAMETER.limit;

/** Submission order as each language's index of the newest holds it: the month first, which grows with the instant. */
const WALK_ORDER = [requestSearch.submittedMonth, requestSearch.submittedAt, requestSearch.requestId] as const;

/**
 * How many months, the newest (or the cursor's) and those before it, a search of the newest first looks among before
 * it looks everywhere, when it searches every language: at 1,000,000 requests over ten years, two months hold 16,000,
 * a page of a word in one request in a thousand nearly always. A search in one language looks among as many of its
 * requests, over as many more months: in two, a French-only search found less than a page a third of the time.
 */
const RECENT_MONTHS = 2;
const recentMonthsFor = (languages: readonly Language[]) => Math.round((RECENT_MONTHS * LANGUAGES.length) / languages.length);

/**
 * The IDs of a page of the search's matches in submission order (newest first when descending), strictly after the
 * cursor's row when it has one; with recentOnly, only among the recent months' requests. Its values are the
 * parameters searchParameters gives.
 *
 * Each language's page is found apart, then the two merged: each with its own indexes, Postgres either walks that
 * language's requests from the newest until a page of them match (a word in one request in a thousand or more: a few
 * thousand rows, the newest, that share pages), or takes a rarer word's matches from the GIN index and sorts them; a
 * partner's, of their country only (the country is in the GIN index). Merged, each language's walk goes only as far
 * as the page needs. Among the recent months, the GIN index gives their matches without a walk (the month is in it).
 * Postgres plans each call for its own word (requests-repository.ts runs it as the unnamed statement).
 */
export function pageOfMatches(db: Database, shape: SearchShape) {
  const inOrder = shape.descending ? descendingAsIndexed : ascendingAsIndexed;
  const recent = shape.recentOnly ? inRecentMonths(recentMonthsFor(shape.languages)) : undefined;
  const [first, second, ...others] = shape.languages.map((language) =>
    db
      .select({ id: requestSearch.requestId, submittedMonth: requestSearch.submittedMonth, submittedAt: requestSearch.submittedAt })
      .from(requestSearch)
      .where(and(matchesSearchIn(language, PARAMETER.q), ...heldConditions(shape), recent))
      .orderBy(...inOrder(...WALK_ORDER))
      .limit(PARAMETER.limit),
  );
  if (!second) return first!.as('matches');
  // The union's own columns, by name, as the branches' orders are spelled.
  return unionAll(first!, second, ...others)
    .orderBy(...inOrder(sql.raw('"submitted_month"'), sql.raw('"submitted_at"'), sql.raw('"request_id"')))
    .limit(PARAMETER.limit)
    .as('matches');
}

/** The values of the parameters of pageOfMatches' statement of that shape, for this search and page. */
export async function searchParameters(db: Database, filter: RequestFilter & { q: string }, order: Order, shape: SearchShape) {
  const { after } = order;
  const values: Record<string, unknown> = { q: filter.q, limit: order.limit, country: filter.country, onlyCountry: filter.onlyCountry };
  if (after) Object.assign(values, { afterMonth: monthNumber(new Date(after.key)), afterKey: after.key, afterId: after.id });
  if (shape.recentOnly) {
    const { listed, last } = await recentMonths(db, after, recentMonthsFor(shape.languages));
    listed.forEach((month, index) => (values[`month${index}`] = month));
    values.lastMonth = last;
  }
  return values;
}

/** A query of one word: letters and digits, nothing websearch_to_tsquery would read as several terms. */
const ONE_WORD = /^\s*[\p{L}\p{N}]+\s*$/u;

/**
 * Whether a page is first looked for among the recent months' requests: newest first, for one word. A full page found
 * there is exact, as every request outside is older than every one inside; a shorter one says to look everywhere. A
 * word in one request in a thousand then takes a few dozen matches from the GIN index instead of a walk through 8,000
 * rows. Several words must all match, and seldom make a page among two months' requests: looked for there first, two
 * words took a second statement nearly every time, and twice as long (BENCHMARKS.md).
 */
export const recentFirst = (order: Pick<Order, 'descending'>, query: string): boolean => order.descending && ONE_WORD.test(query);

/**
 * A month as request_search.submitted_month numbers it (schema.ts, submissionMonthOf): the UTC year times twelve, plus
 * the month (1–12). The cursor's key is an instant as the API wrote it (decodeCursor checks), which Date reads exactly.
 */
const monthNumber = (instant: Date): number => instant.getUTCFullYear() * 12 + instant.getUTCMonth() + 1;

/**
 * The recent months (UTC): the cursor's month, or the newest request's as last read, and the `months - 1` before it.
 * Any months would keep a page exact; these make a page likely among them.
 */
async function recentMonths(db: Database, after: Order['after'], months: number): Promise<{ listed: number[]; last: number }> {
  const last = monthNumber(new Date(after ? after.key : await newestSubmission(db)));
  return { listed: Array.from({ length: months }, (_, i) => last - i), last };
}

/**
 * Among the recent months: each named, and any later (a request submitted in a new month since the newest was read).
 * Named one by one, not as a range: the GIN index answers a month it is asked for by skipping along the word's few
 * matches, but a range by reading every request of those months first (0.15 ms instead of 0.7 per language for a word
 * in one request in a thousand; the later months are none, or a few requests, and cost nothing).
 */
const inRecentMonths = (months: number): SQL =>
  or(inArray(requestSearch.submittedMonth, Array.from({ length: months }, (_, index) => monthParameter(index))), gt(requestSearch.submittedMonth, PARAMETER.lastMonth))!;

const NEWEST_READ_FOR_MS = 60_000;
const newestRead = new WeakMap<Database, { at: number; newest: string }>();

/**
 * The newest request's submission time, read again at most once a minute: a request submitted since falls in the
 * recent months anyway, as they run to now.
 */
async function newestSubmission(db: Database): Promise<string> {
  const known = newestRead.get(db);
  if (known && Date.now() - known.at < NEWEST_READ_FOR_MS) return known.newest;
  // Each language's newest, from its index of the newest first (max() over the table would read every row).
  const rows = await Promise.all(
    LANGUAGES.map((language) =>
      db
        .select({ submittedAt: requestSearch.submittedAt })
        .from(requestSearch)
        .where(sql.raw(`search_vector_${language} is not null`))
        .orderBy(...descendingAsIndexed(...WALK_ORDER))
        .limit(1),
    ),
  );
  const instants = rows.flat().flatMap((row) => instantOfPostgresText(row.submittedAt)?.getTime() ?? []);
  const newest = new Date(instants.length > 0 ? Math.max(...instants) : Date.now()).toISOString();
  newestRead.set(db, { at: Date.now(), newest });
  return newest;
}

function heldConditions(shape: SearchShape): SQL[] {
  const conditions: SQL[] = [];
  if (shape.country) conditions.push(eq(requestSearch.country, PARAMETER.country));
  if (shape.onlyCountry) conditions.push(eq(requestSearch.country, PARAMETER.onlyCountry));
  if (shape.committeeOnly) conditions.push(eq(requestSearch.committeeVisible, true));
  if (shape.afterRow) {
    // A row comparison, as for the list (requests-repository.ts, afterCursor): one range of the index of the newest.
    const row = sql`(${requestSearch.submittedMonth}, ${requestSearch.submittedAt}, ${requestSearch.requestId})`;
    const cursor = sql`(${PARAMETER.afterMonth}::integer, ${PARAMETER.afterKey}::timestamptz, ${PARAMETER.afterId}::uuid)`;
    conditions.push(shape.descending ? sql`${row} < ${cursor}` : sql`${row} > ${cursor}`);
  }
  return conditions;
}

/** A request matching the search, for a list with filters or an order request_search does not hold. */
export function isSearchMatch(query: string, language: RequestFilter['language']): SQL {
  return sql`${requests.id} in (select ${requestSearch.requestId} from ${requestSearch} where ${matchesSearch(query, language)})`;
}
