import { allowedActions, waitingFor } from '../workflows/request-rules';
import type { Actor, RequestState } from '../workflows/request-model';
import type { RequestView } from './schemas/request-schemas';

/** A request as the caller sees it: its state, who must act next, and what the caller may do. */
export function toRequestView(state: RequestState, actor: Actor): RequestView {
  const { requestId, submission, submissionVersions, submitted, ...rest } = state;
  return {
    id: requestId,
    ...submission,
    ...rest,
    submitted,
    contentVersions: submissionVersions,
    waitingFor: waitingFor(state),
    allowedActions: allowedActions(state, actor),
  };
}

/** Partners see only their own country's requests; everyone else sees all of them (refined by the access rules). */
export function canSee(state: RequestState, actor: Actor): boolean {
  return actor.role !== 'partner' || actor.country === state.submission.country;
}
