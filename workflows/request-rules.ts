/**
 * Who may take which step, in which phase, with what: the registry of the rules in workflows/rules/ — permissions
 * (who, when), the payload checks, the activity status machine, and the refusals they give — whose per-step parts
 * are written in each step's module (steps/). Pure: the workflow's update validators enforce them, and the API uses
 * them to answer `allowedActions` and to refuse early with the same words.
 */
export type { Refusal, RefusalKind, RuleOptions } from './rules/refusal';
export { ACTION_RULES, MAX_DOCUMENTS, allowedActions, checkAction, submissionRefusal } from './rules/permissions';
export { checkStep, conditionList } from './rules/step-checks';
/** Kept here for its importers; it belongs with the review's procedures, the only workflow code that uses it. */
export { everyReviewerHasVoted } from './review-procedures';
