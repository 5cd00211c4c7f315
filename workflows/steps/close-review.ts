/** The Chair closes the review before its deadline and takes the decision. */
import { closeReview } from '../review-closure';
import { holdsChairOffice } from './shared-rules';
import { defineStep } from './step-definition';

export type CloseReviewStep = { action: 'close_review'; reason: string };

/** Named apart from review-closure.ts's closeReview, which every closure of a review (deadline, votes, objection) goes through. */
export const closeReviewEarly = defineStep<CloseReviewStep>({
  action: 'close_review',
  rule: {
    phases: ['review'],
    roles: ['chair'],
    precondition: holdsChairOffice,
  },
  apply: (state, actor, step, { now }) => closeReview(state, 'closed_by_chair', actor, now, { result: 'to_chair', reason: step.reason }),
});
