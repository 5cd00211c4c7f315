import { and, eq, sql, type SQL } from 'drizzle-orm';
import { unionAll } from 'drizzle-orm/pg-core';
import { LANGUAGES, type Language } from '../i18n/languages';
import type { Database } from './client';
import { ascendingAsIndexed, descendingAsIndexed } from './index-order';
import type { RequestFilter } from './requests-repository';
import { requests, requestSearch } from './schema';
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
 * The IDs of a page of the search's matches in submission order (newest first when `descending`), strictly after the
 * row `after` when given: the previous page's last, as the keyset cursor names it.
 *
 * Each language's page is found apart, then the two merged: each with its own indexes, Postgres either walks that
 * language's requests from the newest until a page of them match (a word in one request in a thousand or more: a few
 * thousand rows, the newest, that share pages), or takes a rarer word's matches from the GIN index and sorts them; a
 * partner's, of their country only (the country is in the GIN index). Merged, each language's walk goes only as far
 * as the page needs.
 */
export function pageOfMatches(db: Database, filter: RequestFilter & { q: string }, order: Order) {
  const inOrder = order.descending ? descendingAsIndexed : ascendingAsIndexed;
  const inLanguage = (language: Language) =>
    db
      .select({ id: requestSearch.requestId, submittedAt: requestSearch.submittedAt })
      .from(requestSearch)
      .where(and(matchesSearchIn(language, filter.q), ...heldConditions(filter, order)))
      .orderBy(...inOrder(requestSearch.submittedAt, requestSearch.requestId))
      .limit(order.limit);
  if (filter.language) return inLanguage(filter.language).as('matches');
  const [first, second, ...others] = LANGUAGES.map(inLanguage);
  // The union's own columns, by name, as the branches' orders are spelled.
  return unionAll(first!, second!, ...others)
    .orderBy(...inOrder(sql.raw('"submitted_at"'), sql.raw('"request_id"')))
    .limit(order.limit)
    .as('matches');
}

function heldConditions(filter: RequestFilter, { descending, after }: Order): SQL[] {
  const conditions: SQL[] = [];
  if (filter.country) conditions.push(eq(requestSearch.country, filter.country));
  if (filter.onlyCountry !== undefined) conditions.push(eq(requestSearch.country, filter.onlyCountry));
  if (filter.committeeOnly) conditions.push(eq(requestSearch.committeeVisible, true));
  if (after) {
    // A row comparison, as for the list (requests-repository.ts, afterCursor): one range of the (key, id) index.
    const row = sql`(${requestSearch.submittedAt}, ${requestSearch.requestId})`;
    const cursor = sql`(${after.key}::timestamptz, ${after.id}::uuid)`;
    conditions.push(descending ? sql`${row} < ${cursor}` : sql`${row} > ${cursor}`);
  }
  return conditions;
}

/** A request matching the search, for a list with filters or an order request_search does not hold. */
export function isSearchMatch(query: string, language: RequestFilter['language']): SQL {
  return sql`${requests.id} in (select ${requestSearch.requestId} from ${requestSearch} where ${matchesSearch(query, language)})`;
}
