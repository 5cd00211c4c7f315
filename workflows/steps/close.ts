/** The Secretariat closes the request, after its accepted final report, with the lessons learned. */
import { defineStep } from './step-definition';
import { stamp, transition } from './transition';

export type CloseStep = { action: 'close'; lessonsLearned: string; goodPractices?: string[] };

export const close = defineStep<CloseStep>({
  action: 'close',
  rule: {
    phases: ['monitoring'],
    roles: ['secretariat'],
    precondition: (state, _actor, options) => {
      if (!state.reports.some((r) => r.kind === 'final')) {
        return { kind: 'conflict', key: 'error.closeNeedsFinalReport' };
      }
      if (!options.reportReviewsNotApplied && !state.reports.some((r) => r.kind === 'final' && r.status === 'accepted')) {
        return { kind: 'conflict', key: 'error.closeNeedsAcceptedReport' };
      }
      return null;
    },
  },
  apply(state, actor, step, { now }) {
    const by = stamp(actor, now);
    const memory = step.goodPractices ? { goodPractices: step.goodPractices, actionArea: state.submission.domain } : {};
    return transition(
      state,
      { ...state, phase: 'completed', closure: { ...by, lessonsLearned: step.lessonsLearned, ...memory } },
      actor,
      now,
      'closed',
      { lessonsLearned: step.lessonsLearned, ...memory },
    );
  },
});
