import { ApplicationFailure, Context } from '@temporalio/activity';
import { and, eq, ne, sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { notifications, users } from '../../db/schema';
import { MailNotSent, type Mailer } from './mailer';

/**
 * The side effects of an e-mail notification: the SMTP conversation and the outbox row. Every attempt is recorded
 * on the row (count, time, the server's answer) before Temporal decides whether to try again.
 */
export function createNotificationActivities({ db, mailer }: { db: Database; mailer: Mailer | null }) {
  const record = (notificationId: string, change: Partial<typeof notifications.$inferInsert>) =>
    db
      .update(notifications)
      .set({ ...change, attempts: sql`${notifications.attempts} + 1`, lastAttemptAt: new Date().toISOString() })
      .where(eq(notifications.id, notificationId));

  return {
    async sendNotification(notificationId: string): Promise<'sent' | 'cancelled'> {
      const [row] = await db
        .select({ status: notifications.status, subject: notifications.subject, body: notifications.body, email: users.email })
        .from(notifications)
        .innerJoin(users, eq(users.id, notifications.userId))
        .where(eq(notifications.id, notificationId));
      if (!row) throw ApplicationFailure.nonRetryable(`Notification ${notificationId} is not on record`, 'NotificationNotFound');
      if (row.status === 'sent' || row.status === 'cancelled') return row.status;
      if (row.email === null) {
        // The person removed their address after the message was queued: they asked not to be written to.
        await record(notificationId, { status: 'cancelled', lastError: 'The person has no e-mail address any more.' });
        return 'cancelled';
      }
      // The outbox keeps it until a worker with a mail server picks it up again (Temporal retries this attempt).
      if (!mailer) throw ApplicationFailure.retryable('No mail server is configured (SMTP_URL) on the worker that took this e-mail.', 'MailNotConfigured');
      try {
        await mailer.send({
          to: row.email,
          subject: row.subject,
          text: row.body,
          messageId: `<notification-${notificationId}@rabat-capacity-requests>`,
          signal: Context.current().cancellationSignal,
        });
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        await record(notificationId, { status: 'retrying', lastError: reason });
        if (error instanceof MailNotSent && error.permanent) throw ApplicationFailure.nonRetryable(reason, 'MailRefused');
        throw ApplicationFailure.retryable(reason, 'MailNotSent');
      }
      await record(notificationId, { status: 'sent', sentTo: row.email, sentAt: new Date().toISOString(), lastError: null });
      return 'sent';
    },

    /** The last attempt failed, or the server refused for good: the e-mail waits in the dead letters. */
    async markNotificationDead(notificationId: string, reason: string): Promise<void> {
      await db
        .update(notifications)
        .set({ status: 'dead', lastError: reason })
        .where(and(eq(notifications.id, notificationId), ne(notifications.status, 'sent')));
    },
  };
}
