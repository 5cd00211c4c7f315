import { sql, type SQL } from 'drizzle-orm';
import { LANGUAGES, type Language } from '../i18n/languages';
import { requests } from './schema';

/**
 * Full-text search in the dialogue's two languages. A request is written in one (`requests.language`); its search
 * vector holds its words stemmed in that language with accents ignored, by the text search configurations of
 * migration 0026 (unaccent, then the language's Snowball stemmer): "formations" and "formation" are one word,
 * "securite" and "sécurité" too.
 */

/** Each language's configuration, as the generated column `requests.search_vector` names it. */
const CONFIGURATION: Record<Language, SQL> = {
  en: sql.raw(`'english_unaccent'::regconfig`),
  fr: sql.raw(`'french_unaccent'::regconfig`),
};

/**
 * Requests matching a web-search query (words, "phrases", -excluded, or). Without a language, the query is read in
 * each language and each request matched by the reading in its own: one reading OR-ed over every vector would let
 * "-returnees" exclude only the requests whose language stems it the way the other does. With one, only the
 * requests written in it.
 */
export function matchesSearch(query: string, language?: Language): SQL {
  const inLanguage = (written: Language) =>
    sql`(${requests.language} = ${written} and ${requests.searchVector} @@ websearch_to_tsquery(${CONFIGURATION[written]}, ${query}))`;
  return language ? inLanguage(language) : sql`(${sql.join(LANGUAGES.map(inLanguage), sql` or `)})`;
}
