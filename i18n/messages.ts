import { IntlMessageFormat } from 'intl-messageformat';
import en from './catalogs/en.json' with { type: 'json' };
import fr from './catalogs/fr.json' with { type: 'json' };
import { LOCALES, type Language } from './languages';
import type { LocalizedMessage, MessageValue } from './localized';

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

export const isMessageKey = (key: unknown): key is MessageKey => typeof key === 'string' && Object.hasOwn(CATALOGS.en, key);

/**
 * A localized message (localized.ts) in `language`, the values that are words worded in it too. A key no catalog has
 * (from a refusal of a newer worker, say) is shown as it is rather than failing the answer it is part of.
 */
export function render(language: Language, message: LocalizedMessage): string {
  if (!isMessageKey(message.key)) return String(message.key);
  const values = Object.fromEntries(Object.entries(message.values ?? {}).map(([name, value]) => [name, renderValue(language, value)]));
  return translate(language, message.key, values);
}

function renderValue(language: Language, value: MessageValue): string | number {
  if (typeof value === 'string' || typeof value === 'number') return value;
  if ('key' in value) return render(language, value);
  if ('list' in value) {
    const items = value.list.map((item) => String(renderValue(language, item)));
    if (value.join === 'comma') return items.join(', ');
    return new Intl.ListFormat(LOCALES[language], { type: value.join === 'or' ? 'disjunction' : 'conjunction' }).format(items);
  }
  if ('euros' in value) {
    return new Intl.NumberFormat(LOCALES[language], { style: 'currency', currency: 'EUR', maximumFractionDigits: 2, minimumFractionDigits: 0 }).format(value.euros);
  }
  return value.inEachLanguage[language];
}
