import { ActivityFailure, isCancellation, type ActivityOptions } from '@temporalio/workflow';

/**
 * What webhook deliveries and e-mails share: one activity sends, Temporal retries it with exponential backoff until
 * it succeeds or the attempts run out, and then the delivery is dead-lettered for an administrator to look at.
 */

/** Durations in milliseconds. */
export interface DeliveryRetryPolicy {
  maximumAttempts: number;
  initialIntervalMs: number;
  maximumIntervalMs: number;
  /** How long the other side has to answer one attempt. */
  attemptTimeoutMs: number;
}

/** The sending activity's options: room beyond the other side's time to log the attempt. */
export const sendingOptions = (retry: DeliveryRetryPolicy): ActivityOptions => ({
  startToCloseTimeout: retry.attemptTimeoutMs + 10_000,
  retry: {
    initialInterval: retry.initialIntervalMs,
    maximumInterval: retry.maximumIntervalMs,
    backoffCoefficient: 2,
    maximumAttempts: retry.maximumAttempts,
  },
});

/** Sends; when the last attempt failed (or the failure was final), dead-letters with the reason and answers 'dead'. */
export async function sendOrDeadLetter<T>(send: () => Promise<T>, deadLetter: (reason: string) => Promise<void>): Promise<T | 'dead'> {
  try {
    return await send();
  } catch (error) {
    if (isCancellation(error) || !(error instanceof ActivityFailure)) throw error;
    await deadLetter(error.cause?.message ?? error.message);
    return 'dead';
  }
}
