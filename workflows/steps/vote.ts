/** A Steering Committee member votes in the review (and may vote again: the last vote counts). */
import type { VoteValue } from '../request-model';
import { defineStep } from './step-definition';
import { stamp, transition } from './transition';

export type VoteStep = { action: 'vote'; vote: VoteValue; comment: string | null };

export const vote = defineStep<VoteStep>({
  action: 'vote',
  rule: {
    phases: ['review'],
    roles: ['sc_member'],
    precondition: (state, actor) => {
      const reviewer = state.review?.reviewers.find((r) => r.userId === actor.userId);
      if (!reviewer) {
        return { kind: 'forbidden', key: 'error.notReviewer' };
      }
      if (reviewer.conflicted) {
        return { kind: 'forbidden', key: 'error.conflictOfInterest', values: { country: state.submission.country } };
      }
      // Members may change their vote until the review closes; the last one counts and all stay on record.
      return null;
    },
  },
  apply(state, actor, step, { now }) {
    const by = stamp(actor, now);
    const review = state.review!;
    const vote = { ...by, vote: step.vote, comment: step.comment };
    return transition(state, { ...state, review: { ...review, votes: [...review.votes, vote] } }, actor, now, 'vote_recorded', {
      vote: step.vote,
      comment: step.comment,
    });
  },
});
