import { sql, type Placeholder, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { LANGUAGES, type Language } from '../i18n/languages';
import { requestSearch } from './schema';

/**
 * Full-text search in the dialogue's two languages. A request is written in one (`requests.language`); its search
 * vector (request_search.search_vector_<language>) holds its words stemmed in that language with accents ignored, by
 * the text search configurations of migration 0026 (unaccent, then the language's Snowball stemmer): "formations" and
 * "formation" are one word, "securite" and "sécurité" too.
 */

/** Each language's configuration and vector, as db/functions/copy_to_request_search.sql stems that language's requests. */
const READING: Record<Language, { configuration: SQL; vector: AnyPgColumn }> = {
  en: { configuration: sql.raw(`'english_unaccent'::regconfig`), vector: requestSearch.searchVectorEn },
  fr: { configuration: sql.raw(`'french_unaccent'::regconfig`), vector: requestSearch.searchVectorFr },
};

/**
 * Rows of request_search written in `language` that match a web-search query (words, "phrases", -excluded, or) read
 * in that language: only those rows have that language's vector. Its indexes are built over them, so Postgres sees
 * that the condition is theirs, and does not read the row to check a match the GIN index already decided.
 */
export function matchesSearchIn(language: Language, query: string | Placeholder): SQL {
  const { configuration, vector } = READING[language];
  return sql`(${vector} @@ websearch_to_tsquery(${configuration}, ${query}))`;
}

/**
 * Rows of request_search matching the query. Without a language, the query is read in each language and each request
 * matched by the reading in its own: one reading OR-ed over every vector would let "-returnees" exclude only the
 * requests whose language stems it the way the other does. With one, only the requests written in it.
 */
export function matchesSearch(query: string, language?: Language): SQL {
  return language ? matchesSearchIn(language, query) : sql`(${sql.join(LANGUAGES.map((written) => matchesSearchIn(written, query)), sql` or `)})`;
}
