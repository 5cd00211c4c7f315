/** The Chair extends the review's deadline; members who have not voted are reminded again. */
import type { Review } from '../request-model';
import { leadTimeBefore } from '../working-time';
import { extensionRefusal } from './deadline-extension';
import { holdsChairOffice } from './shared-rules';
import { defineStep } from './step-definition';
import { stamp, transition } from './transition';

export type ExtendReviewStep = { action: 'extend_review'; until: string; reason: string };

export const extendReview = defineStep<ExtendReviewStep>({
  action: 'extend_review',
  rule: {
    phases: ['review'],
    roles: ['chair'],
    precondition: holdsChairOffice,
  },
  check: (state, _actor, step) => extensionRefusal(state.review?.deadline, step.until),
  apply(state, actor, step, { now }) {
    const by = stamp(actor, now);
    const review = state.review!;
    const lead = state.policy?.reviewReminderLead;
    const extended: Review = {
      ...review,
      deadline: step.until,
      remindAt: lead ? leadTimeBefore(step.until, lead, now) : null,
      reminded: false,
      extensions: [...(review.extensions ?? []), { ...by, deadline: step.until, reason: step.reason }],
    };
    return transition(state, { ...state, review: extended }, actor, now, 'review_extended', {
      from: review.deadline,
      until: step.until,
      reason: step.reason,
    });
  },
});
