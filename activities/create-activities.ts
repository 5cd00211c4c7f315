import { asc, eq } from 'drizzle-orm';
import type { Database } from '../db/client';
import { eraseUnreferencedContent } from '../db/documents-repository';
import { users } from '../db/schema';
import { pruneSignInRecords, type PrunedSignInRecords } from '../db/sign-in-housekeeping';
import type { MailContext } from './notifications/mail-context';
import { recordEvent, type RecordEventInput } from './record-event';
import type { WebhookDispatcher } from './webhooks/dispatcher';
import { createMeetingActivities } from './meetings/create-meeting-activities';
import type { RequestStepSender } from './meetings/apply-minutes-decision';

export interface ActivityDependencies {
  db: Database;
  /** Starts webhook deliveries once their event is on record. */
  webhooks: WebhookDispatcher;
  /** E-mail notifications; absent when no mail server is configured (then none is queued). */
  notifications?: { relay: { wake(): void }; mail: MailContext };
  /** Steps sent to requests' workflows, as the API sends them: a meeting's minutes decide on its requests. */
  requests: RequestStepSender;
}

/**
 * The only code with side effects in a request's life. The worker calls this with its database; the
 * workflow sees only the types (`proxyActivities<ReturnType<typeof createActivities>>`).
 */
export function createActivities({ db, webhooks, notifications, requests }: ActivityDependencies) {
  return {
    ...createMeetingActivities({ db, requests, notifications }),

    /**
     * Appends one event to the audit trail and projects it into the read model, exactly once; then starts the
     * webhook deliveries it queued and wakes the e-mail relay. Deliveries run as workflows of their own, e-mails in
     * the relay: the request never waits for a subscriber or a mail server.
     */
    async recordEvent(input: RecordEventInput): Promise<void> {
      const recorded = await recordEvent(db, input, notifications?.mail);
      if (recorded.deliveries.length > 0) await webhooks.dispatch(recorded.deliveries);
      if (recorded.notifications.length > 0) notifications?.relay.wake();
    },

    /** After a document's removal is on record: its bytes go, unless another document still has them. */
    async eraseDocumentContent(sha256: string): Promise<void> {
      await eraseUnreferencedContent(db, sha256);
    },

    /** The hourly housekeeping of signing in (workflows/sign-in-housekeeping.ts): what can serve nobody any more. */
    async pruneSignInRecords(): Promise<PrunedSignInRecords> {
      return pruneSignInRecords(db);
    },

    /** The Steering Committee as it stands now: everyone with the sc_member role. */
    async listReviewers(): Promise<Array<{ userId: string; name: string; country: string | null }>> {
      const members = await db
        .select({ userId: users.id, name: users.name, country: users.country })
        .from(users)
        .where(eq(users.role, 'sc_member'))
        .orderBy(asc(users.name));
      return members;
    },
  };
}
