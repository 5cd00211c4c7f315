import { proxyActivities } from '@temporalio/workflow';
import type { createActivities } from '../activities/create-activities';
import type { PrunedSignInRecords } from '../db/sign-in-housekeeping';

/**
 * Deletes what signing in leaves behind once it serves nobody (db/sign-in-housekeeping.ts): ended sessions, spent
 * secrets, old attempts, expired challenges and states. Started every hour by a Temporal schedule, not a timer in a
 * process: it runs once an hour whichever workers are up, and an hour missed while all were down is simply skipped
 * (the next run deletes the same rows). One idempotent activity, retried until Postgres answers.
 */
export const SIGN_IN_HOUSEKEEPING_WORKFLOW = 'signInHousekeeping';

export async function signInHousekeeping(): Promise<PrunedSignInRecords> {
  const { pruneSignInRecords } = proxyActivities<ReturnType<typeof createActivities>>({
    startToCloseTimeout: '2 minutes',
    retry: { initialInterval: '5 seconds', maximumInterval: '5 minutes' },
  });
  return pruneSignInRecords();
}
