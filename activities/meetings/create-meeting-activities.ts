import { heartbeat } from '@temporalio/activity';
import type { Database } from '../../db/client';
import { claimMinutes, saveMinutes } from '../../db/meetings-repository';
import type { MinutesItemResult } from '../../workflows/meeting-minutes';
import { applyMinutesDecision, type MinutesDecisionInput, type RequestStepSender } from './apply-minutes-decision';

/** The activities of a meeting's minutes (workflows/meeting-minutes.ts); each may run more than once. */
export function createMeetingActivities({ db, requests }: { db: Database; requests: RequestStepSender }) {
  return {
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
