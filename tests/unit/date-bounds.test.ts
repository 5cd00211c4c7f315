import { describe, expect, it } from 'vitest';
import { isDateWithin, isInstantWithin } from '../../workflows/date-bounds';
import { dateOutOfBounds } from '../../workflows/step-dates';
import { inEnglish } from './refusals-in-english';

describe('the dates a person can mean', () => {
  it.each([
    ['2006-01-01', true],
    ['2100-12-31', true],
    ['2005-12-31', false],
    ['2101-01-01', false],
    ['0018-12-26', false],
    ['2027-02-29', false],
    ['2028-02-29', true],
    ['2027-13-01', false],
    ['27-03-12', false],
  ])('the day %s: %s', (day, within) => {
    expect(isDateWithin(day)).toBe(within);
  });

  it.each([
    ['2006-01-01T00:00:00Z', true],
    ['2005-12-31T23:59:59.999Z', false],
    ['2006-01-01T00:30:00+01:00', false],
    ['2100-12-31T23:59:59.999Z', true],
    ['2100-12-31T23:30:00-01:00', false],
    ['0099-12-26T17:34:20Z', false],
    ['not a date', false],
  ])('the instant %s: %s', (instant, within) => {
    expect(isInstantWithin(instant)).toBe(within);
  });

  it('a deployment’s horizon narrows the bounds', () => {
    expect(isDateWithin('2040-01-01', { earliest: '2006-01-01', latest: '2035-12-31' })).toBe(false);
    expect(isInstantWithin('2035-12-31T23:00:00Z', { earliest: '2006-01-01', latest: '2035-12-31' })).toBe(true);
  });

  it('the workflow refuses a step whose dates fall outside, naming the field', () => {
    expect(dateOutOfBounds({ action: 'extend_review', until: '0018-12-26T00:00:00Z', reason: 'x' })).toMatchObject({ field: 'until' });
    expect(
      inEnglish(dateOutOfBounds({ action: 'plan_activity', type: 'training', title: 't', startDate: '2027-01-01', endDate: '2999-01-01', location: 'Dakar', budgetEur: 1 })),
    ).toMatchObject({ field: 'endDate', message: 'endDate must be a day between 2006-01-01 and 2100-12-31 (YYYY-MM-DD); got 2999-01-01.' });
    expect(dateOutOfBounds({ action: 'plan_activity', type: 'training', title: 't', startDate: '2027-01-01', endDate: '2027-01-02', location: 'Dakar', budgetEur: 1 })).toBeNull();
  });
});
