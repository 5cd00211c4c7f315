import { describe, expect, it } from 'vitest';
import { extendClock, pauseClock, resumeClock, startClock, startInformationClock, startScreeningClock } from '../../workflows/clocks';
import type { Clock, RequestPolicy } from '../../workflows/request-model';

// 2025-01-06 is a Monday. Periods count working days; reminder leads and pauses are elapsed time.
const MONDAY = '2025-01-06T09:00:00.000Z';

/** The screening clock of a request submitted on MONDAY under P10D with a three-day reminder. */
const SCREENING: Clock = {
  deadline: '2025-01-20T09:00:00.000Z',
  remindAt: '2025-01-17T09:00:00.000Z',
  reminded: false,
  expired: false,
  pausedAt: null,
  extensions: [],
};

const POLICY: RequestPolicy = {
  reviewPeriod: 'P14D',
  screeningPeriod: 'P10D',
  screeningReminderLead: 'P3D',
  informationPeriod: 'P5D',
  informationReminderLead: 'P1D',
};

describe('startClock', () => {
  it('puts the deadline a number of working days later and the reminder a lead time before it', () => {
    expect(startClock(MONDAY, 'P10D', 'P3D')).toEqual(SCREENING);
  });

  it('without a lead there is no reminder', () => {
    expect(startClock(MONDAY, 'P10D', undefined)).toEqual({ ...SCREENING, remindAt: null });
  });

  it('without a period there is no clock', () => {
    expect(startClock(MONDAY, undefined, 'P3D')).toBeNull();
  });

  it('a lead longer than the period reminds at once, never before the clock started', () => {
    // Friday + 1 working day = Monday; five days before that would be before Friday.
    expect(startClock('2025-01-10T09:00:00.000Z', 'P1D', 'P5D')).toMatchObject({
      deadline: '2025-01-13T09:00:00.000Z',
      remindAt: '2025-01-10T09:00:00.000Z',
    });
  });

  it('screening and information clocks read their own fields of the policy', () => {
    expect(startScreeningClock(MONDAY, POLICY)).toEqual(SCREENING);
    // Wednesday + 5 working days = next Wednesday; reminder one day before.
    expect(startInformationClock('2025-01-08T10:00:00.000Z', POLICY)).toEqual({
      deadline: '2025-01-15T10:00:00.000Z',
      remindAt: '2025-01-14T10:00:00.000Z',
      reminded: false,
      expired: false,
      pausedAt: null,
      extensions: [],
    });
    expect(startScreeningClock(MONDAY, undefined)).toBeNull();
    expect(startInformationClock(MONDAY, { reviewPeriod: 'P14D' })).toBeNull();
  });
});

describe('pauseClock and resumeClock', () => {
  it('pausing records when, and changes nothing else', () => {
    expect(pauseClock(SCREENING, '2025-01-08T10:00:00.000Z')).toEqual({ ...SCREENING, pausedAt: '2025-01-08T10:00:00.000Z' });
    expect(pauseClock(null, '2025-01-08T10:00:00.000Z')).toBeNull();
    expect(pauseClock(undefined, '2025-01-08T10:00:00.000Z')).toBeNull();
  });

  it('resuming moves the deadline and the pending reminder later by exactly the time paused', () => {
    // Paused Wednesday 10:00 to Friday 15:30: 2 days 5 h 30 min.
    const paused = pauseClock(SCREENING, '2025-01-08T10:00:00.000Z');
    expect(resumeClock(paused, '2025-01-10T15:30:00.000Z')).toEqual({
      ...SCREENING,
      deadline: '2025-01-22T14:30:00.000Z',
      remindAt: '2025-01-19T14:30:00.000Z',
      pausedAt: null,
    });
  });

  it('a reminder already sent is not moved; the deadline is', () => {
    const paused = pauseClock({ ...SCREENING, reminded: true }, '2025-01-17T10:00:00.000Z');
    expect(resumeClock(paused, '2025-01-20T10:00:00.000Z')).toEqual({
      ...SCREENING,
      reminded: true,
      deadline: '2025-01-23T09:00:00.000Z',
      pausedAt: null,
    });
  });

  it('a clock without a reminder stays without one', () => {
    const paused = pauseClock({ ...SCREENING, remindAt: null }, '2025-01-08T10:00:00.000Z');
    expect(resumeClock(paused, '2025-01-08T11:00:00.000Z')).toEqual({
      ...SCREENING,
      remindAt: null,
      deadline: '2025-01-20T10:00:00.000Z',
      pausedAt: null,
    });
  });

  it('resuming a clock that is not paused leaves it as it is', () => {
    expect(resumeClock(SCREENING, '2025-01-10T15:30:00.000Z')).toBe(SCREENING);
    expect(resumeClock(null, '2025-01-10T15:30:00.000Z')).toBeNull();
    expect(resumeClock(undefined, '2025-01-10T15:30:00.000Z')).toBeNull();
  });

  it('two pauses add up', () => {
    let clock = resumeClock(pauseClock(SCREENING, '2025-01-08T10:00:00.000Z'), '2025-01-09T10:00:00.000Z'); // 1 day
    clock = resumeClock(pauseClock(clock, '2025-01-13T09:00:00.000Z'), '2025-01-13T21:00:00.000Z'); // 12 hours
    expect(clock).toMatchObject({ deadline: '2025-01-21T21:00:00.000Z', remindAt: '2025-01-18T21:00:00.000Z', pausedAt: null });
  });
});

describe('extendClock', () => {
  const extension = {
    by: { userId: 'u-sec', name: 'Sofia Rossi', role: 'secretariat' as const },
    at: '2025-01-14T12:00:00.000Z',
    deadline: '2025-01-22T10:00:00.000Z',
    reason: 'Elections in Senegal.',
  };

  it('moves the deadline, re-arms the reminder a lead before it and records the extension', () => {
    const reminded: Clock = { ...SCREENING, reminded: true };
    expect(extendClock(reminded, '2025-01-22T10:00:00.000Z', 'P1D', extension)).toEqual({
      deadline: '2025-01-22T10:00:00.000Z',
      remindAt: '2025-01-21T10:00:00.000Z',
      reminded: false,
      expired: false,
      pausedAt: null,
      extensions: [extension],
    });
  });

  it('without a lead there is no reminder; earlier extensions are kept', () => {
    const once = extendClock(SCREENING, '2025-01-22T10:00:00.000Z', undefined, extension);
    const second = { ...extension, at: '2025-01-21T08:00:00.000Z', deadline: '2025-01-29T10:00:00.000Z', reason: 'Still waiting.' };
    expect(extendClock(once, '2025-01-29T10:00:00.000Z', undefined, second)).toEqual({
      ...SCREENING,
      deadline: '2025-01-29T10:00:00.000Z',
      remindAt: null,
      extensions: [extension, second],
    });
  });

  it('a reminder that would fall before the extension is granted is due at once', () => {
    expect(extendClock(SCREENING, '2025-01-14T18:00:00.000Z', 'P1D', extension).remindAt).toBe('2025-01-14T12:00:00.000Z');
  });
});
