import { CATALOGS, translate, type MessageKey } from './messages';
import { LANGUAGES, LOCALES, type Language } from './languages';
import { escapeHtml } from '../api/escape-html';

/**
 * The dashboard's share of the catalogs. Its markup (dashboard/index.html) names messages as `{{page.key}}` and is
 * rendered here in each language; its scripts receive the messages whose keys start with these prefixes, in the
 * page's one language. A key the markup names that the catalog lacks stops the API at start, not a person's screen.
 */
export const PAGE_PREFIXES = [
  'page.',
  'phase.',
  'role.',
  'area.',
  'support.',
  'vote.',
  'decision.',
  'activityStatus.',
  // A refused single sign-on comes back to the page as an error's code alone (api/routes/single-sign-on.ts): the page words it.
  'error.singleSignOn.',
];

const isPageKey = (key: string) => PAGE_PREFIXES.some((prefix) => key.startsWith(prefix));

/** The page's messages in one language (ICU MessageFormat, formatted in the browser). */
export function pageCatalog(language: Language, dialogue: string): Record<string, string> {
  const messages = Object.fromEntries(Object.entries(CATALOGS[language]).filter(([key]) => isPageKey(key)));
  // The dialogue is the deployment's, not the catalog's: filled in once, here.
  return Object.fromEntries(Object.entries(messages).map(([key, message]) => [key, message.replaceAll('{dialogue}', dialogue.replaceAll("'", "''"))]));
}

/**
 * The choices of a language menu: every language the dialogue works in, each named in itself ("Français"), so
 * that a person finds theirs whatever the page's language. A language added to LANGUAGES appears here by itself.
 */
const languageOptions = (): string =>
  LANGUAGES.map((option) => `<option value="${option}" lang="${option}">${escapeHtml(translate(option, 'language.name'))}</option>`).join('');

/**
 * The markup in `language`: `{{lang}}`, `{{locale}}` (dates and numbers), `{{languageOptions}}`, and every
 * `{{page.key}}` as that message (HTML-escaped).
 */
export function renderPage(markup: string, language: Language, dialogueHtml: string): string {
  return markup.replace(/\{\{([\w.]+)\}\}/g, (_match, key: string) => {
    if (key === 'lang') return language;
    if (key === 'locale') return LOCALES[language];
    if (key === 'languageOptions') return languageOptions();
    if (!(key in CATALOGS[language])) throw new Error(`dashboard/index.html names the message ${key}, which the ${language} catalog lacks`);
    return escapeHtml(translate(language, key as MessageKey, { dialogue: '\u0000' })).replaceAll('\u0000', dialogueHtml);
  });
}
