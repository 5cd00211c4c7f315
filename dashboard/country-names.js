import { language } from './i18n.js';

/**
 * The dialogue's members by their names in the page's language (GET /countries), asked once per page: a code such
 * as GQ or CV says little to most people.
 */
let names = null;

/** Signed out: the next session asks again (a member added meanwhile shows by name). */
export function forgetCountryNames() {
  names = null;
}

/** @returns {Promise<Map<string, string>>} code → name; rejects (and is asked again next time) when the list cannot be had. */
export function countryNames(api) {
  names ??= api.get('/countries').then(
    (list) => new Map((list?.items ?? []).map((member) => [member.code, language === 'fr' ? member.nameFr : member.nameEn])),
    (error) => {
      names = null; // not kept: the next caller asks again
      throw error;
    },
  );
  return names;
}

/**
 * @returns {Promise<(code: string) => string>} "Sénégal (SN)" where the name is known, the code alone where not — and
 * for every code when the list cannot be had: a page that shows codes beats one that shows nothing.
 */
export async function countryNamer(api) {
  const known = await countryNames(api).catch(() => new Map());
  return (code) => (known.has(code) ? `${known.get(code)} (${code})` : code);
}
