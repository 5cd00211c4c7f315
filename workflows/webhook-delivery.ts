import { proxyActivities } from '@temporalio/workflow';
import type { createWebhookActivities } from '../activities/webhooks/create-webhook-activities';
import { sendingOptions, sendOrDeadLetter, type DeliveryRetryPolicy } from './outbound-delivery';

/**
 * One webhook delivery: send, and let Temporal retry with exponential backoff until the subscriber answers 2xx
 * or the attempts run out; then the delivery is dead-lettered, for an administrator to redeliver. It runs on its
 * own task queue, so a slow or dead subscriber holds none of the slots that requests' own activities use.
 */

export const WEBHOOK_DELIVERY_WORKFLOW = 'deliverWebhook';
export const webhookDeliveryWorkflowId = (deliveryId: string, redelivery: number): string =>
  redelivery === 0 ? `webhook-delivery-${deliveryId}` : `webhook-delivery-${deliveryId}-redelivery-${redelivery}`;

export type WebhookRetryPolicy = DeliveryRetryPolicy;

export interface WebhookDeliveryInput {
  deliveryId: string;
  retry: WebhookRetryPolicy;
}

export async function deliverWebhook({ deliveryId, retry }: WebhookDeliveryInput): Promise<'delivered' | 'dead' | 'cancelled'> {
  const { sendWebhook } = proxyActivities<ReturnType<typeof createWebhookActivities>>(sendingOptions(retry));
  const { markDeliveryDead } = proxyActivities<ReturnType<typeof createWebhookActivities>>({ startToCloseTimeout: '30 seconds' });
  return sendOrDeadLetter(
    () => sendWebhook({ deliveryId, timeoutMs: retry.attemptTimeoutMs }),
    (reason) => markDeliveryDead(deliveryId, reason),
  );
}
