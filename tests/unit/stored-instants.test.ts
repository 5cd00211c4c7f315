import { describe, expect, it } from 'vitest';
import { instantOfPostgresText, isoOfStored, UnreadableValue } from '../../db/stored-instants';
import { readableRows, reportUnreadableRowsTo, type UnreadableRow } from '../../db/readable-rows';

describe('reading the instants Postgres stores', () => {
  it.each([
    ['2027-03-12 09:00:00+00', '2027-03-12T09:00:00.000Z'],
    // JavaScript's own parsing reads this as 1999: the answer and the record disagreed.
    ['0099-12-26 17:34:20+00', '0099-12-26T17:34:20.000Z'],
    ['0018-12-26 17:34:20.5+05:30', '0018-12-26T12:04:20.500Z'],
    ['2027-03-12 09:00:00.123456-03', '2027-03-12T12:00:00.123Z'],
    // Local mean time offsets of old dates, to the second, in sessions of another time zone.
    ['1900-01-01 00:00:00+00:09:21', '1899-12-31T23:50:39.000Z'],
    ['2027-03-12T09:00:00Z', '2027-03-12T09:00:00.000Z'],
  ])('%s is %s', (stored, iso) => {
    expect(isoOfStored(stored)).toBe(iso);
  });

  it.each(['0018-01-01 00:00:00+00 BC', '275760-09-13 00:00:00+00', '10000-01-01 00:00:00+00', 'infinity', '-infinity', '', 'yesterday'])(
    '%s is unreadable, as a value and not a crash',
    (stored) => {
      expect(() => isoOfStored(stored)).toThrow(UnreadableValue);
    },
  );

  it('reads the years before Christ as the proleptic calendar counts them', () => {
    expect(instantOfPostgresText('0001-01-01 00:00:00+00 BC')?.getUTCFullYear()).toBe(0);
  });

  it('a list leaves out and reports the rows it cannot show, and shows the rest', () => {
    const reported: UnreadableRow[] = [];
    reportUnreadableRowsTo((row) => reported.push(row));
    const rows = [{ id: 'a', at: '2027-03-12 09:00:00+00' }, { id: 'b', at: 'infinity' }, { id: 'c', at: '0099-12-26 17:34:20+00' }];
    const shown = readableRows('meetings', rows, (row) => row.id, (row) => ({ id: row.id, at: isoOfStored(row.at) }));
    expect(shown.map((row) => row.id)).toEqual(['a', 'c']);
    expect(reported).toEqual([{ table: 'meetings', id: 'b', problem: expect.stringContaining('infinity') }]);
  });

  it('a bug in a row mapping is not taken for an unreadable row', () => {
    expect(() => readableRows('t', [{ id: 'a' }], (row) => row.id, () => { throw new TypeError('a bug'); })).toThrow(TypeError);
  });
});
