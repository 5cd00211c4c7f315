import { describe, expect, it } from 'vitest';
import { type CalendarEntry, renderCalendar } from '../../api/calendar/ics';

// A reader just good enough for what renderCalendar writes: unfold (RFC 5545 §3.1), then split each content line into
// name, parameters and value, and nest the BEGIN/END components. Tests check properties through it rather than
// comparing whole documents, so that they say which rule broke.

interface Property {
  name: string;
  params: string[];
  value: string;
}

interface Component {
  name: string;
  properties: Property[];
  components: Component[];
}

const unfold = (ics: string) => ics.replace(/\r\n /g, '');

const physicalLines = (ics: string) => ics.slice(0, -2).split('\r\n');

function parseLine(line: string): Property {
  const colon = line.indexOf(':');
  const [name, ...params] = line.slice(0, colon).split(';');
  return { name: name!, params, value: line.slice(colon + 1) };
}

function parseCalendar(ics: string): Component {
  const root: Component = { name: '', properties: [], components: [] };
  const open = [root];
  for (const line of unfold(ics).slice(0, -2).split('\r\n')) {
    const property = parseLine(line);
    const current = open.at(-1)!;
    if (property.name === 'BEGIN') {
      const child: Component = { name: property.value, properties: [], components: [] };
      current.components.push(child);
      open.push(child);
    } else if (property.name === 'END') {
      expect(current.name).toBe(property.value);
      open.pop();
    } else {
      current.properties.push(property);
    }
  }
  expect(open).toHaveLength(1);
  expect(root.components).toHaveLength(1);
  return root.components[0]!;
}

const property = (component: Component, name: string) => component.properties.find((candidate) => candidate.name === name);
const value = (component: Component, name: string) => property(component, name)?.value;
const events = (ics: string) => parseCalendar(ics).components.filter((component) => component.name === 'VEVENT');

/** The inverse of RFC 5545 §3.3.11 text escaping. */
const unescapeText = (text: string) => text.replace(/\\([\\;,nN])/g, (_, escaped: string) => (escaped.toLowerCase() === 'n' ? '\n' : escaped));

const octets = (text: string) => Buffer.byteLength(text, 'utf8');

const generatedAt = '2027-05-01T08:15:30.123Z';

const render = (entries: CalendarEntry[], extra: { name?: string; description?: string | null } = {}) =>
  renderCalendar({ name: 'Capacity-building requests', generatedAt, entries, ...extra });

const moment = (fields: Partial<Extract<CalendarEntry, { kind: 'moment' }>> = {}): CalendarEntry => ({
  kind: 'moment',
  uid: 'request-17-deadline@rabat.example.org',
  at: '2027-05-10T09:00:00.000Z',
  summary: 'Report due',
  ...fields,
});

const days = (fields: Partial<Extract<CalendarEntry, { kind: 'days' }>> = {}): CalendarEntry => ({
  kind: 'days',
  uid: 'request-17-workshop@rabat.example.org',
  startDate: '2027-05-10',
  endDate: '2027-05-12',
  summary: 'Workshop',
  ...fields,
});

const onlyEvent = (ics: string) => {
  const [event, ...others] = events(ics);
  expect(others).toHaveLength(0);
  return event!;
};

describe('the calendar', () => {
  it('starts with the properties subscribing clients need, in order, and ends with END:VCALENDAR', () => {
    const lines = physicalLines(render([], { name: 'Rabat Process', description: 'Deadlines and workshops' }));
    expect(lines).toEqual([
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//Capacity-building requests//Calendar feed//EN',
      'CALSCALE:GREGORIAN',
      'METHOD:PUBLISH',
      'X-WR-CALNAME:Rabat Process',
      'NAME:Rabat Process',
      'X-WR-CALDESC:Deadlines and workshops',
      'DESCRIPTION:Deadlines and workshops',
      'REFRESH-INTERVAL;VALUE=DURATION:PT1H',
      'X-PUBLISHED-TTL:PT1H',
      'END:VCALENDAR',
    ]);
  });

  it('has no description lines when no description is given', () => {
    for (const description of [undefined, null, '']) {
      const calendar = parseCalendar(render([], { description }));
      expect(property(calendar, 'X-WR-CALDESC')).toBeUndefined();
      expect(property(calendar, 'DESCRIPTION')).toBeUndefined();
    }
  });

  it('has one VEVENT per entry, in the order given', () => {
    const ics = render([moment({ uid: 'a' }), days({ uid: 'b' }), moment({ uid: 'c' })]);
    expect(events(ics).map((event) => value(event, 'UID'))).toEqual(['a', 'b', 'c']);
  });

  it('separates every line with CRLF, ends with CRLF, and has no bare CR or LF even when values contain them', () => {
    const ics = render([moment({ summary: 'a\nb\rc\r\nd', description: 'x\n'.repeat(60), url: 'https://example.org/\r\nX-EVIL:1' })], {
      name: 'one\ntwo',
      description: 'three\rfour',
    });
    expect(ics.endsWith('\r\n')).toBe(true);
    expect(ics.endsWith('\r\n\r\n')).toBe(false);
    expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    expect(ics.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\n')).toBe(true);
    expect(unfold(ics).endsWith('END:VEVENT\r\nEND:VCALENDAR\r\n')).toBe(true);
  });

  it('stamps every event with generatedAt in the basic UTC form, without fractions of a second', () => {
    const ics = render([moment(), days()]);
    for (const event of events(ics)) {
      expect(value(event, 'DTSTAMP')).toBe('20270501T081530Z');
      expect(value(event, 'DTSTAMP')).toMatch(/^\d{8}T\d{6}Z$/);
    }
  });

  it('writes generatedAt given with an offset in UTC', () => {
    const ics = renderCalendar({ name: 'n', generatedAt: '2027-05-01T01:30:00+02:00', entries: [moment()] });
    expect(value(onlyEvent(ics), 'DTSTAMP')).toBe('20270430T233000Z');
  });
});

describe('text values', () => {
  it('escape backslashes, semicolons and commas', () => {
    const event = onlyEvent(render([days({ summary: 'Rabat, Morocco; phase 1\\2', location: 'Room A; floor 2, east', description: 'C:\\docs' })]));
    expect(value(event, 'SUMMARY')).toBe('Rabat\\, Morocco\\; phase 1\\\\2');
    expect(value(event, 'LOCATION')).toBe('Room A\\; floor 2\\, east');
    expect(value(event, 'DESCRIPTION')).toBe('C:\\\\docs');
    expect(unescapeText(value(event, 'SUMMARY')!)).toBe('Rabat, Morocco; phase 1\\2');
  });

  it('leave colons as they are: they are legal in text', () => {
    expect(value(onlyEvent(render([moment({ summary: 'Deadline: report' })])), 'SUMMARY')).toBe('Deadline: report');
  });

  it('turn every kind of line break into \\n', () => {
    const event = onlyEvent(render([moment({ description: 'CRLF\r\nCR\rLF\nend\n\n' })]));
    expect(value(event, 'DESCRIPTION')).toBe('CRLF\\nCR\\nLF\\nend\\n\\n');
  });

  it('do not double the backslash of an escaped line break, nor read a literal "\\n" as a line break', () => {
    const event = onlyEvent(render([moment({ summary: 'a\\nb\nc' })]));
    expect(value(event, 'SUMMARY')).toBe('a\\\\nb\\nc');
    expect(unescapeText(value(event, 'SUMMARY')!)).toBe('a\\nb\nc');
  });

  it('drop control characters other than line breaks', () => {
    const controls = '\u0000\u0001\u0007\u0008\u0009\u000B\u000C\u001B\u001F\u007F';
    const event = onlyEvent(render([days({ summary: `a${controls}b`, description: `c${controls}\nd`, location: `e${controls}f` })]));
    expect(value(event, 'SUMMARY')).toBe('ab');
    expect(value(event, 'DESCRIPTION')).toBe('c\\nd');
    expect(value(event, 'LOCATION')).toBe('ef');
  });

  it('include the calendar name and description, escaped', () => {
    const calendar = parseCalendar(render([], { name: 'Rabat, 2027; all\\requests', description: 'one\ntwo' }));
    for (const name of ['X-WR-CALNAME', 'NAME']) expect(value(calendar, name)).toBe('Rabat\\, 2027\\; all\\\\requests');
    for (const name of ['X-WR-CALDESC', 'DESCRIPTION']) expect(value(calendar, name)).toBe('one\\ntwo');
  });

  it('keep non-ASCII text as it is', () => {
    const event = onlyEvent(render([days({ summary: 'Atelier à Rabat — 10 000 € 😀', location: 'الرباط' })]));
    expect(value(event, 'SUMMARY')).toBe('Atelier à Rabat — 10 000 € 😀');
    expect(value(event, 'LOCATION')).toBe('الرباط');
  });
});

describe('UID and URL', () => {
  it('are not text-escaped', () => {
    const event = onlyEvent(render([moment({ uid: 'a,b;c@x', url: 'https://example.org/requests?id=1,2;x=\\y' })]));
    expect(value(event, 'UID')).toBe('a,b;c@x');
    expect(value(event, 'URL')).toBe('https://example.org/requests?id=1,2;x=\\y');
  });

  it('lose their line breaks, so they cannot add properties of their own', () => {
    const ics = render([moment({ uid: 'u1\r\nSTATUS:CANCELLED', url: 'https://example.org/\nX-EVIL:1\r' })]);
    const event = onlyEvent(ics);
    expect(value(event, 'UID')).toBe('u1STATUS:CANCELLED');
    expect(value(event, 'URL')).toBe('https://example.org/X-EVIL:1');
    expect(property(event, 'STATUS')).toBeUndefined();
    expect(property(event, 'X-EVIL')).toBeUndefined();
  });

  it('URL, DESCRIPTION and LOCATION are left out when absent or empty', () => {
    for (const missing of [undefined, null, '']) {
      const event = onlyEvent(render([days({ description: missing, location: missing, url: missing })]));
      for (const name of ['DESCRIPTION', 'LOCATION', 'URL']) expect(property(event, name)).toBeUndefined();
    }
  });
});

describe('folding', () => {
  const everyLineFits = (ics: string) => {
    const lines = physicalLines(ics);
    for (const line of lines) expect(octets(line)).toBeLessThanOrEqual(75);
    return lines;
  };

  it('folds a long ASCII line at 75 octets, continuation lines starting with one space', () => {
    const summary = 'x'.repeat(200);
    const ics = render([moment({ summary })]);
    const lines = everyLineFits(ics);
    const start = lines.findIndex((line) => line.startsWith('SUMMARY:'));
    expect(lines.slice(start, start + 3)).toEqual([`SUMMARY:${'x'.repeat(67)}`, ` ${'x'.repeat(74)}`, ` ${'x'.repeat(59)}`]);
    expect(lines[start + 3]).toBe('BEGIN:VALARM');
    expect(value(onlyEvent(ics), 'SUMMARY')).toBe(summary);
  });

  it('does not fold a line of exactly 75 octets, and folds one of 76', () => {
    const summaryLines = (summary: string) => {
      const lines = physicalLines(render([days({ summary })]));
      const start = lines.findIndex((line) => line.startsWith('SUMMARY:'));
      return lines.slice(start, start + 2);
    };
    const exactly = 'y'.repeat(75 - 'SUMMARY:'.length);
    expect(summaryLines(exactly)).toEqual([`SUMMARY:${exactly}`, expect.not.stringMatching(/^ /)]);
    expect(summaryLines(`${exactly}y`)).toEqual([`SUMMARY:${exactly}`, ' y']);
  });

  // Every alignment of 2-, 3- and 4-octet characters against the fold boundary: a split character would show up as a
  // lone surrogate in the string, or as an invalid UTF-8 sequence in the bytes.
  it.each([0, 1, 2, 3])('never splits a multi-byte character (%i ASCII characters before them)', (padding) => {
    const summary = `${'a'.repeat(padding)}${'é€😀 ✓ 𝄞 Ωç'.repeat(30)}`;
    const ics = render([moment({ summary, description: summary })]);
    const lines = everyLineFits(ics);
    expect(lines.filter((line) => line.startsWith(' ')).length).toBeGreaterThan(10);
    for (const line of lines) {
      // A lone surrogate does not survive the round trip through UTF-8: it becomes U+FFFD.
      expect(Buffer.from(line, 'utf8').toString('utf8')).toBe(line);
    }
    const event = onlyEvent(ics);
    expect(value(event, 'SUMMARY')).toBe(summary);
    expect(value(event, 'DESCRIPTION')).toBe(summary);
    expect(value(event.components[0]!, 'DESCRIPTION')).toBe(summary);
  });

  it('unfolds to exactly the escaped original, even when a fold falls inside an escape sequence', () => {
    const summary = `${'z'.repeat(66)}\\,;\n${'w'.repeat(100)}`;
    const ics = render([moment({ summary })]);
    everyLineFits(ics);
    expect(unescapeText(value(onlyEvent(ics), 'SUMMARY')!)).toBe(summary);
  });

  it('folds the calendar name and long URLs too', () => {
    const name = 'Demandes de renforcement des capacités — Processus de Rabat — '.repeat(3);
    const url = `https://example.org/requests/${'9'.repeat(120)}`;
    const ics = render([moment({ url })], { name });
    everyLineFits(ics);
    const calendar = parseCalendar(ics);
    expect(value(calendar, 'X-WR-CALNAME')).toBe(name);
    expect(value(calendar.components[0]!, 'URL')).toBe(url);
  });
});

describe('all-day entries', () => {
  it.each([
    ['several days', '2027-05-10', '2027-05-12', '20270510', '20270513'],
    ['a single day', '2027-05-10', '2027-05-10', '20270510', '20270511'],
    ['the end of a 30-day month', '2027-04-28', '2027-04-30', '20270428', '20270501'],
    ['the end of a 31-day month', '2027-05-30', '2027-05-31', '20270530', '20270601'],
    ['the end of the year', '2027-12-30', '2027-12-31', '20271230', '20280101'],
    ['February 28 in a common year', '2027-02-27', '2027-02-28', '20270227', '20270301'],
    ['February 28 in a leap year', '2028-02-27', '2028-02-28', '20280227', '20280229'],
    ['February 29 in a leap year', '2028-02-29', '2028-02-29', '20280229', '20280301'],
    ['February 28 in 2100 (not a leap year)', '2100-02-28', '2100-02-28', '21000228', '21000301'],
    ['February 28 in 2000 (a leap year)', '2000-02-28', '2000-02-28', '20000228', '20000229'],
  ])('end the day after their last day (DTEND is exclusive): %s', (_, startDate, endDate, dtstart, dtend) => {
    const event = onlyEvent(render([days({ startDate, endDate })]));
    expect(property(event, 'DTSTART')).toEqual({ name: 'DTSTART', params: ['VALUE=DATE'], value: dtstart });
    expect(property(event, 'DTEND')).toEqual({ name: 'DTEND', params: ['VALUE=DATE'], value: dtend });
  });

  it('are transparent, confirmed unless cancelled, and have no alarm', () => {
    const event = onlyEvent(render([days({ location: 'Rabat', url: 'https://example.org/requests/17' })]));
    expect(value(event, 'TRANSP')).toBe('TRANSPARENT');
    expect(value(event, 'STATUS')).toBe('CONFIRMED');
    expect(value(event, 'LOCATION')).toBe('Rabat');
    expect(value(event, 'URL')).toBe('https://example.org/requests/17');
    expect(event.components).toHaveLength(0);
    expect(value(onlyEvent(render([days({ cancelled: false })])), 'STATUS')).toBe('CONFIRMED');
  });

  it('are marked CANCELLED when cancelled, and stay in the feed', () => {
    const event = onlyEvent(render([days({ cancelled: true })]));
    expect(value(event, 'STATUS')).toBe('CANCELLED');
    expect(value(event, 'UID')).toBe('request-17-workshop@rabat.example.org');
  });
});

describe('moments', () => {
  it('are a 30-minute block starting at the instant, in basic UTC form', () => {
    const event = onlyEvent(render([moment({ at: '2027-05-10T09:00:00.000Z' })]));
    expect(property(event, 'DTSTART')).toEqual({ name: 'DTSTART', params: [], value: '20270510T090000Z' });
    expect(property(event, 'DTEND')).toEqual({ name: 'DTEND', params: [], value: '20270510T093000Z' });
    expect(property(event, 'TRANSP')).toBeUndefined();
    expect(property(event, 'STATUS')).toBeUndefined();
  });

  it.each([
    ['a day, month and year', '2027-12-31T23:45:00Z', '20271231T234500Z', '20280101T001500Z'],
    ['February 29 of a leap year', '2028-02-29T23:59:59.999Z', '20280229T235959Z', '20280301T002959Z'],
    ['an offset, written in UTC', '2027-05-10T11:00:00+02:00', '20270510T090000Z', '20270510T093000Z'],
    ['no seconds', '2027-05-10T09:00Z', '20270510T090000Z', '20270510T093000Z'],
  ])('handle %s', (_, at, dtstart, dtend) => {
    const event = onlyEvent(render([moment({ at })]));
    expect(value(event, 'DTSTART')).toBe(dtstart);
    expect(value(event, 'DTEND')).toBe(dtend);
  });

  it('remind people one day before, with the summary', () => {
    const event = onlyEvent(render([moment({ summary: 'Report due, phase 2', description: 'Send it', url: 'https://example.org/r/17' })]));
    expect(value(event, 'SUMMARY')).toBe('Report due\\, phase 2');
    expect(value(event, 'DESCRIPTION')).toBe('Send it');
    expect(value(event, 'URL')).toBe('https://example.org/r/17');
    expect(event.components).toHaveLength(1);
    const alarm = event.components[0]!;
    expect(alarm.name).toBe('VALARM');
    expect(alarm.properties).toEqual([
      { name: 'ACTION', params: [], value: 'DISPLAY' },
      { name: 'TRIGGER', params: [], value: '-P1D' },
      { name: 'DESCRIPTION', params: [], value: 'Report due\\, phase 2' },
    ]);
  });
});

describe('bad input', () => {
  it.each([
    ['not a date', 'soon'],
    ['a date without a time', '2027-05-10'],
    ['a time without a time zone', '2027-05-10T09:00:00'],
    ['a day that does not exist', '2027-02-30T09:00:00Z'],
    ['February 29 of a common year', '2027-02-29T09:00:00Z'],
    ['an hour that does not exist', '2027-05-10T25:00:00Z'],
    ['a minute that does not exist', '2027-05-10T09:60:00Z'],
    ['a year iCalendar cannot write', '0000-01-01T00:30:00+01:00'],
    ['an empty string', ''],
  ])('rejects a moment at %s, naming the entry', (_, at) => {
    expect(() => render([moment({ uid: 'deadline-42', at })])).toThrow(
      `Calendar entry "deadline-42": at is not a valid ISO-8601 instant with a time zone, such as 2027-05-10T09:00:00Z: ${JSON.stringify(at)}`,
    );
  });

  it.each([
    ['a single-digit month', '2027-5-10'],
    ['another order', '10/05/2027'],
    ['a time', '2027-05-10T00:00:00Z'],
    ['an empty string', ''],
  ])('rejects a date that is %s, naming the entry and the field', (_, date) => {
    expect(() => render([days({ uid: 'workshop-7', startDate: date })])).toThrow(
      `Calendar entry "workshop-7": startDate is not a date in the form YYYY-MM-DD: ${JSON.stringify(date)}`,
    );
    expect(() => render([days({ uid: 'workshop-7', endDate: date })])).toThrow(
      `Calendar entry "workshop-7": endDate is not a date in the form YYYY-MM-DD: ${JSON.stringify(date)}`,
    );
  });

  it.each(['2027-02-30', '2027-02-29', '2100-02-29', '2027-04-31', '2027-13-01', '2027-00-10', '2027-05-00'])(
    'rejects %s, which is not a real date',
    (date) => {
      expect(() => render([days({ uid: 'workshop-7', startDate: date, endDate: '2199-01-01' })])).toThrow(
        `Calendar entry "workshop-7": startDate is not a real calendar date: "${date}"`,
      );
    },
  );

  it('accepts February 29 of a leap year', () => {
    expect(() => render([days({ startDate: '2028-02-29', endDate: '2028-02-29' })])).not.toThrow();
  });

  it('rejects an end before the start, and accepts an end on the start', () => {
    expect(() => render([days({ uid: 'workshop-7', startDate: '2027-05-10', endDate: '2027-05-09' })])).toThrow(
      'Calendar entry "workshop-7": endDate 2027-05-09 is before startDate 2027-05-10',
    );
    expect(() => render([days({ startDate: '2027-05-10', endDate: '2027-05-10' })])).not.toThrow();
  });

  it('rejects a last day whose exclusive end iCalendar cannot write', () => {
    expect(() => render([days({ uid: 'w', startDate: '9999-12-30', endDate: '9999-12-31' })])).toThrow(
      'Calendar entry "w": endDate is beyond the dates iCalendar can write: 9999-12-31',
    );
  });

  it('rejects an invalid generatedAt', () => {
    expect(() => renderCalendar({ name: 'n', generatedAt: 'yesterday', entries: [] })).toThrow(
      'Calendar generatedAt is not a valid ISO-8601 instant with a time zone, such as 2027-05-10T09:00:00Z: "yesterday"',
    );
  });
});
