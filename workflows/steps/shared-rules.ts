/** What the rules of several steps share: the Chair's office, and the phases named as a group. */
import { PHASES, TERMINAL_PHASES, type Actor, type Phase, type RequestState } from '../request-model';
import type { Refusal, RuleOptions } from '../rules/refusal';

/**
 * Authority belongs to the office for its term, not to the person: a chair decides only while a term covers
 * the moment. `new Date()` is the workflow's own deterministic clock when this runs in a validator.
 */
export function holdsChairOffice(_state: RequestState, actor: Actor, options: RuleOptions): Refusal | null {
  if (options.chairTermNotRequired) return null;
  const term = actor.chairTerm;
  const now = new Date().toISOString();
  if (!term) {
    return { kind: 'forbidden', key: 'error.noChairTerm' };
  }
  if (now < term.startsAt) {
    return { kind: 'forbidden', key: 'error.chairTermNotStarted', values: { startsAt: term.startsAt } };
  }
  if (now >= term.endsAt) {
    return { kind: 'forbidden', key: 'error.chairTermEnded', values: { endsAt: term.endsAt } };
  }
  return null;
}

export const BEFORE_IMPLEMENTATION: readonly Phase[] = [
  'screening',
  'awaiting_information',
  'review',
  'approval',
  'revision_requested',
];

export const IN_PROGRESS: readonly Phase[] = PHASES.filter((phase) => !TERMINAL_PHASES.includes(phase));
