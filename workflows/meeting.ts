import { allHandlersFinished, condition, defineUpdate, proxyActivities, setHandler, sleep } from '@temporalio/workflow';
import type { createMeetingActivities } from '../activities/meetings/create-meeting-activities';
import { parseIsoDuration } from './iso-duration';
import { DEFAULT_ACTIVITY_RETRY, type ActivityRetry } from './request-contract';

/**
 * A Steering Committee meeting, from its scheduling to the reminder its members get before it: one workflow per
 * meeting (ID `meeting-<meetingId>`), so that a reminder due in three weeks survives every restart in between. The
 * API starts it and, in the same call, asks it for the meeting once on record (`scheduled`). Its minutes are a
 * workflow of their own (meeting-minutes.ts), which the Chair's call starts after the meeting.
 */

export const MEETING_WORKFLOW = 'steeringCommitteeMeeting';
export const meetingWorkflowId = (meetingId: string): string => `meeting-${meetingId}`;

export interface MeetingInput {
  /** Chosen by the API, so that the workflow and the meeting's row share it. */
  meetingId: string;
  title: string;
  scheduledFor: string;
  scheduledBy: string;
  /** How long before the meeting its members are reminded (ISO-8601, elapsed time); null: no reminder. */
  reminderLead: string | null;
  activityRetry?: ActivityRetry;
}

/** The meeting as on record; the same shape as the API's answer (db/meetings-repository.ts). */
export type ScheduledMeeting = Awaited<ReturnType<ReturnType<typeof createMeetingActivities>['scheduleMeeting']>>;

/** Answers once the meeting is on record: the API's call waits for it. */
export const meetingScheduledUpdate = defineUpdate<ScheduledMeeting>('scheduled');

export async function steeringCommitteeMeeting(input: MeetingInput): Promise<{ membersReminded: number }> {
  const { scheduleMeeting, remindMeetingMembers } = proxyActivities<ReturnType<typeof createMeetingActivities>>({
    startToCloseTimeout: '30 seconds',
    retry: { ...(input.activityRetry ?? DEFAULT_ACTIVITY_RETRY), backoffCoefficient: 2 },
  });
  let meeting: ScheduledMeeting | null = null;
  setHandler(meetingScheduledUpdate, async () => {
    await condition(() => meeting !== null);
    return meeting!;
  });
  meeting = await scheduleMeeting(input);

  let membersReminded = 0;
  const meetsAt = Date.parse(meeting.scheduledFor);
  // A meeting scheduled closer than the lead is announced at once; one already past is not.
  if (input.reminderLead && Date.now() < meetsAt) {
    const remindIn = meetsAt - parseIsoDuration(input.reminderLead) - Date.now();
    if (remindIn > 0) await sleep(remindIn);
    membersReminded = await remindMeetingMembers({ meetingId: input.meetingId });
  }
  await condition(allHandlersFinished);
  return { membersReminded };
}
