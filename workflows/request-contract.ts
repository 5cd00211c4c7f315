import { defineQuery, defineUpdate } from '@temporalio/workflow';
import { ApplicationFailure, defineSearchAttributeKey, SearchAttributeType, type UpdateDefinition } from '@temporalio/common';
import type { LocalizedMessage } from '../i18n/localized';
import type { Actor, DomainEvent, Phase, RequestPolicy, RequestState, Submission } from './request-model';
import type { Refusal } from './request-rules';

export type { RequestPolicy } from './request-model';
import { ACTIONS, type Action, type Step } from './request-steps';

/**
 * Everything the API and the workflow must agree on about one request's workflow: its ID, its input, the
 * updates that carry human steps, the query for live state, and the search attributes it maintains.
 * The API imports this module and the workflow function only as a type.
 */

export const requestWorkflowId = (requestId: string): string => `capacity-request-${requestId}`;

export interface RequestWorkflowInput {
  requestId: string;
  submission: Submission;
  submittedBy: Actor;
  policy: RequestPolicy;
  /** Set when a long-lived request continues as a new run: everything so far, carried over. */
  carried?: { state: RequestState };
  /** How soon, and at most how far apart, a failed write is tried again; absent: DEFAULT_ACTIVITY_RETRY. */
  activityRetry?: ActivityRetry;
}

/** Milliseconds, as Temporal's retry policy takes them; the interval doubles from the first to the maximum. */
export interface ActivityRetry {
  initialInterval: number;
  maximumInterval: number;
}

/** One second, doubling to a minute: Postgres restarting is not hammered, and a step waits little for a short blip. */
export const DEFAULT_ACTIVITY_RETRY: ActivityRetry = { initialInterval: 1_000, maximumInterval: 60_000 };

export interface StepRequest<A extends Action = Action> {
  actor: Actor;
  step: Extract<Step, { action: A }>;
}

export interface StepOutcome {
  state: RequestState;
  /** The events the step produced, in order (a last vote also closes the review). */
  events: DomainEvent[];
}

/**
 * Submission is an update sent with the workflow's start (update-with-start): the caller gets the stored
 * request back, or an error, in one round trip. Its update ID makes a retried submission a no-op.
 */
export const submitUpdate = defineUpdate<RequestState>('submit');
export const SUBMIT_UPDATE_ID = 'submit';

/**
 * One update per human step, so that the history reads "screen", "vote", "decide"… Each has a validator:
 * a step the phase or the role does not allow is refused before it enters the history.
 */
export const stepUpdates = Object.fromEntries(
  ACTIONS.map((action) => [action, defineUpdate<StepOutcome, [StepRequest]>(action)]),
) as Record<Action, UpdateDefinition<StepOutcome, [StepRequest]>>;

export const stateQuery = defineQuery<RequestState>('state');

export const RequestPhaseKey = defineSearchAttributeKey('RequestPhase', SearchAttributeType.KEYWORD);
export const RequestCountryKey = defineSearchAttributeKey('RequestCountry', SearchAttributeType.KEYWORD);
export const RequestDomainKey = defineSearchAttributeKey('RequestDomain', SearchAttributeType.KEYWORD);
export const SEARCH_ATTRIBUTE_KEYS = [RequestPhaseKey, RequestCountryKey, RequestDomainKey];

/**
 * How an update is refused over the wire: an ApplicationFailure whose type is the refusal's kind and whose first
 * detail says the field, the phase the workflow saw (null for a submission) and the words, as a catalog key and its
 * values for the API to word in the caller's language. Its message is the key: the workflow holds no catalog.
 * Workers from before the key sent their English words as the message, and no `key`.
 */
export interface RefusalDetails {
  field: string | null;
  phase: Phase | null;
  key?: LocalizedMessage['key'];
  values?: LocalizedMessage['values'];
}

export function refusalFailure(refusal: Refusal, phase: Phase | null): ApplicationFailure {
  const details: RefusalDetails = { field: refusal.field ?? null, phase, key: refusal.key, values: refusal.values ?? {} };
  return ApplicationFailure.create({ type: refusal.kind, message: refusal.key, details: [details], nonRetryable: true });
}
