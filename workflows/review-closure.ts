/**
 * How a Steering Committee review ends, whoever ends it: the Chair's close_review step (steps/close-review.ts), the
 * last vote or an objection (the workflow, after a step), or the deadline (deadlines.ts). Not a human step itself,
 * so a file of its own rather than a step module. Pure.
 */
import { SYSTEM_ACTOR, type ActorRef, type Decision, type RequestState, type Review, type ReviewClosure } from './request-model';
import { effectiveVotes, outcomeOf, tally, type ReviewOutcome } from './review-procedures';
import { reportingFrom, stamp, transition, type Transition } from './steps/transition';

/**
 * Review closes. Unless the procedure itself approves (see concludeReview), the request goes to the Chair,
 * with the tally and any objections attached.
 */
export function closeReview(
  state: RequestState,
  because: ReviewClosure,
  actor: ActorRef,
  now: string,
  outcome: ReviewOutcome = outcomeOf(state.review!, because),
): Transition {
  const current = state.review!;
  const review: Review = { ...current, closedAt: now, closedBecause: because, ...(current.procedure ? { outcome } : {}) };
  const objections = effectiveVotes(current)
    .filter((v) => v.vote === 'objection')
    .map((v) => ({ member: v.by.name, comment: v.comment }));
  return transition(state, { ...state, phase: 'approval', review }, actor, now, 'review_closed', {
    because,
    tally: tally(current),
    ...(current.procedure ? { procedure: current.procedure, outcome, objections } : {}),
  });
}

/** Closes the review and, where the procedure approves by itself, records that decision too. */
export function concludeReview(state: RequestState, because: ReviewClosure, now: string): Transition[] {
  const outcome = outcomeOf(state.review!, because);
  const closed = closeReview(state, because, SYSTEM_ACTOR, now, outcome);
  if (outcome.result !== 'approved_by_procedure') return [closed];
  const decision: Decision = {
    ...stamp(SYSTEM_ACTOR, now),
    decision: 'approve',
    rationale: outcome.reason,
    conditions: [],
    approvedBudgetEur: state.submission.estimatedBudgetEur,
    byProcedure: true,
  };
  const approved = transition(
    closed.state,
    { ...closed.state, ...reportingFrom(now, closed.state), phase: 'implementation', decisions: [...closed.state.decisions, decision], conditions: [] },
    SYSTEM_ACTOR,
    now,
    'approved',
    {
      decision: 'approve',
      rationale: decision.rationale,
      conditions: [],
      approvedBudgetEur: decision.approvedBudgetEur,
      byProcedure: true,
      procedure: state.review?.procedure,
      // The Chair is informed of every approval by procedure (delivered by the notification feed).
      informed: ['chair'],
    },
  );
  return [closed, approved];
}
