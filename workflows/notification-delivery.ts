import { proxyActivities } from '@temporalio/workflow';
import type { createNotificationActivities } from '../activities/notifications/create-notification-activities';
import { sendingOptions, sendOrDeadLetter, type DeliveryRetryPolicy } from './outbound-delivery';

/**
 * One e-mail: send it through the mail server, retrying with backoff while the server is unreachable or answers
 * "try later" (4xx); a permanent refusal (5xx) or the last attempt dead-letters it. It runs on the deliveries' task
 * queue, next to the webhooks, so a slow mail server holds none of the requests' own slots.
 */

export const NOTIFICATION_DELIVERY_WORKFLOW = 'deliverNotification';
export const notificationDeliveryWorkflowId = (notificationId: string): string => `notification-${notificationId}`;

export interface NotificationDeliveryInput {
  notificationId: string;
  retry: DeliveryRetryPolicy;
}

export async function deliverNotification({ notificationId, retry }: NotificationDeliveryInput): Promise<'sent' | 'dead' | 'cancelled'> {
  const { sendNotification } = proxyActivities<ReturnType<typeof createNotificationActivities>>(sendingOptions(retry));
  const { markNotificationDead } = proxyActivities<ReturnType<typeof createNotificationActivities>>({ startToCloseTimeout: '30 seconds' });
  return sendOrDeadLetter(
    () => sendNotification(notificationId),
    (reason) => markNotificationDead(notificationId, reason),
  );
}
