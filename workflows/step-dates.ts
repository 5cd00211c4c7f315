import { DATABASE_DATE_BOUNDS, isDateWithin, isInstantWithin } from './date-bounds';
import type { LocalizedMessage } from '../i18n/localized';
import type { Step } from './request-steps';

/** A step's dates outside what a person can mean (date-bounds.ts): refused before anything is stored. */
export function dateOutOfBounds(step: Step): (LocalizedMessage & { field: string }) | null {
  const days: [string, string | undefined][] = [];
  const instants: [string, string][] = [];
  switch (step.action) {
    case 'plan_activity':
    case 'update_activity':
      days.push(['startDate', step.startDate], ['endDate', step.endDate]);
      break;
    case 'extend_information_deadline':
    case 'extend_review':
      instants.push(['until', step.until]);
      break;
    default:
      return null;
  }
  for (const [field, value] of days) {
    // A missing or empty date is the step's own rule to word ("a postponed activity needs its new dates").
    if (value && !isDateWithin(value)) return { field, key: 'error.dayOutOfBounds', values: { field, ...DATABASE_DATE_BOUNDS, value } };
  }
  for (const [field, value] of instants) {
    if (!isInstantWithin(value)) return { field, key: 'error.instantOutOfBounds', values: { field, ...DATABASE_DATE_BOUNDS, value } };
  }
  return null;
}
