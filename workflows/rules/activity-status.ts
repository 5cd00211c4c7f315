import type { ActivityStatus, RequestState } from '../request-model';
import type { UpdateActivityStep } from '../steps/update-activity';
import { anyOf, commaList } from '../../i18n/localized';
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
    return { kind: 'not_found', field: 'activityId', key: 'error.noSuchActivity', values: { activityId: step.activityId } };
  }
  const unmet = (state.conditions ?? []).filter((c) => c.met === null);
  const conditionsOpen = (): Refusal => ({
    kind: 'conflict',
    key: 'error.conditionsOpen',
    values: { open: commaList(unmet.map((c) => `'${c.text}'`)) },
  });
  const named = { title: activity.title, status: { key: `activityStatus.${activity.status}` } } as const;
  if (options.activityRulesNotApplied || step.status === 'done') {
    // The rule before the lifecycle: planned activities became done or cancelled, nothing else.
    if (activity.status !== 'planned') {
      return { kind: 'conflict', key: 'error.activityNotPlanned', values: named };
    }
    if (step.status !== 'done' && step.status !== 'cancelled') {
      return { kind: 'invalid', field: 'status', key: 'error.legacyActivityStatus' };
    }
    if (step.status === 'done' && unmet.length > 0 && !options.proceduresNotApplied) return conditionsOpen();
    return null;
  }
  if (!NEXT_STATUSES[activity.status].includes(step.status)) {
    const next = NEXT_STATUSES[activity.status];
    return next.length
      ? { kind: 'conflict', key: 'error.activityMayBecome', values: { ...named, next: anyOf(next.map((status) => ({ key: `activityStatus.${status}` as const }))) } }
      : { kind: 'conflict', key: 'error.activityFinal', values: named };
  }
  switch (step.status) {
    case 'confirmed':
      return unmet.length > 0 ? conditionsOpen() : null;
    case 'postponed':
      if (!step.startDate || !step.endDate) return { kind: 'invalid', field: 'startDate', key: 'error.postponedNeedsDates' };
      if (step.endDate < step.startDate) return { kind: 'invalid', field: 'endDate', key: 'error.endBeforeStart' };
      return step.reason ? null : { kind: 'invalid', field: 'reason', key: 'error.postponeReason' };
    case 'cancelled':
      return step.reason ? null : { kind: 'invalid', field: 'reason', key: 'error.cancelReason' };
    case 'held': {
      const p = step.participants;
      if (!p) return { kind: 'invalid', field: 'participants', key: 'error.heldParticipants' };
      if (p.women + p.men > p.total) {
        return { kind: 'invalid', field: 'participants', key: 'error.participantsOverTotal', values: { women: p.women, men: p.men, total: p.total } };
      }
      return step.spentEur === undefined ? { kind: 'invalid', field: 'spentEur', key: 'error.heldSpent' } : null;
    }
  }
}
