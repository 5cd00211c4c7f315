import { match } from '@formatjs/intl-localematcher';

/**
 * The languages the dialogue works in. Labels are translated; keys never are: error codes, phases, actions and
 * event types stay as they are in every language.
 */
export const LANGUAGES = ['en', 'fr'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'en';

/** The locale each language writes dates, numbers and money in: "12 mars 2027", "45 000 €"; "12 March 2027", "€45,000". */
export const LOCALES: Record<Language, string> = { en: 'en-GB', fr: 'fr-FR' };

export const isLanguage = (value: unknown): value is Language => LANGUAGES.includes(value as Language);

/**
 * The language a caller asked for in `Accept-Language` (RFC 9110: tags by weight, `q=0` meaning "not this one"),
 * matched to ours as browsers expect (`fr-SN` reads French); `fallback` when nothing matches.
 */
export function negotiateLanguage(acceptLanguage: string | undefined, fallback: Language = DEFAULT_LANGUAGE): Language {
  const requested = (acceptLanguage ?? '')
    .split(',')
    .map((part, order) => {
      const [tag = '', ...parameters] = part.trim().split(';');
      const q = parameters.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { tag: tag.trim(), weight: q === undefined ? 1 : Number(q), order };
    })
    .filter(({ tag, weight }) => /^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/.test(tag) && weight > 0 && weight <= 1)
    .sort((a, b) => b.weight - a.weight || a.order - b.order)
    .map(({ tag }) => tag);
  if (requested.length === 0) return fallback;
  try {
    const chosen = match(requested, LANGUAGES, fallback, { algorithm: 'best fit' });
    return isLanguage(chosen) ? chosen : fallback;
  } catch {
    // A tag Intl refuses (syntactically fine, semantically not a locale): the caller gets the default, not a 500.
    return fallback;
  }
}
