import { IntlMessageFormat } from 'intl-messageformat';
import en from './catalogs/en.json' with { type: 'json' };
import fr from './catalogs/fr.json' with { type: 'json' };
import type { Language } from './languages';

/**
 * One catalog per language, ICU MessageFormat for variables and plurals. The English catalog is the reference:
 * its keys are the message keys, and a test fails when the French one lacks any (tests/unit/i18n-catalogs.test.ts).
 */
export type MessageKey = keyof typeof en;
export const CATALOGS: Record<Language, Record<MessageKey, string>> = { en, fr };

const compiled = new Map<string, IntlMessageFormat>();
/** How the catalogs' messages are called: their variables are checked by the catalogs' test, not by the type. */
type UntypedFormat = { format(values: Record<string, string | number>): unknown };

/** The message `key` in `language`, its `{variables}` filled in. */
export function translate(language: Language, key: MessageKey, values: Record<string, string | number> = {}): string {
  const id = `${language}\u0000${key}`;
  let format = compiled.get(id);
  if (!format) {
    format = new IntlMessageFormat(CATALOGS[language][key], language);
    compiled.set(id, format);
  }
  return String((format as UntypedFormat).format(values));
}

/** `translate` bound to one language: what a text written for one reader calls for each of its messages. */
export const translatorFor =
  (language: Language) =>
  (key: MessageKey, values: Record<string, string | number> = {}): string =>
    translate(language, key, values);
