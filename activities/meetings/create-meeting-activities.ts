import { heartbeat } from '@temporalio/activity';
import type { Database } from '../../db/client';
import { claimMinutes, findMeeting, queueMeetingReminders, saveMinutes, scheduleMeeting, type Meeting } from '../../db/meetings-repository';
import type { MinutesItemResult } from '../../workflows/meeting-minutes';
import type { MeetingInput } from '../../workflows/meeting';
import type { MailContext } from '../notifications/mail-context';
import { applyMinutesDecision, type MinutesDecisionInput, type RequestStepSender } from './apply-minutes-decision';
import { meetingReminderTexts } from './meeting-reminder';

export interface MeetingActivityDependencies {
  db: Database;
  requests: RequestStepSender;
  /** E-mail; absent when no mail server is configured (then no reminder is queued). */
  notifications?: { relay: { wake(): void }; mail: MailContext };
}

/**
 * The activities of a meeting (workflows/meeting.ts: scheduled, its members reminded) and of its minutes
 * (workflows/meeting-minutes.ts); each may run more than once.
 */
export function createMeetingActivities({ db, requests, notifications }: MeetingActivityDependencies) {
  return {
    /** On record under the workflow's meeting ID: run again, it answers with the meeting it scheduled. */
    async scheduleMeeting(input: Pick<MeetingInput, 'meetingId' | 'title' | 'scheduledFor' | 'scheduledBy'>): Promise<NonNullable<Meeting>> {
      return scheduleMeeting(db, { meetingId: input.meetingId, title: input.title, scheduledFor: input.scheduledFor, by: input.scheduledBy });
    },

    /**
     * Reminds the committee of the meeting, with its agenda as it stands now; nobody once its minutes are recorded
     * (the meeting was held). Returns how many e-mails are queued for it.
     */
    async remindMeetingMembers({ meetingId }: { meetingId: string }): Promise<number> {
      const meeting = await findMeeting(db, meetingId);
      if (!meeting || meeting.minutesRecordedAt !== null || !notifications) return 0;
      const queued = await queueMeetingReminders(db, meetingId, meetingReminderTexts(meeting, notifications.mail));
      if (queued > 0) notifications.relay.wake();
      return queued;
    },

    /** The minutes are being recorded, by whom: the meeting's agenda no longer changes. Once per meeting. */
    async claimMinutes({ meetingId, by }: { meetingId: string; by: string }): Promise<void> {
      await claimMinutes(db, meetingId, by);
    },

    async applyMinutesDecision(input: MinutesDecisionInput): Promise<MinutesItemResult> {
      // Alive while it waits for the request's steps (the workflow's heartbeat timeout notices a dead worker).
      const beat = setInterval(() => heartbeat(), 1_000);
      try {
        return await applyMinutesDecision(db, requests, input);
      } finally {
        clearInterval(beat);
      }
    },

    async saveMinutes({ meetingId, results }: { meetingId: string; results: MinutesItemResult[] }): Promise<void> {
      await saveMinutes(db, meetingId, results);
    },
  };
}
