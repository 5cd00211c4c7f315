/**
 * What every step's `apply` (and the review's closure, and the deadlines) builds on: the state and event a change
 * produces, what the workflow supplies besides the step, and the small helpers that stamp and end a request.
 * Pure: nothing here does I/O.
 */
import type { EventType } from '../event-types';
import type { ActorRef, DomainEvent, Phase, RequestState, Reviewer, ReviewProcedure, Stamp } from '../request-model';
import { startReportingClock } from '../clocks';

export interface Transition {
  state: RequestState;
  event: DomainEvent;
}

/** What the workflow supplies besides the step: the time and, for some steps, facts it fetched or generated. */
export interface StepContext {
  now: string;
  /** For screening → review: the Steering Committee at this moment, when review ends, and how it decides. */
  review?: { reviewers: Reviewer[]; deadline: string; procedure?: ReviewProcedure; quorum?: number | null; remindAt?: string | null };
  /** For plan_activity: the ID the workflow generated deterministically. */
  activityId?: string;
  /** For attach_document: likewise. */
  documentId?: string;
}

export function stamp(actor: ActorRef, now: string): Stamp {
  return { by: { userId: actor.userId, name: actor.name, role: actor.role }, at: now };
}

export function transition(
  before: RequestState,
  after: Omit<RequestState, 'version' | 'updatedAt'>,
  actor: ActorRef,
  now: string,
  type: EventType,
  payload: Record<string, unknown>,
): Transition {
  const version = before.version + 1;
  const state: RequestState = { ...after, version, updatedAt: now };
  const event: DomainEvent = {
    seq: version,
    type,
    actor: stamp(actor, now).by,
    at: now,
    phaseBefore: before.phase,
    phaseAfter: state.phase,
    payload,
  };
  return { state, event };
}

/** From approval on, progress reports fall due (when the policy sets an interval). */
export function reportingFrom(now: string, state: RequestState): Partial<RequestState> {
  return state.policy?.progressReportInterval ? { reportingClock: startReportingClock(now, 'progress', state.policy) } : {};
}

export function ended(state: RequestState, phase: Phase, actor: ActorRef, now: string, reason: string) {
  return { ...state, phase, ending: { ...stamp(actor, now), reason } };
}
