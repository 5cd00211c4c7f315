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
      return applyMinutesDecision(db, requests, input);
    },

    async saveMinutes({ meetingId, results }: { meetingId: string; results: MinutesItemResult[] }): Promise<void> {
      await saveMinutes(db, meetingId, results);
    },
  };
}
