import { allowedActions, type Refusal } from '../workflows/request-rules';
import type { Actor, RequestState } from '../workflows/request-model';
import type { LocalizedMessage } from '../i18n/localized';
import { render } from '../i18n/messages';

/**
 * An error the client can act on. The one error handler turns it into the response body, its message worded in the
 * caller's language (`localized`, a catalog message `error.*`); `message` is the English, for the logs.
 */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    readonly localized: LocalizedMessage,
    readonly extra: { field?: string; phase?: string; allowedActions?: string[] } = {},
  ) {
    super(render('en', localized));
  }
}

const STATUS_BY_REFUSAL: Record<Refusal['kind'], number> = {
  forbidden: 403,
  conflict: 409,
  invalid: 400,
  not_found: 404,
};

/** A refusal of the rules (the API's own check, or the workflow's), and the words it is given in. */
type RefusalLike = Pick<Refusal, 'kind'> & LocalizedMessage & { field?: string | null };

export function refusalError(refusal: RefusalLike, state: RequestState, actor: Actor): ApiError {
  const statusCode = STATUS_BY_REFUSAL[refusal.kind];
  const extra =
    statusCode === 409
      ? { phase: state.phase, allowedActions: allowedActions(state, actor) }
      : refusal.field
        ? { field: refusal.field }
        : {};
  return new ApiError(statusCode, refusal.kind === 'conflict' ? 'wrong_phase_or_state' : refusal.kind, wordsOf(refusal), extra);
}

/** A submission its sender may not make (request-rules.ts, submissionRefusal): the API's check and the workflow's. */
export const submissionRefusedError = (refusal: LocalizedMessage & { field?: string | null }) =>
  new ApiError(403, 'forbidden', wordsOf(refusal), refusal.field ? { field: refusal.field } : {});

const wordsOf = ({ key, values }: LocalizedMessage): LocalizedMessage => (values ? { key, values } : { key });

export const requestNotFound = (id: string) => new ApiError(404, 'request_not_found', { key: 'error.requestNotFound', values: { id } });

/** `planId` null: none was named, and none is in force today. */
export const actionPlanNotFound = (planId: string | null) =>
  new ApiError(
    404,
    'action_plan_not_found',
    planId === null ? { key: 'error.noPlanInForceToday' } : { key: 'error.actionPlanNotFound', values: { planId } },
  );

/** A country that is not on the dialogue's list (GET /countries), named in `field`. */
export const unknownCountryError = (country: string, field: string) =>
  new ApiError(400, 'unknown_country', { key: 'error.fieldProblem', values: { field, problem: { key: 'error.notAMember', values: { country } } } }, { field });
