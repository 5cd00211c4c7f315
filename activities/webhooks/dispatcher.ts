import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import {
  WEBHOOK_DELIVERY_WORKFLOW,
  webhookDeliveryWorkflowId,
  type WebhookDeliveryInput,
  type WebhookRetryPolicy,
} from '../../workflows/webhook-delivery';

/** Deliveries run on a task queue of their own, next to the requests' one. */
export const webhookTaskQueue = (requestTaskQueue: string): string => `${requestTaskQueue}-webhooks`;

export interface WebhookDispatcher {
  /** Starts the delivery workflow of each delivery; starting one that already runs is a no-op. */
  dispatch(deliveries: Array<{ id: string; redeliveries: number }>): Promise<void>;
}

export function createWebhookDispatcher(options: { client: Client; taskQueue: string; retry: WebhookRetryPolicy }): WebhookDispatcher {
  return {
    async dispatch(deliveries) {
      await Promise.all(
        deliveries.map(async ({ id, redeliveries }) => {
          const input: WebhookDeliveryInput = { deliveryId: id, retry: options.retry };
          try {
            await options.client.workflow.start(WEBHOOK_DELIVERY_WORKFLOW, {
              taskQueue: webhookTaskQueue(options.taskQueue),
              workflowId: webhookDeliveryWorkflowId(id, redeliveries),
              args: [input],
              // One workflow per delivery (and per redelivery), ever: a late retry never sends a delivered one again.
              workflowIdReusePolicy: 'REJECT_DUPLICATE',
            });
          } catch (error) {
            // A retried activity dispatches again what it dispatched before it failed: already started is done.
            if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
          }
        }),
      );
    },
  };
}
