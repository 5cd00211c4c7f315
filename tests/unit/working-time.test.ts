import { describe, expect, it } from 'vitest';
import { addWorkingTime, leadTimeBefore } from '../../workflows/working-time';

// 2026-11-27 is a Friday.
describe('working days', () => {
  it.each([
    ['2026-11-27T10:00:00.000Z', 'P1D', '2026-11-30T10:00:00.000Z'], // Friday + 1 working day = Monday
    ['2026-11-27T10:00:00.000Z', 'P10D', '2026-12-11T10:00:00.000Z'], // two full weeks
    ['2026-11-28T10:00:00.000Z', 'P1D', '2026-11-30T10:00:00.000Z'], // Saturday + 1 = Monday
    ['2026-11-30T10:00:00.000Z', 'P5D', '2026-12-07T10:00:00.000Z'], // Monday + 5 = next Monday
    ['2026-11-30T10:00:00.000Z', 'P1W', '2026-12-07T10:00:00.000Z'], // a week is five working days
    ['2026-11-27T10:00:00.000Z', 'P1DT2H', '2026-11-30T12:00:00.000Z'],
    ['2026-11-28T10:00:00.000Z', 'PT30S', '2026-11-28T10:00:30.000Z'], // seconds are elapsed, weekend or not
  ])('%s + %s = %s', (start, duration, expected) => {
    expect(addWorkingTime(start, duration)).toBe(expected);
  });

  it('refuses what is not an ISO-8601 duration', () => {
    expect(() => addWorkingTime('2026-11-27T10:00:00.000Z', '10 days')).toThrow(/ISO-8601/);
  });

  it('places a reminder a lead time before the deadline, but never before the clock started', () => {
    expect(leadTimeBefore('2026-12-11T10:00:00.000Z', 'P2D', '2026-11-27T10:00:00.000Z')).toBe('2026-12-09T10:00:00.000Z');
    expect(leadTimeBefore('2026-11-27T10:00:05.000Z', 'PT10S', '2026-11-27T10:00:00.000Z')).toBe('2026-11-27T10:00:00.000Z');
  });
});
