/**
 * Reading the instants Postgres stores. Drizzle hands `timestamptz` columns over as Postgres writes them
 * ("2027-03-12 09:00:00+00", "0099-12-26 17:34:20+00", "0018-01-01 00:00:00+00 BC", "infinity"), and
 * `new Date(text)` misreads them: a two-digit year becomes 19xx, a year before 1000 or after 9999 an Invalid Date
 * whose toISOString() throws. So they are read here, exactly, and a value no answer can carry is reported as
 * unreadable instead of breaking every read that meets it.
 */

/** A stored value that no answer can carry: the row holding it is left out of lists and logged (readable-rows.ts). */
export class UnreadableValue extends Error {
  constructor(readonly value: string) {
    super(`stored value ${JSON.stringify(value)} is not an instant an answer can carry (RFC 3339, years 1–9999)`);
  }
}

const POSTGRES_INSTANT =
  /^(\d{4,})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?(?:([+-])(\d{2})(?::?(\d{2}))?(?::?(\d{2}))?|Z)?( BC)?$/;

/** The instant of Postgres' text for a `timestamptz` (DateStyle ISO, any session time zone); null if it is none. */
export function instantOfPostgresText(text: string): Date | null {
  const match = POSTGRES_INSTANT.exec(text);
  if (!match) return null;
  const [, year, month, day, hour, minute, second, fraction = '', sign, offsetHours = '0', offsetMinutes = '0', offsetSeconds = '0', era] = match;
  // Postgres counts 1 BC, 2 BC…; the proleptic calendar of Date counts 0, -1…
  const fullYear = era ? 1 - Number(year) : Number(year);
  const date = new Date(0);
  date.setUTCFullYear(fullYear, Number(month) - 1, Number(day));
  date.setUTCHours(Number(hour), Number(minute), Number(second), Math.floor(Number(`0.${fraction || '0'}`) * 1000));
  const offsetMs = (Number(offsetHours) * 3600 + Number(offsetMinutes) * 60 + Number(offsetSeconds)) * 1000;
  const time = date.getTime() - (sign === '-' ? -offsetMs : sign === '+' ? offsetMs : 0);
  return Number.isFinite(time) ? new Date(time) : null;
}

/** The RFC 3339 form (UTC, milliseconds) of a stored `timestamptz`; throws UnreadableValue when it has none. */
export function isoOfStored(text: string): string {
  const instant = instantOfPostgresText(text);
  const year = instant?.getUTCFullYear();
  if (!instant || year === undefined || year < 1 || year > 9999) throw new UnreadableValue(text);
  return instant.toISOString();
}

export const isoOfStoredOrNull = (text: string | null): string | null => (text === null ? null : isoOfStored(text));
