import { ActivityFailure, isCancellation, proxyActivities } from '@temporalio/workflow';
import type { createWebhookActivities } from '../activities/webhooks/create-webhook-activities';

/**
 * One webhook delivery: send, and let Temporal retry with exponential backoff until the subscriber answers 2xx
 * or the attempts run out; then the delivery is dead-lettered, for an administrator to redeliver. It runs on its
 * own task queue, so a slow or dead subscriber holds none of the slots that requests' own activities use.
 */

export const WEBHOOK_DELIVERY_WORKFLOW = 'deliverWebhook';
export const webhookDeliveryWorkflowId = (deliveryId: string, redelivery: number): string =>
  redelivery === 0 ? `webhook-delivery-${deliveryId}` : `webhook-delivery-${deliveryId}-redelivery-${redelivery}`;

/** Durations in milliseconds. */
export interface WebhookRetryPolicy {
  maximumAttempts: number;
  initialIntervalMs: number;
  maximumIntervalMs: number;
  /** How long the subscriber has to answer one attempt. */
  attemptTimeoutMs: number;
}

export interface WebhookDeliveryInput {
  deliveryId: string;
  retry: WebhookRetryPolicy;
}

export async function deliverWebhook({ deliveryId, retry }: WebhookDeliveryInput): Promise<'delivered' | 'dead' | 'cancelled'> {
  const { sendWebhook } = proxyActivities<ReturnType<typeof createWebhookActivities>>({
    // Room beyond the subscriber's time to log the attempt.
    startToCloseTimeout: retry.attemptTimeoutMs + 10_000,
    retry: {
      initialInterval: retry.initialIntervalMs,
      maximumInterval: retry.maximumIntervalMs,
      backoffCoefficient: 2,
      maximumAttempts: retry.maximumAttempts,
    },
  });
  const { markDeliveryDead } = proxyActivities<ReturnType<typeof createWebhookActivities>>({ startToCloseTimeout: '30 seconds' });
  try {
    return await sendWebhook({ deliveryId, timeoutMs: retry.attemptTimeoutMs });
  } catch (error) {
    if (isCancellation(error) || !(error instanceof ActivityFailure)) throw error;
    const reason = error.cause?.message ?? error.message;
    await markDeliveryDead(deliveryId, reason);
    return 'dead';
  }
}
