import type { ActivityStatus, RequestState } from '../request-model';
import type { UpdateActivityStep } from '../steps/update-activity';
import type { Refusal, RuleOptions } from './refusal';

/** An activity's status machine: planned → confirmed → held, or postponed, or cancelled; and what each move needs. */

export const FINAL_ACTIVITY_STATUSES: readonly ActivityStatus[] = ['held', 'cancelled'];

/** Where an activity may go from each status. */
const NEXT_STATUSES: Record<ActivityStatus, readonly ActivityStatus[]> = {
  planned: ['confirmed', 'postponed', 'cancelled'],
  confirmed: ['held', 'postponed', 'cancelled'],
  postponed: ['confirmed', 'postponed', 'cancelled'],
  held: [],
  cancelled: [],
};

export function checkActivityUpdate(state: RequestState, step: UpdateActivityStep, options: RuleOptions): Refusal | null {
  const activity = state.activities.find((a) => a.activityId === step.activityId);
  if (!activity) {
    return { kind: 'not_found', field: 'activityId', message: `This request has no activity ${step.activityId}.` };
  }
  const unmet = (state.conditions ?? []).filter((c) => c.met === null);
  const conditionsOpen = (): Refusal => ({
    kind: 'conflict',
    message: `Implementation starts only once the approval's conditions are met; still open: ${unmet
      .map((c) => `'${c.text}'`)
      .join(', ')}. Mark each as met first.`,
  });
  if (options.activityRulesNotApplied || step.status === 'done') {
    // The rule before the lifecycle: planned activities became done or cancelled, nothing else.
    if (activity.status !== 'planned') {
      return { kind: 'conflict', message: `Activity '${activity.title}' is already ${activity.status}; only planned activities change status.` };
    }
    if (step.status !== 'done' && step.status !== 'cancelled') {
      return { kind: 'invalid', field: 'status', message: 'Before the activity lifecycle an activity became done or cancelled.' };
    }
    if (step.status === 'done' && unmet.length > 0 && !options.proceduresNotApplied) return conditionsOpen();
    return null;
  }
  if (!NEXT_STATUSES[activity.status].includes(step.status)) {
    const next = NEXT_STATUSES[activity.status];
    return {
      kind: 'conflict',
      message: `Activity '${activity.title}' is ${activity.status}; ` + (next.length ? `it can become ${next.join(', ')}.` : 'that is final.'),
    };
  }
  switch (step.status) {
    case 'confirmed':
      return unmet.length > 0 ? conditionsOpen() : null;
    case 'postponed':
      if (!step.startDate || !step.endDate) return { kind: 'invalid', field: 'startDate', message: 'A postponed activity needs its new startDate and endDate.' };
      if (step.endDate < step.startDate) return { kind: 'invalid', field: 'endDate', message: 'endDate must be on or after startDate.' };
      return step.reason ? null : { kind: 'invalid', field: 'reason', message: 'Say why the activity is postponed.' };
    case 'cancelled':
      return step.reason ? null : { kind: 'invalid', field: 'reason', message: 'Say why the activity is cancelled.' };
    case 'held': {
      const p = step.participants;
      if (!p) return { kind: 'invalid', field: 'participants', message: 'A held activity records its participants (total, women, men, institutions).' };
      if (p.women + p.men > p.total) {
        return { kind: 'invalid', field: 'participants', message: `Women (${p.women}) and men (${p.men}) add up to more than the total (${p.total}).` };
      }
      return step.spentEur === undefined ? { kind: 'invalid', field: 'spentEur', message: 'A held activity records what it cost (spentEur).' } : null;
    }
  }
}
