import type { RequestState, Review, ReviewClosure, Vote, VoteValue } from './request-model';

/** How a Steering Committee review ends, under each procedure. Pure. */

/** Each member's last vote: members may change their vote until the review closes. */
export function effectiveVotes(review: Review): Vote[] {
  const last = new Map<string, Vote>();
  for (const vote of review.votes) last.set(vote.by.userId, vote);
  return [...last.values()];
}

export function tally(review: Review): Record<VoteValue, number> {
  const counts = { no_objection: 0, objection: 0, abstain: 0 };
  for (const vote of effectiveVotes(review)) counts[vote.vote] += 1;
  return counts;
}

/** Review ends early once every member who may vote has voted. */
export function everyReviewerHasVoted(state: RequestState): boolean {
  const review = state.review;
  if (!review) return false;
  return review.reviewers
    .filter((r) => !r.conflicted)
    .every((r) => review.votes.some((v) => v.by.userId === r.userId));
}

/** Should the review close now, before its deadline? */
export function closesEarly(state: RequestState): ReviewClosure | null {
  const review = state.review;
  if (!review || state.phase !== 'review') return null;
  if (review.procedure === 'no_objection' && tally(review).objection > 0) return 'objection_raised';
  return everyReviewerHasVoted(state) ? 'all_voted' : null;
}

export interface ReviewOutcome {
  result: 'approved_by_procedure' | 'to_chair';
  reason: string;
}

export function outcomeOf(review: Review, because: ReviewClosure): ReviewOutcome {
  const counts = tally(review);
  const cast = counts.no_objection + counts.objection + counts.abstain;
  if (because === 'closed_by_chair') return { result: 'to_chair', reason: 'The Chair closed the review early.' };
  switch (review.procedure ?? 'chair_decides') {
    case 'chair_decides':
      return { result: 'to_chair', reason: 'The Chair decides after the review.' };
    case 'no_objection':
      // Silence means consent only where someone could have objected.
      if (review.reviewers.every((r) => r.conflicted)) {
        return { result: 'to_chair', reason: 'No eligible member could review the request.' };
      }
      return counts.objection > 0
        ? { result: 'to_chair', reason: `${counts.objection} objection(s) ended the silence procedure.` }
        : { result: 'approved_by_procedure', reason: 'No objection was recorded: approved by the written no-objection procedure.' };
    case 'majority': {
      const quorum = review.quorum ?? 0;
      if (cast < quorum) return { result: 'to_chair', reason: `Quorum missed: ${cast} vote(s) cast, ${quorum} needed.` };
      if (counts.no_objection * 2 > cast) {
        return { result: 'approved_by_procedure', reason: `Approved by majority: ${counts.no_objection} of ${cast} votes cast had no objection.` };
      }
      if (counts.no_objection * 2 === cast) return { result: 'to_chair', reason: `Tie: ${counts.no_objection} of ${cast} votes cast had no objection.` };
      return { result: 'to_chair', reason: `No majority for approval: ${counts.no_objection} of ${cast} votes cast had no objection.` };
    }
  }
}

/** Votes needed for a quorum: the policy's share of eligible members, rounded up, at least one. */
export function quorumFor(eligibleMembers: number, share: number | undefined): number {
  // The epsilon absorbs floating-point noise: 25 × 0.28 is 7.000000000000001, and a quorum of 7 is meant.
  return Math.max(1, Math.ceil(eligibleMembers * (share ?? 0.5) - 1e-9));
}
