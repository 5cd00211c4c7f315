/** The Secretariat completes implementation once every activity is held or cancelled; monitoring begins. */
import { commaList } from '../../i18n/localized';
import { startReportingClock } from '../clocks';
import { FINAL_ACTIVITY_STATUSES } from '../rules/activity-status';
import { defineStep } from './step-definition';
import { stamp, transition } from './transition';

export type CompleteImplementationStep = { action: 'complete_implementation'; note: string | null };

export const completeImplementation = defineStep<CompleteImplementationStep>({
  action: 'complete_implementation',
  rule: {
    phases: ['implementation'],
    roles: ['secretariat'],
    precondition: (state) => {
      if (state.activities.length === 0) {
        return { kind: 'conflict', key: 'error.noActivityPlanned' };
      }
      const open = state.activities.filter((a) => !FINAL_ACTIVITY_STATUSES.includes(a.status));
      if (open.length > 0) {
        const listed = open.map((a) => ({ key: 'error.activityWithStatus', values: { title: a.title, status: { key: `activityStatus.${a.status}` } } }) as const);
        return { kind: 'conflict', key: 'error.activitiesStillOpen', values: { open: commaList(listed) } };
      }
      return null;
    },
  },
  apply(state, actor, step, { now }) {
    const by = stamp(actor, now);
    return transition(
      state,
      {
        ...state,
        ...(state.policy?.finalReportWithin ? { reportingClock: startReportingClock(now, 'final', state.policy) } : {}),
        phase: 'monitoring',
        implementationCompleted: { ...by, note: step.note },
      },
      actor,
      now,
      'implementation_completed',
      { note: step.note },
    );
  },
});
