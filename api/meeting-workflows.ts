import { WithStartWorkflowOperation, type Client } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { MEETING_WORKFLOW, meetingScheduledUpdate, meetingWorkflowId, type MeetingInput, type ScheduledMeeting, type steeringCommitteeMeeting } from '../workflows/meeting';
import type { ActivityRetry } from '../workflows/request-contract';

/**
 * The API's side of a meeting's workflow (workflows/meeting.ts): scheduling starts it and, in the same call to
 * Temporal (update-with-start), waits for the meeting on record. An API that dies after the start loses nothing:
 * the workflow schedules the meeting and reminds its members all the same.
 */
export class MeetingWorkflows {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
    private readonly reminderLead: string | null,
    private readonly activityRetry?: ActivityRetry,
  ) {}

  async schedule(meeting: Pick<MeetingInput, 'title' | 'scheduledFor' | 'scheduledBy'>): Promise<ScheduledMeeting> {
    const meetingId = randomUUID();
    const input: MeetingInput = {
      meetingId,
      ...meeting,
      reminderLead: this.reminderLead,
      ...(this.activityRetry ? { activityRetry: this.activityRetry } : {}),
    };
    const startWorkflowOperation = new WithStartWorkflowOperation<typeof steeringCommitteeMeeting>(MEETING_WORKFLOW, {
      workflowId: meetingWorkflowId(meetingId),
      taskQueue: this.taskQueue,
      args: [input],
      workflowIdConflictPolicy: 'FAIL',
    });
    return this.client.workflow.executeUpdateWithStart(meetingScheduledUpdate, { startWorkflowOperation });
  }
}
