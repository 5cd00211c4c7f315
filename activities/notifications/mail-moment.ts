import { LANGUAGES, LOCALES, type Language } from '../../i18n/languages';

/**
 * A moment as an e-mail says it: in the reader's language ("20 janvier 2025 à 09:00 UTC", "20 January 2025 at 09:00
 * UTC") and in UTC, named — an e-mail cannot know the zone of whoever opens it, and the dialogue spans several.
 */
export function mailMoment(iso: string, language: Language): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${FORMATS[language].format(date)} UTC`;
}

const FORMATS = Object.fromEntries(
  LANGUAGES.map((language) => [language, new Intl.DateTimeFormat(LOCALES[language], { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' })]),
) as Record<Language, Intl.DateTimeFormat>;
