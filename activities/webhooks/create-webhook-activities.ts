import { ApplicationFailure, Context } from '@temporalio/activity';
import { and, eq, ne, sql } from 'drizzle-orm';
import { withoutPersonalData } from '../../api/access-rules';
import type { Database } from '../../db/client';
import { requestEvents, webhookAttempts, webhookDeliveries, webhookSubscriptions } from '../../db/schema';
import { openSecret } from '../../codec/sealed-secret';
import type { Keyring } from '../../codec/keyring';
import { signWebhook, WEBHOOK_SECRET_CONTEXT } from './signature';
import { isoOfStored } from '../../db/stored-instants';

export const WEBHOOK_USER_AGENT = 'rabat-capacity-requests-webhooks/1';

export interface SendWebhookInput {
  deliveryId: string;
  /** One attempt's budget for the subscriber's answer. */
  timeoutMs: number;
}

/**
 * The side effects of a webhook delivery: the HTTP call and the delivery log. Every attempt is logged, with the
 * subscriber's status code or the network error, before Temporal decides whether to try again.
 */
export function createWebhookActivities({ db, keyring }: { db: Database; keyring: Keyring }) {
  async function load(deliveryId: string) {
    const [row] = await db
      .select({
        status: webhookDeliveries.status,
        url: webhookSubscriptions.url,
        secret: webhookSubscriptions.secret,
        disabledAt: webhookSubscriptions.disabledAt,
        eventId: requestEvents.id,
        requestId: requestEvents.requestId,
        seq: requestEvents.seq,
        type: requestEvents.type,
        occurredAt: requestEvents.occurredAt,
        actorName: requestEvents.actorName,
        actorRole: requestEvents.actorRole,
        phaseBefore: requestEvents.phaseBefore,
        phaseAfter: requestEvents.phaseAfter,
        payload: requestEvents.payload,
      })
      .from(webhookDeliveries)
      .innerJoin(webhookSubscriptions, eq(webhookSubscriptions.id, webhookDeliveries.subscriptionId))
      .innerJoin(requestEvents, eq(requestEvents.id, webhookDeliveries.eventId))
      .where(eq(webhookDeliveries.id, deliveryId));
    return row;
  }

  async function logAttempt(deliveryId: string, attempt: { at: Date; durationMs: number; statusCode: number | null; error: string | null }) {
    const delivered = attempt.statusCode !== null && attempt.statusCode >= 200 && attempt.statusCode < 300;
    await db.transaction(async (tx) => {
      await tx.insert(webhookAttempts).values({
        deliveryId,
        attemptedAt: attempt.at.toISOString(),
        durationMs: attempt.durationMs,
        statusCode: attempt.statusCode,
        error: attempt.error,
      });
      await tx
        .update(webhookDeliveries)
        .set({
          attempts: sql`${webhookDeliveries.attempts} + 1`,
          lastAttemptAt: attempt.at.toISOString(),
          lastStatusCode: attempt.statusCode,
          lastError: attempt.error,
          status: delivered ? 'delivered' : 'retrying',
          ...(delivered ? { deliveredAt: attempt.at.toISOString() } : {}),
        })
        .where(eq(webhookDeliveries.id, deliveryId));
    });
  }

  return {
    async sendWebhook({ deliveryId, timeoutMs }: SendWebhookInput): Promise<'delivered' | 'cancelled'> {
      const delivery = await load(deliveryId);
      if (!delivery) throw ApplicationFailure.nonRetryable(`Webhook delivery ${deliveryId} is not on record`, 'DeliveryNotFound');
      if (delivery.status === 'delivered') return 'delivered';
      if (delivery.disabledAt) {
        await db.update(webhookDeliveries).set({ status: 'cancelled' }).where(eq(webhookDeliveries.id, deliveryId));
        return 'cancelled';
      }
      const body = JSON.stringify({
        type: delivery.type,
        timestamp: isoOfStored(delivery.occurredAt),
        data: {
          eventId: delivery.eventId,
          requestId: delivery.requestId,
          seq: delivery.seq,
          actor: { name: delivery.actorName, role: delivery.actorRole },
          phaseBefore: delivery.phaseBefore,
          phaseAfter: delivery.phaseAfter,
          // Subscribers are other systems: they get what a monitor sees, never personal data.
          payload: withoutPersonalData(delivery.payload),
        },
      });
      const startedAt = new Date();
      const timestamp = Math.floor(startedAt.getTime() / 1000);
      let statusCode: number | null = null;
      let error: string | null = null;
      try {
        const response = await fetch(delivery.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'user-agent': WEBHOOK_USER_AGENT,
            'webhook-id': deliveryId,
            'webhook-timestamp': String(timestamp),
            'webhook-signature': signWebhook(openSecret(keyring, delivery.secret, WEBHOOK_SECRET_CONTEXT), { id: deliveryId, timestamp, body }),
          },
          body,
          // A redirect is an answer we do not follow: the subscriber registered this URL, not another.
          redirect: 'manual',
          signal: AbortSignal.any([Context.current().cancellationSignal, AbortSignal.timeout(timeoutMs)]),
        });
        statusCode = response.status;
        await response.body?.cancel();
        if (statusCode < 200 || statusCode >= 300) error = `The subscriber answered HTTP ${statusCode}`;
      } catch (cause) {
        error = cause instanceof Error && cause.name === 'TimeoutError' ? `No answer within ${timeoutMs} ms` : describe(cause);
      }
      await logAttempt(deliveryId, { at: startedAt, durationMs: Date.now() - startedAt.getTime(), statusCode, error });
      if (error) throw ApplicationFailure.retryable(error, 'WebhookNotDelivered');
      return 'delivered';
    },

    /** The last attempt failed: the delivery waits in the dead letters for an administrator. */
    async markDeliveryDead(deliveryId: string, reason: string): Promise<void> {
      await db
        .update(webhookDeliveries)
        .set({ status: 'dead', lastError: reason })
        .where(and(eq(webhookDeliveries.id, deliveryId), ne(webhookDeliveries.status, 'delivered')));
    },
  };
}

function describe(cause: unknown): string {
  if (!(cause instanceof Error)) return String(cause);
  const inner = cause.cause instanceof Error ? `: ${cause.cause.message}` : '';
  return `${cause.message}${inner}`;
}
