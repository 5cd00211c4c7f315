import { allowedActions, type Refusal } from '../workflows/request-rules';
import type { Actor, RequestState } from '../workflows/request-model';
import { unknownCountryMessage } from '../db/dialogue-members-repository';

/** An error the client can act on. The one error handler turns it into the response body. */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly extra: { field?: string; phase?: string; allowedActions?: string[] } = {},
  ) {
    super(message);
  }
}

const STATUS_BY_REFUSAL: Record<Refusal['kind'], number> = {
  forbidden: 403,
  conflict: 409,
  invalid: 400,
  not_found: 404,
};

export function refusalError(
  refusal: { kind: Refusal['kind']; message: string; field?: string | null },
  state: RequestState,
  actor: Actor,
): ApiError {
  const statusCode = STATUS_BY_REFUSAL[refusal.kind];
  const extra =
    statusCode === 409
      ? { phase: state.phase, allowedActions: allowedActions(state, actor) }
      : refusal.field
        ? { field: refusal.field }
        : {};
  return new ApiError(statusCode, refusal.kind === 'conflict' ? 'wrong_phase_or_state' : refusal.kind, refusal.message, extra);
}

/** A submission its sender may not make (request-rules.ts, submissionRefusal): the API's check and the workflow's. */
export const submissionRefusedError = (refusal: { message: string; field?: string | null }) =>
  new ApiError(403, 'forbidden', refusal.message, refusal.field ? { field: refusal.field } : {});

export const requestNotFound = (id: string) =>
  new ApiError(404, 'request_not_found', `No request with ID ${id} exists, or it is not visible to you.`);

/** `planId` null: none was named, and none is in force today. */
export const actionPlanNotFound = (planId: string | null) =>
  new ApiError(
    404,
    'action_plan_not_found',
    planId === null
      ? 'No action plan is in force today: name one with ?actionPlan= (GET /action-plans lists them).'
      : `No action plan with ID ${planId}; GET /action-plans lists them.`,
  );

/** A country that is not on the dialogue's list (GET /countries), named in `field`. */
export const unknownCountryError = (country: string, field: string) =>
  new ApiError(400, 'unknown_country', `${field}: ${unknownCountryMessage(country)}.`, { field });
