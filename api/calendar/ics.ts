/**
 * The calendar feed people subscribe to by URL in Outlook, Google Calendar or Apple Calendar: an iCalendar document
 * (RFC 5545) rendered from plain values. Pure, so that the route serving it only gathers the entries, and so that
 * every rule of the format that clients are picky about (escaping, folding, exclusive all-day ends) is tested here.
 */

export type CalendarEntry =
  | {
      kind: 'moment';
      uid: string;
      at: string /* ISO-8601 UTC instant, e.g. 2027-05-10T09:00:00.000Z */;
      summary: string;
      description?: string | null;
      url?: string | null;
    }
  | {
      kind: 'days';
      uid: string;
      startDate: string /* YYYY-MM-DD */;
      endDate: string /* YYYY-MM-DD, inclusive last day */;
      summary: string;
      description?: string | null;
      location?: string | null;
      url?: string | null;
      cancelled?: boolean;
    };

const CRLF = '\r\n';

/** RFC 5545 §3.1: longer lines must be folded; clients such as Outlook truncate or reject them otherwise. */
const MAX_LINE_OCTETS = 75;

/**
 * Without these, subscribed calendars refresh when the client decides (Outlook and Google: up to a day or more), so
 * a new deadline or a cancelled workshop would show late. Clients may still poll less often; this is a request.
 */
const REFRESH_INTERVAL = 'PT1H';

/**
 * A deadline is an instant, but several clients draw a zero-length event as a hairline or hide it from the day view.
 * Half an hour starting at the deadline keeps it visible and clickable, and the start time shown is the deadline.
 */
const MOMENT_BLOCK_MS = 30 * 60 * 1000;

const DAY_MS = 24 * 60 * 60 * 1000;

export function renderCalendar(input: {
  name: string;
  description?: string | null;
  generatedAt: string /* ISO instant */;
  entries: readonly CalendarEntry[];
}): string {
  const stamp = basicUtc(parseInstant(input.generatedAt, 'Calendar generatedAt'));
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Capacity-building requests//Calendar feed//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    // X-WR-* for Outlook, Google and Apple, which predate RFC 7986; NAME/DESCRIPTION for clients that follow it.
    `X-WR-CALNAME:${escapeText(input.name)}`,
    `NAME:${escapeText(input.name)}`,
    ...optionalText('X-WR-CALDESC', input.description),
    ...optionalText('DESCRIPTION', input.description),
    `REFRESH-INTERVAL;VALUE=DURATION:${REFRESH_INTERVAL}`,
    `X-PUBLISHED-TTL:${REFRESH_INTERVAL}`,
    ...input.entries.flatMap((entry) => (entry.kind === 'moment' ? momentEvent(entry, stamp) : daysEvent(entry, stamp))),
    'END:VCALENDAR',
  ];
  return lines.map(foldLine).join(CRLF) + CRLF;
}

type MomentEntry = Extract<CalendarEntry, { kind: 'moment' }>;
type DaysEntry = Extract<CalendarEntry, { kind: 'days' }>;

function momentEvent(entry: MomentEntry, stamp: string): string[] {
  const start = parseInstant(entry.at, `${entrySubject(entry.uid)}: at`);
  return [
    'BEGIN:VEVENT',
    ...identity(entry.uid, stamp),
    `DTSTART:${basicUtc(start)}`,
    `DTEND:${basicUtc(new Date(start.getTime() + MOMENT_BLOCK_MS))}`,
    ...describedBy(entry),
    // A deadline seen only on the day is often a deadline missed.
    'BEGIN:VALARM',
    'ACTION:DISPLAY',
    'TRIGGER:-P1D',
    `DESCRIPTION:${escapeText(entry.summary)}`,
    'END:VALARM',
    'END:VEVENT',
  ];
}

function daysEvent(entry: DaysEntry, stamp: string): string[] {
  const subject = entrySubject(entry.uid);
  const start = parseDate(entry.startDate, `${subject}: startDate`);
  const end = parseDate(entry.endDate, `${subject}: endDate`);
  if (end.getTime() < start.getTime()) throw new Error(`${subject}: endDate ${entry.endDate} is before startDate ${entry.startDate}`);
  return [
    'BEGIN:VEVENT',
    ...identity(entry.uid, stamp),
    `DTSTART;VALUE=DATE:${basicDate(start)}`,
    // DTEND is exclusive (RFC 5545 §3.6.1): ending on the last day itself would drop that day from the event.
    `DTEND;VALUE=DATE:${basicDate(new Date(end.getTime() + DAY_MS))}`,
    ...describedBy(entry),
    ...optionalText('LOCATION', entry.location),
    // A week-long workshop on someone's calendar is information, not time they are busy for scheduling assistants.
    'TRANSP:TRANSPARENT',
    // Kept in the feed rather than dropped: clients then show the event struck through instead of silently removing it.
    `STATUS:${entry.cancelled ? 'CANCELLED' : 'CONFIRMED'}`,
    'END:VEVENT',
  ];
}

function identity(uid: string, stamp: string): string[] {
  return [`UID:${withoutControlCharacters(uid)}`, `DTSTAMP:${stamp}`];
}

function describedBy(entry: CalendarEntry): string[] {
  return [`SUMMARY:${escapeText(entry.summary)}`, ...optionalText('DESCRIPTION', entry.description), ...optionalUri('URL', entry.url)];
}

const entrySubject = (uid: string) => `Calendar entry ${JSON.stringify(uid)}`;

function optionalText(name: string, value: string | null | undefined): string[] {
  return value ? [`${name}:${escapeText(value)}`] : [];
}

function optionalUri(name: string, value: string | null | undefined): string[] {
  const uri = value ? withoutControlCharacters(value) : '';
  return uri ? [`${name}:${uri}`] : [];
}

// Control characters have no escape in iCalendar and make some clients reject the whole feed, so they are dropped.
// Newlines are kept out of this set: in text they carry meaning and are escaped instead.
const CONTROL_CHARACTERS_BUT_NEWLINES = /[\u0000-\u0009\u000B\u000C\u000E-\u001F\u007F]/g;
const CONTROL_CHARACTERS = /[\u0000-\u001F\u007F]/g;

/** RFC 5545 §3.3.11. Backslashes first, so that the backslashes the other escapes add are not doubled. */
function escapeText(value: string): string {
  return value
    .replace(CONTROL_CHARACTERS_BUT_NEWLINES, '')
    .replace(/[\\;,]/g, (character) => `\\${character}`)
    .replace(/\r\n|\r|\n/g, '\\n');
}

/** For values that are not text (UID, URL): a line break in them would end the content line and start a forged one. */
function withoutControlCharacters(value: string): string {
  return value.replace(CONTROL_CHARACTERS, '');
}

/** RFC 5545 §3.1. Counted in UTF-8 octets and cut between code points, since a split character is garbage to clients. */
function foldLine(line: string): string {
  const physicalLines: string[] = [];
  let current = '';
  let octets = 0;
  for (const character of line) {
    const size = utf8Length(character.codePointAt(0)!);
    if (octets + size > MAX_LINE_OCTETS) {
      physicalLines.push(current);
      current = ' ';
      octets = 1;
    }
    current += character;
    octets += size;
  }
  physicalLines.push(current);
  return physicalLines.join(CRLF);
}

/** A lone surrogate counts as 3: it is encoded as U+FFFD. */
function utf8Length(codePoint: number): number {
  if (codePoint < 0x80) return 1;
  if (codePoint < 0x800) return 2;
  if (codePoint < 0x10000) return 3;
  return 4;
}

// A time zone is required: without one, Date.parse reads the instant in the server's local time.
const ISO_INSTANT = /^(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function parseInstant(value: string, subject: string): Date {
  const match = ISO_INSTANT.exec(value);
  // Date.parse alone accepts 2027-02-30 (as March 2nd), hence the calendar check of the date part.
  const time = match && isRealDate(match[1]!) ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(time) || !hasFourDigitYear(new Date(time))) {
    throw new Error(`${subject} is not a valid ISO-8601 instant with a time zone, such as 2027-05-10T09:00:00Z: ${JSON.stringify(value)}`);
  }
  return new Date(time);
}

function parseDate(value: string, subject: string): Date {
  if (!ISO_DATE.test(value)) throw new Error(`${subject} is not a date in the form YYYY-MM-DD: ${JSON.stringify(value)}`);
  const date = utcDate(value);
  if (!date) throw new Error(`${subject} is not a real calendar date: ${JSON.stringify(value)}`);
  // The day after 9999-12-31 cannot be written as an exclusive end.
  if (!hasFourDigitYear(new Date(date.getTime() + DAY_MS))) throw new Error(`${subject} is beyond the dates iCalendar can write: ${value}`);
  return date;
}

const isRealDate = (isoDate: string) => utcDate(isoDate) !== null;

/** Whether an all-day entry could start or end on `text`: what `renderCalendar` would take, for callers that filter first. */
export const isCalendarDate = (text: string): boolean => ISO_DATE.test(text) && isRealDate(text);

/** Midnight UTC of that day, or null if the day does not exist (the Date would roll over into the next month). */
function utcDate(isoDate: string): Date | null {
  const [year, month, day] = isoDate.split('-').map(Number) as [number, number, number];
  const date = new Date(0);
  // setUTCFullYear, not Date.UTC: Date.UTC reads years 0–99 as 1900–1999.
  date.setUTCFullYear(year, month - 1, day);
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day ? date : null;
}

const hasFourDigitYear = (date: Date) => date.getUTCFullYear() >= 0 && date.getUTCFullYear() <= 9999;

/** 20270510T090000Z: iCalendar has no extended form, and sub-second precision has no place in it. */
const basicUtc = (instant: Date) => instant.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');

const basicDate = (date: Date) => date.toISOString().slice(0, 10).replace(/-/g, '');
