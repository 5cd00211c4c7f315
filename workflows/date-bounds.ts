/**
 * The dates a person can mean. JSON Schema's `date-time` admits the year 18 or 9999, and Postgres stores them;
 * then every read that shows them breaks (JavaScript reads "0099-12-26" as 1999, and a year past 9999 has no
 * RFC 3339 form). So every date a person gives is held to the dialogue's lifetime: no earlier than its founding,
 * no later than a horizon. Pure: the workflow's validators, the API's formats and the database's CHECK constraints
 * (db/migrations/0023) hold the same bounds; a test pins the SQL to these constants.
 */

/** The Rabat Process was founded in 2006: nothing in it happened before. */
export const EARLIEST_DATE = '2006-01-01';
/**
 * The latest day anything may be planned for: the database's bound. A deployment may set an earlier horizon for
 * its API (DATE_HORIZON), never a later one, so that whatever the API accepts the database stores.
 */
export const LATEST_DATE = '2100-12-31';

export interface DateBounds {
  earliest: string;
  latest: string;
}

export const DATABASE_DATE_BOUNDS: DateBounds = { earliest: EARLIEST_DATE, latest: LATEST_DATE };

const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether `value` is a real calendar day (YYYY-MM-DD) within the bounds. */
export function isDateWithin(value: string, bounds: DateBounds = DATABASE_DATE_BOUNDS): boolean {
  const match = CALENDAR_DATE.exec(value);
  if (!match) return false;
  const [, year, month, day] = match.map(Number) as [number, number, number, number];
  const date = new Date(Date.UTC(2000, month - 1, day));
  date.setUTCFullYear(year);
  const real = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  return real && value >= bounds.earliest && value <= bounds.latest;
}

/** Whether an instant (any form `Date.parse` reads exactly, as the API's validation admits) falls within the bounds' days, in UTC. */
export function isInstantWithin(value: string, bounds: DateBounds = DATABASE_DATE_BOUNDS): boolean {
  const time = Date.parse(value);
  if (Number.isNaN(time)) return false;
  return time >= Date.parse(`${bounds.earliest}T00:00:00Z`) && time < Date.parse(`${bounds.latest}T00:00:00Z`) + 86_400_000;
}

