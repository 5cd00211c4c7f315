import type { Database } from '../../db/client';
import { decidedAtMeeting } from '../../db/meetings-repository';
import { findRequestState } from '../../db/requests-repository';
import { canSee } from '../../api/access-rules';
import { ApiError, refusalError, requestNotFound } from '../../api/api-error';
import type { MinutesDecision, MinutesItemResult } from '../../workflows/meeting-minutes';
import type { StepOutcome } from '../../workflows/request-contract';
import type { Actor, RequestState } from '../../workflows/request-model';
import { checkStep } from '../../workflows/request-rules';
import type { Step } from '../../workflows/request-steps';

/** Sends a step to a request's workflow as the API does (api/request-workflows.ts, RequestWorkflows.takeStep). */
export interface RequestStepSender {
  takeStep(state: RequestState, actor: Actor, step: Step, idempotencyKey?: string): Promise<StepOutcome>;
}

export interface MinutesDecisionInput {
  meeting: { meetingId: string; title: string };
  chair: Actor;
  requestId: string;
  onAgenda: boolean;
  decision: MinutesDecision;
}

/**
 * One decision of the minutes, applied to its request exactly once, though this activity may run again after it
 * did (its worker killed before Temporal heard back): the decision carries the meeting's ID into the request's
 * history, so a later attempt that finds it there reports it applied; a step in flight is sent again under the
 * same update ID (the idempotency key), which Temporal takes once. A request still in review is decided by the
 * meeting: its review closes first. A refusal is this item's result, as the API would have answered it.
 */
export async function applyMinutesDecision(db: Database, requests: RequestStepSender, input: MinutesDecisionInput): Promise<MinutesItemResult> {
  const { meeting, chair, requestId } = input;
  const applied = async (): Promise<MinutesItemResult> => ({ requestId, status: 200, phase: (await findRequestState(db, requestId))?.phase ?? null, message: null });
  if (!input.onAgenda) return refused(requestId, new ApiError(409, 'not_on_agenda', { key: 'error.notOnAgenda' }));
  if (await decidedAtMeeting(db, requestId, meeting.meetingId)) return applied();

  const take = async (state: RequestState, step: Step): Promise<StepOutcome> => {
    const refusal = checkStep(state, chair, step);
    if (refusal) throw refusalError(refusal, state, chair);
    return requests.takeStep(state, chair, step, `minutes:${meeting.meetingId}:${step.action}`);
  };
  try {
    let state = await findRequestState(db, requestId);
    if (!state || !canSee(state, chair)) throw requestNotFound(requestId);
    if (state.phase === 'review') {
      state = (await take(state, { action: 'close_review', reason: `Decided at the meeting '${meeting.title}'.` })).state;
    }
    const outcome = await take(state, { ...input.decision, meetingId: meeting.meetingId });
    return { requestId, status: 200, phase: outcome.state.phase, message: null };
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    // Refused because an earlier attempt of this very item got there first (its request then ended, say).
    if (await decidedAtMeeting(db, requestId, meeting.meetingId)) return applied();
    return refused(requestId, error);
  }
}

const refused = (requestId: string, error: ApiError): MinutesItemResult => ({
  requestId,
  status: error.statusCode,
  phase: error.extra.phase ?? null,
  message: error.message,
  localized: error.localized,
});
