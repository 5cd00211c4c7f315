/** What extending the partner's deadline (extend-information-deadline.ts) and the review's (extend-review.ts) share. */
import type { Refusal } from '../rules/refusal';

/** `current`: the deadline now, if there is one. `new Date()` is the workflow's deterministic clock in a validator. */
export function extensionRefusal(current: string | undefined, until: string): Refusal | null {
  if (current && until <= current) {
    return { kind: 'invalid', field: 'until', key: 'error.extensionNotLater', values: { current } };
  }
  if (until <= new Date().toISOString()) {
    return { kind: 'invalid', field: 'until', key: 'error.deadlineInPast' };
  }
  return null;
}
