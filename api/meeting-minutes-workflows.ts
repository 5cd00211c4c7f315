import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { createHash } from 'node:crypto';
import {
  MEETING_MINUTES_WORKFLOW,
  meetingMinutesWorkflowId,
  type MinutesInput,
  type MinutesOutcome,
  type recordMeetingMinutes,
} from '../workflows/meeting-minutes';
import type { ActivityRetry } from '../workflows/request-contract';

/**
 * The API's side of a meeting's minutes (workflows/meeting-minutes.ts): one workflow per meeting, ever. A call
 * starts it, or finds it already started (the same call retried after the API died, or a second call meanwhile),
 * and waits for its results.
 */
export class MeetingMinutesWorkflows {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
    private readonly activityRetry?: ActivityRetry,
  ) {}

  /**
   * The outcome of the meeting's minutes: those this call records, or those recorded before (their fingerprint
   * tells the caller whether by the same call). Null when minutes were saved without a workflow (before 2026-12),
   * or so long ago that Temporal no longer keeps its result: the meeting's row is then all there is.
   */
  async record(input: Omit<MinutesInput, 'activityRetry'>, savedBefore: boolean): Promise<MinutesOutcome | null> {
    const workflowId = meetingMinutesWorkflowId(input.meetingId);
    try {
      // Minutes already saved: only an existing workflow's result, never a second run over the same requests.
      if (savedBefore) return await this.client.workflow.getHandle<typeof recordMeetingMinutes>(workflowId).result();
      const handle = await this.client.workflow.start<typeof recordMeetingMinutes>(MEETING_MINUTES_WORKFLOW, {
        workflowId,
        taskQueue: this.taskQueue,
        args: [{ ...input, ...(this.activityRetry ? { activityRetry: this.activityRetry } : {}) }],
        workflowIdConflictPolicy: 'USE_EXISTING',
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      });
      return await handle.result();
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) {
        return this.client.workflow.getHandle<typeof recordMeetingMinutes>(workflowId).result();
      }
      if (error instanceof WorkflowNotFoundError) return null;
      throw error;
    }
  }
}

/** Who sent which decisions: a retry of the same call has the same fingerprint, another call another one. */
export function minutesFingerprint(chairUserId: string, decisions: unknown): string {
  return createHash('sha256').update(JSON.stringify([chairUserId, decisions])).digest('base64url');
}
