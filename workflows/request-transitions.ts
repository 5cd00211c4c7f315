/**
 * The request as a pure fold of events: each function takes the current state and returns the next state
 * together with the event that explains the change. The workflow persists the event; nothing here does I/O.
 * What each human step does is its module's `apply` (steps/); the review's closure is review-closure.ts.
 */
import type { Actor, DomainEvent, RequestPolicy, RequestState, Submission } from './request-model';
import { startScreeningClock } from './clocks';
import { stepDefinition, type Step } from './steps';
import { stamp, type StepContext, type Transition } from './steps/transition';

export { transition, type StepContext, type Transition } from './steps/transition';
export { closeReview, concludeReview } from './review-closure';

export function submit(requestId: string, submission: Submission, actor: Actor, now: string, policy?: RequestPolicy): Transition {
  const submitted = stamp(actor, now);
  const state: RequestState = {
    requestId,
    version: 1,
    phase: 'screening',
    submission,
    submissionVersions: [{ submission, ...submitted }],
    submitted,
    screeningNote: null,
    ...(policy ? { policy, screeningClock: startScreeningClock(now, policy) } : {}),
    informationExchanges: [],
    review: null,
    decisions: [],
    activities: [],
    implementationCompleted: null,
    reports: [],
    closure: null,
    ending: null,
    updatedAt: now,
  };
  const event: DomainEvent = {
    seq: 1,
    type: 'submitted',
    actor: submitted.by,
    at: now,
    phaseBefore: 'screening',
    phaseAfter: 'screening',
    payload: { submission },
  };
  return { state, event };
}

/** A human step's change: the step's own module says what it is. */
export function applyStep(state: RequestState, actor: Actor, step: Step, ctx: StepContext): Transition {
  return stepDefinition(step.action).apply(state, actor, step, ctx);
}
