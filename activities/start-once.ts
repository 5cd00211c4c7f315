import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';

/**
 * Starts a workflow whose ID names one piece of work for good (a delivery, an e-mail). Starting it again, as a
 * retried activity does, is a no-op, and a finished one is never started anew: nothing is sent twice that way.
 */
export async function startOnce(client: Client, workflowType: string, options: { taskQueue: string; workflowId: string; args: unknown[] }): Promise<void> {
  try {
    await client.workflow.start(workflowType, { ...options, workflowIdReusePolicy: 'REJECT_DUPLICATE' });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
}
