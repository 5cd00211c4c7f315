import {
  WithStartWorkflowOperation,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type Client,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { createHash } from 'node:crypto';
import type { requestLifecycle } from '../workflows/request-lifecycle';
import {
  RequestCountryKey,
  RequestDomainKey,
  RequestPhaseKey,
  SUBMIT_UPDATE_ID,
  requestWorkflowId,
  stepUpdates,
  submitUpdate,
  type ActivityRetry,
  type RefusalDetails,
  type RequestPolicy,
  type StepOutcome,
} from '../workflows/request-contract';
import { TERMINAL_PHASES, type Actor, type RequestState, type Submission } from '../workflows/request-model';
import type { Step } from '../workflows/request-steps';
import type { LocalizedMessage } from '../i18n/localized';
import { isMessageKey } from '../i18n/messages';
import { ApiError, refusalError, submissionRefusedError } from './api-error';

/**
 * The API's side of the workflow contract: start a request's workflow and send it human steps, turning
 * the workflow's refusals into the same HTTP errors the API's own pre-checks give.
 */
export class RequestWorkflows {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
    private readonly policy: RequestPolicy,
    private readonly activityRetry?: ActivityRetry,
  ) {}

  /**
   * Starts the request's workflow and waits until the submission is on record, in one call
   * (update-with-start). Calling it again for the same request ID returns the same request.
   */
  async submit(requestId: string, submission: Submission, actor: Actor): Promise<RequestState> {
    const start = new WithStartWorkflowOperation<typeof requestLifecycle>('requestLifecycle', {
      workflowId: requestWorkflowId(requestId),
      taskQueue: this.taskQueue,
      args: [{ requestId, submission, submittedBy: actor, policy: this.policy, ...(this.activityRetry ? { activityRetry: this.activityRetry } : {}) }],
      workflowIdConflictPolicy: 'USE_EXISTING',
      // A request's workflow runs once: a closed one is never started again under the same ID.
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      typedSearchAttributes: [
        { key: RequestPhaseKey, value: 'screening' },
        { key: RequestCountryKey, value: submission.country },
        { key: RequestDomainKey, value: String(submission.domain) },
      ],
    });
    try {
      return await this.client.workflow.executeUpdateWithStart(submitUpdate, {
        updateId: SUBMIT_UPDATE_ID,
        startWorkflowOperation: start,
      });
    } catch (error) {
      // The workflow holds the submission rule too (request-rules.ts, submissionRefusal); the API refuses first.
      if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure && error.cause.type === 'forbidden') {
        const { field, words } = refusalFrom(error.cause);
        throw submissionRefusedError({ ...words, field });
      }
      throw error;
    }
  }

  /**
   * Sends the step as an update. With the caller's idempotency key the update ID is derived from it (and from the
   * caller and the step itself): Temporal takes an update once per ID, so a retry whose first attempt went
   * through (its answer lost on the way) gets that attempt's outcome instead of taking the step a second time.
   */
  async takeStep(state: RequestState, actor: Actor, step: Step, idempotencyKey?: string): Promise<StepOutcome> {
    const handle = this.client.workflow.getHandle<typeof requestLifecycle>(requestWorkflowId(state.requestId));
    const updateId = idempotencyKey === undefined ? undefined : stepUpdateId(actor, step, idempotencyKey);
    for (let attempt = 1; ; attempt++) {
      try {
        return await handle.executeUpdate(stepUpdates[step.action], { args: [{ actor, step }], ...(updateId ? { updateId } : {}) });
      } catch (error) {
        // A long-lived request continues as a new run now and then; an update that reached the old run just as
        // it closed goes to the new one on a second try. A request that really ended does not.
        const runClosing = isClosedWorkflowError(error) && !TERMINAL_PHASES.includes(state.phase);
        if (runClosing && attempt < 5) {
          await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
          continue;
        }
        throw toApiError(error, state, actor);
      }
    }
  }
}

/**
 * Readable in Temporal's history (the action), unique per caller, key and step: the same key sent with another
 * body, or by another person, is another step, never mistaken for a retry.
 */
function stepUpdateId(actor: Actor, step: Step, idempotencyKey: string): string {
  const digest = createHash('sha256').update(JSON.stringify([actor.userId, idempotencyKey, step])).digest('base64url');
  return `${step.action}:${digest}`;
}

function toApiError(error: unknown, state: RequestState, actor: Actor): unknown {
  if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
    const { type } = error.cause;
    if (type === 'forbidden' || type === 'conflict' || type === 'invalid' || type === 'not_found') {
      // The workflow's refusal is the authority; it names the phase it saw, which may be newer than ours.
      const { field, phase, words } = refusalFrom(error.cause);
      const seen = phase ? { ...state, phase } : state;
      return refusalError({ kind: type, ...words, field }, seen, actor);
    }
  }
  if (error instanceof WorkflowNotFoundError || isClosedWorkflowError(error)) {
    return new ApiError(409, 'request_closed', { key: 'error.requestClosed', values: { phase: state.phase } }, {
      phase: state.phase,
      allowedActions: [],
    });
  }
  return error;
}

/** A refusal as the workflow sent it (request-contract.ts, refusalFailure); a worker from before the keys sent English. */
export function refusalFrom(failure: ApplicationFailure): { field: string | null; phase: RequestState['phase'] | null; words: LocalizedMessage } {
  const detail = (failure.details?.[0] ?? {}) as Partial<RefusalDetails>;
  const words: LocalizedMessage = isMessageKey(detail.key)
    ? { key: detail.key, values: detail.values ?? {} }
    : { key: 'error.asWorded', values: { text: failure.message } };
  return { field: detail.field ?? null, phase: detail.phase ?? null, words };
}

function isClosedWorkflowError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const causeMessage = error.cause instanceof Error ? error.cause.message : '';
  return /workflow execution already completed/i.test(`${error.message} ${causeMessage}`);
}
