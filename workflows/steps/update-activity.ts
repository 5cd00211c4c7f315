/** The Secretariat moves an activity on: confirmed, postponed, held or cancelled (rules/activity-status.ts says where to). */
import { currentActivityStatus, type ActivityStatus, type Deliverable, type LegacyActivityStatus, type Participants } from '../request-model';
import { FINAL_ACTIVITY_STATUSES, checkActivityUpdate } from '../rules/activity-status';
import { defineStep } from './step-definition';
import { stamp, transition } from './transition';

export type UpdateActivityStep = {
  action: 'update_activity';
  activityId: string;
  status: Exclude<ActivityStatus, 'planned'> | LegacyActivityStatus;
  /** postponed, cancelled */
  reason?: string | null;
  /** postponed: the new dates */
  startDate?: string;
  endDate?: string;
  /** held */
  participants?: Participants;
  deliverables?: Deliverable[];
  spentEur?: number;
};

export const updateActivity = defineStep<UpdateActivityStep>({
  action: 'update_activity',
  rule: {
    phases: ['implementation'],
    roles: ['secretariat'],
    precondition: (state) =>
      state.activities.some((a) => !FINAL_ACTIVITY_STATUSES.includes(a.status))
        ? null
        : { kind: 'conflict', key: 'error.noOpenActivity' },
  },
  check: (state, _actor, step, options) => checkActivityUpdate(state, step, options),
  apply(state, actor, step, { now }) {
    const by = stamp(actor, now);
    const status = currentActivityStatus(step.status);
    const { activityId, status: _status, action: _action, ...details } = step;
    const activities = state.activities.map((a) =>
      a.activityId === activityId
        ? {
            ...a,
            status,
            updated: by,
            // A reason belongs to a postponement or a cancellation; a later step never overwrites it.
            ...((status === 'postponed' || status === 'cancelled') && details.reason !== undefined ? { reason: details.reason } : {}),
            ...(status === 'postponed' && details.startDate && details.endDate ? { startDate: details.startDate, endDate: details.endDate } : {}),
            ...(status === 'held' && details.participants ? { participants: details.participants, deliverables: details.deliverables ?? [] } : {}),
            ...(status === 'held' && details.spentEur !== undefined ? { spentEur: details.spentEur } : {}),
          }
        : a,
    );
    return transition(state, { ...state, activities }, actor, now, 'activity_status_changed', {
      activityId,
      status: step.status,
      ...details,
    });
  },
});
