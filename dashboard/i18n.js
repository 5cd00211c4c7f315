/**
 * The page's words, in its one language (`<html lang>`, chosen by the server: README, "Languages"). Messages are
 * ICU MessageFormat from the language's catalog — the API's catalogs, i18n/catalogs — formatted by
 * intl-messageformat, as the API formats its own; dates, numbers and money in the language's form.
 */

/** @typedef {import('intl-messageformat').IntlMessageFormat} IntlMessageFormat */

/** As the server rendered the page (i18n/languages.ts: LANGUAGES and their LOCALES). */
export const language = document.documentElement.lang;
/** The locale of dates and numbers: "12 mars 2027", "45 000 €"; "12 Mar 2027", "€45,000". */
export const locale = document.documentElement.dataset.locale ?? language;

// Non-literal specifiers: the files are the server's (one catalog per language), not this folder's. index.html
// preloads both, so they arrive with the other modules.
const formatterUrl = '/dashboard/intl-messageformat.js';
const catalogUrl = `/dashboard/catalog.${language}.js`;
/** @type {[typeof import('intl-messageformat'), { default: Record<string, string> }]} */
const [{ IntlMessageFormat }, { default: catalog }] = await Promise.all([import(formatterUrl), import(catalogUrl)]);

/** @type {Map<string, IntlMessageFormat>} */
const compiled = new Map();

/**
 * The message `key`, its `{variables}` filled in. A key the catalog lacks shows as the key (and is reported in
 * the console, which the browser tests watch), never as nothing.
 * @param {string} key
 * @param {Record<string, string | number | Date>} [values]
 * @returns {string}
 */
export function t(key, values = {}) {
  let format = compiled.get(key);
  if (!format) {
    const message = catalog[key];
    if (message === undefined) {
      console.error(`The ${language} catalog has no message ${key}`);
      return key;
    }
    format = new IntlMessageFormat(message, locale);
    compiled.set(key, format);
  }
  return String(/** @type {{ format(values: object): unknown }} */ (/** @type {unknown} */ (format)).format(values));
}

/** Whether the catalog has `key` (labels for keys the API may add later fall back to the key as words). */
export const has = (key) => Object.prototype.hasOwnProperty.call(catalog, key);
