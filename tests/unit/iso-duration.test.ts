import { describe, expect, it } from 'vitest';
import { parseIsoDuration } from '../../workflows/iso-duration';

// Expected values are written out by hand (1 day = 86 400 000 ms, 1 hour = 3 600 000 ms).
describe('parseIsoDuration', () => {
  it.each([
    ['P14D', 1_209_600_000],
    ['PT48H', 172_800_000],
    ['PT30S', 30_000],
    ['PT1.5S', 1_500],
    ['PT15M', 900_000],
    ['P1W', 604_800_000],
    ['P1DT2H', 93_600_000],
    ['P0DT1S', 1_000],
    ['P2W3DT4H5M6S', 1_483_506_000],
  ])('%s is %i ms', (text, ms) => {
    expect(parseIsoDuration(text)).toBe(ms);
  });

  it('rounds fractional seconds to whole milliseconds', () => {
    expect(parseIsoDuration('PT0.0016S')).toBe(2);
  });

  it.each([
    [''],
    ['P'],
    ['PT'],
    ['P1DT'],
    ['P1Y'],
    ['P1M'], // months: their length depends on the calendar
    ['P1Y2M3D'],
    ['14 days'],
    ['-P1D'],
    ['P-1D'],
    ['PT-5S'],
    ['p14d'],
    [' P14D'],
    ['P14D '],
    ['P1.5D'],
    ['PT1.S'],
    ['P1D2W'], // components out of order
    ['garbage'],
  ])('rejects %j with a message naming the accepted ISO-8601 forms', (text) => {
    expect(() => parseIsoDuration(text)).toThrow(
      `'${text}' is not an ISO-8601 duration of weeks, days, hours, minutes or seconds (e.g. P14D, PT48H, PT30S)`,
    );
  });

  it.each([['PT0S'], ['P0D'], ['P0W'], ['PT0.0004S']])('rejects the zero-length duration %s', (text) => {
    expect(() => parseIsoDuration(text)).toThrow(`'${text}' must be longer than zero`);
  });
});
