import { boundsInWords, isDateWithin, isInstantWithin } from './date-bounds';
import type { Step } from './request-steps';

/** A step's dates outside what a person can mean (date-bounds.ts): refused before anything is stored. */
export function dateOutOfBounds(step: Step): { field: string; message: string } | null {
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
    if (value && !isDateWithin(value)) return { field, message: `${field} must be a day ${boundsInWords()} (YYYY-MM-DD); got ${value}.` };
  }
  for (const [field, value] of instants) {
    if (!isInstantWithin(value)) return { field, message: `${field} must be a date and time ${boundsInWords()}; got ${value}.` };
  }
  return null;
}
