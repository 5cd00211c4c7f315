import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import { SIGN_IN_HOUSEKEEPING_WORKFLOW } from '../workflows/sign-in-housekeeping';

/**
 * One schedule per task queue — per deployment: its workers hold its database. Several dialogues served by one
 * Temporal namespace each prune their own.
 */
export const signInHousekeepingScheduleId = (taskQueue: string): string => `sign-in-housekeeping-${taskQueue}`;

/**
 * Makes sure the hourly housekeeping of signing in is scheduled (workflows/sign-in-housekeeping.ts). Every worker
 * calls it at start; the first creates the schedule, the others find it there. A run still going when the next is
 * due is not doubled, and runs missed while the server was down are not made up: the next deletes the same rows.
 */
export async function scheduleSignInHousekeeping(client: Client, taskQueue: string): Promise<void> {
  const scheduleId = signInHousekeepingScheduleId(taskQueue);
  try {
    await client.schedule.create({
      scheduleId,
      spec: { intervals: [{ every: '1 hour' }] },
      action: { type: 'startWorkflow', workflowType: SIGN_IN_HOUSEKEEPING_WORKFLOW, workflowId: scheduleId, taskQueue, args: [] },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 minute' },
    });
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
  }
}
