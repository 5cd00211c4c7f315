import type { RequestState } from './request-model';

/**
 * Who may take which step, in which phase, with what: the registry of the rules in workflows/rules/ — permissions
 * (who, when), the payload checks, the activity status machine, and the refusals they give. Pure: the workflow's
 * update validators enforce them, and the API uses them to answer `allowedActions` and to refuse early with the
 * same words.
 */
export type { Refusal, RefusalKind, RuleOptions } from './rules/refusal';
export { ACTION_RULES, MAX_DOCUMENTS, allowedActions, checkAction, submissionRefusal } from './rules/permissions';
export { checkStep, conditionList } from './rules/step-checks';

/** Review ends early once every member who may vote has voted. */
export function everyReviewerHasVoted(state: RequestState): boolean {
  const review = state.review;
  if (!review) return false;
  return review.reviewers
    .filter((r) => !r.conflicted)
    .every((r) => review.votes.some((v) => v.by.userId === r.userId));
}
