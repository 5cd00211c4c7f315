import { language } from './i18n.js';

/**
 * The dialogue's members by their names in the page's language (GET /countries), asked once per page: a code such
 * as GQ or CV says little to most people. Empty when the list cannot be had; the codes then stand alone.
 */
let names = null;

/** Signed out: the next session asks again (a member added meanwhile shows by name). */
export function forgetCountryNames() {
  names = null;
}

/** @returns {Promise<(code: string) => string>} "Sénégal (SN)" where the name is known, the code alone where not. */
export async function countryNamer(api) {
  names ??= api.get('/countries').then(
    (list) => new Map((list?.items ?? []).map((member) => [member.code, language === 'fr' ? member.nameFr : member.nameEn])),
    () => {
      names = null; // not kept: the next caller asks again
      return new Map();
    },
  );
  const known = await names;
  return (code) => (known.has(code) ? `${known.get(code)} (${code})` : code);
}
