import { MailNotSent, type Mailer } from '../activities/notifications/mailer';
import { unsubscribePath } from '../activities/notifications/unsubscribe-link';
import type { Keyring } from '../codec/keyring';
import type { Database } from '../db/client';
import { claimDueNotifications, recordAttempt, type ClaimedNotification } from '../db/notifications-repository';
import { SECRET_BEARING_REASONS } from '../db/schema';
import type { WebhookRetryPolicy } from '../workflows/webhook-delivery';

/**
 * Sends the e-mail outbox (the notifications table). The messages are queued in their event's transaction; this
 * relay, in the worker process, claims the due ones in batches (several workers share the table: a claimed row is
 * skipped by the others), sends each through the mail server, and records the outcome. A failure is tried again
 * with exponential backoff; a permanent refusal (5xx) or the last attempt dead-letters the message.
 *
 * Not a Temporal workflow per message, as webhooks are: measured, a workflow per e-mail (9 per request lifecycle)
 * halved the product's throughput (bench/results/2026-11-29T13-25-03.json, commit 3dbcc59), while this relay costs one query per batch.
 * Durability is the outbox's: a message is on record before it is sent, and a relay that dies leaves its claims to run
 * out, after which another takes them. What that can do is send a message twice; it keeps its Message-ID, so mail
 * programs show it once.
 */
export interface NotificationRelay {
  /** Something was queued: look now rather than at the next poll. */
  wake(): void;
  /** Lets the attempts in progress finish, then stops. */
  stop(): Promise<void>;
}

export interface RelayOptions {
  db: Database;
  mailer: Mailer;
  /** The webhooks' retry settings (WEBHOOK_*): attempts, backoff, the time one attempt may take. */
  retry: WebhookRetryPolicy;
  /** Where a failure to reach Postgres is told (the worker's Temporal runtime logger). */
  logger?: { warn(message: string, meta?: Record<string, unknown>): void };
  /**
   * Where the one-click unsubscribe link of each notification points (PUBLIC_URL, the API's public address) and the
   * keyring that signs it; null: no List-Unsubscribe header (mail programs need an absolute https link).
   */
  unsubscribe?: { publicUrl: string; keyring: Keyring } | null;
  /** How often to look when nobody wakes the relay: for retries, and messages queued by other workers. */
  idlePollMs?: number;
  batchSize?: number;
}

const DEFAULT_IDLE_POLL_MS = 1_000;
const DEFAULT_BATCH_SIZE = 20;

export function startNotificationRelay(options: RelayOptions): NotificationRelay {
  const { db, mailer, retry } = options;
  const idlePollMs = options.idlePollMs ?? DEFAULT_IDLE_POLL_MS;
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  // Long enough for one attempt and its record; a claim outliving its relay only delays the message this long.
  const leaseMs = retry.attemptTimeoutMs + 30_000;
  let stopped = false;
  let wakeUp: (() => void) | null = null;
  let woken = false;
  const retryTimers = new Set<NodeJS.Timeout>();

  const wake = () => {
    woken = true;
    wakeUp?.();
  };
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      if (woken || stopped) return resolve();
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wakeUp = null;
        resolve();
      }
      wakeUp = done;
    });

  /**
   * RFC 8058 one-click unsubscribe: mail programs show an "Unsubscribe" button that POSTs to the link. Not on an
   * address confirmation: that address receives nothing else until confirmed.
   */
  function unsubscribeHeaders(message: ClaimedNotification, to: string): Record<string, string> {
    const unsubscribe = options.unsubscribe;
    if (!unsubscribe || SECRET_BEARING_REASONS.includes(message.reason)) return {};
    const url = `${unsubscribe.publicUrl.replace(/\/+$/, '')}${unsubscribePath(unsubscribe.keyring, message.userId, to)}`;
    return { 'List-Unsubscribe': `<${url}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' };
  }

  /** Exponential backoff from the first wait, doubling, up to the maximum. */
  const backoffMs = (attempt: number) => Math.min(retry.initialIntervalMs * 2 ** (attempt - 1), retry.maximumIntervalMs);

  async function deliver(message: ClaimedNotification): Promise<void> {
    if (message.email === null) {
      // The person removed their address after the message was queued: they asked not to be written to.
      await recordAttempt(db, message.notificationId, { cancelled: 'The person has no e-mail address any more.' });
      return;
    }
    try {
      await mailer.send({
        to: message.email,
        subject: message.subject,
        text: message.body,
        messageKey: `notification-${message.notificationId}`,
        queuedAt: message.queuedAt,
        signal: AbortSignal.timeout(retry.attemptTimeoutMs),
        headers: unsubscribeHeaders(message, message.email),
      });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      const attempt = message.attempts + 1;
      if ((error instanceof MailNotSent && error.permanent) || attempt >= retry.maximumAttempts) {
        await recordAttempt(db, message.notificationId, { error: reason, dead: true });
        return;
      }
      const waitMs = backoffMs(attempt);
      await recordAttempt(db, message.notificationId, { error: reason, retryAt: new Date(Date.now() + waitMs) });
      const timer = setTimeout(() => {
        retryTimers.delete(timer);
        wake();
      }, waitMs);
      retryTimers.add(timer);
      return;
    }
    await recordAttempt(db, message.notificationId, { sentTo: message.email });
  }

  async function run(): Promise<void> {
    while (!stopped) {
      woken = false;
      let claimed: ClaimedNotification[] = [];
      try {
        claimed = await claimDueNotifications(db, { limit: batchSize, leaseMs });
        await Promise.all(
          claimed.map((message) =>
            deliver(message).catch((error: unknown) => {
              // Postgres unreachable while recording: the claim runs out and the message is taken again.
              options.logger?.warn('Could not record an e-mail attempt; it is tried again once its claim runs out', { error: String(error), notificationId: message.notificationId });
            }),
          ),
        );
      } catch (error) {
        options.logger?.warn('Could not read the e-mail outbox; trying again shortly', { error: String(error) });
      }
      if (claimed.length < batchSize) await pause(idlePollMs);
    }
  }

  const running = run();
  return {
    wake,
    async stop() {
      stopped = true;
      for (const timer of retryTimers) clearTimeout(timer);
      wakeUp?.();
      await running;
    },
  };
}
