import type { Client } from '@temporalio/client';
import { NOTIFICATION_DELIVERY_WORKFLOW, notificationDeliveryWorkflowId, type NotificationDeliveryInput } from '../../workflows/notification-delivery';
import type { DeliveryRetryPolicy } from '../../workflows/outbound-delivery';
import { startOnce } from '../start-once';
import { webhookTaskQueue } from '../webhooks/dispatcher';

export interface NotificationDispatcher {
  /** Starts one delivery workflow per e-mail; one already started (by an earlier try) is left as it is. */
  dispatch(notificationIds: string[]): Promise<void>;
}

export function createNotificationDispatcher(options: { client: Client; taskQueue: string; retry: DeliveryRetryPolicy }): NotificationDispatcher {
  return {
    async dispatch(notificationIds) {
      await Promise.all(
        notificationIds.map((notificationId) => {
          const input: NotificationDeliveryInput = { notificationId, retry: options.retry };
          return startOnce(options.client, NOTIFICATION_DELIVERY_WORKFLOW, {
            taskQueue: webhookTaskQueue(options.taskQueue),
            workflowId: notificationDeliveryWorkflowId(notificationId),
            args: [input],
          });
        }),
      );
    },
  };
}
