import { proxyActivities } from '@temporalio/workflow';
import type { createMeetingActivities } from '../activities/meetings/create-meeting-activities';
import { DEFAULT_ACTIVITY_RETRY, type ActivityRetry } from './request-contract';
import type { LocalizedMessage } from '../i18n/localized';
import type { Actor } from './request-model';
import type { Step } from './request-steps';

/**
 * The minutes of a Steering Committee meeting: each decision applied to its request, then the results on record.
 * Up to 200 requests, each a step or two of its own workflow: a process that must survive an API or a worker
 * killed part-way, so a workflow of its own (one per meeting, ever), never a loop in an HTTP handler. Each item is
 * applied exactly once whatever crashes (activities/meetings/apply-minutes-decision.ts says how); one refused
 * decision stops none of the others.
 */

export const MEETING_MINUTES_WORKFLOW = 'recordMeetingMinutes';
export const meetingMinutesWorkflowId = (meetingId: string): string => `meeting-minutes-${meetingId}`;

export type MinutesDecision = Extract<Step, { action: 'decide' }>;

export interface MinutesInput {
  meetingId: string;
  meetingTitle: string;
  chair: Actor;
  /** The requests on the agenda: a decision on any other is refused. */
  agenda: string[];
  decisions: Array<{ requestId: string; decision: MinutesDecision }>;
  /** Identifies the call that recorded the minutes, so that its retry is told what it did (api/routes/meetings.ts). */
  fingerprint: string;
  activityRetry?: ActivityRetry;
}

/** What applying one decision answered, as an HTTP status: 200, or the refusal's status and message. */
export interface MinutesItemResult {
  requestId: string;
  status: number;
  phase: string | null;
  /** The refusal in English, as recorded. */
  message: string | null;
  /** The refusal as a catalog message, worded in each reader's language; absent from results recorded before it was kept. */
  localized?: LocalizedMessage | null;
}

export interface MinutesOutcome {
  fingerprint: string;
  results: MinutesItemResult[];
}

export async function recordMeetingMinutes(input: MinutesInput): Promise<MinutesOutcome> {
  const { claimMinutes, applyMinutesDecision, saveMinutes } = proxyActivities<ReturnType<typeof createMeetingActivities>>({
    // Applying one decision is a step or two on its request (each waits for its event to be on record). It beats
    // every second: a worker killed mid-item is noticed in seconds, not at the end of the 30 allowed.
    startToCloseTimeout: '30 seconds',
    heartbeatTimeout: '5 seconds',
    retry: { ...(input.activityRetry ?? DEFAULT_ACTIVITY_RETRY), backoffCoefficient: 2 },
  });
  const meeting = { meetingId: input.meetingId, title: input.meetingTitle };
  await claimMinutes({ meetingId: input.meetingId, by: input.chair.name });
  const onAgenda = new Set(input.agenda);
  const results: MinutesItemResult[] = [];
  for (const { requestId, decision } of input.decisions) {
    results.push(await applyMinutesDecision({ meeting, chair: input.chair, requestId, onAgenda: onAgenda.has(requestId), decision }));
  }
  await saveMinutes({ meetingId: input.meetingId, results });
  return { fingerprint: input.fingerprint, results };
}
