import { condition, defineUpdate, proxyActivities, proxyLocalActivities, setHandler } from '@temporalio/workflow';

/**
 * The engine's floor: a workflow with the shape of one request's lifecycle — the same number of updates, each
 * running the same number of activities in sequence as the real step does — and nothing else: no-op activities,
 * no rules, no state, default payload converter.
 */

export const floorStep = defineUpdate<number, [number]>('floorStep');

/** How the activities run: as tasks the server dispatches, or locally in the workflow task (as the product's do). */
export type ActivityKind = 'task' | 'local';

type NoopActivities = { noop: () => Promise<void> };
const options = { startToCloseTimeout: '30 seconds' } as const;
const byKind: Record<ActivityKind, NoopActivities> = {
  task: proxyActivities<NoopActivities>(options),
  local: proxyLocalActivities<NoopActivities>(options),
};

/** `plan[i]`: how many activities update `i` runs. The workflow ends after the last update. */
export async function floorLifecycle(plan: number[], kind: ActivityKind = 'task'): Promise<void> {
  const { noop } = byKind[kind];
  let done = 0;
  setHandler(floorStep, async (index) => {
    for (let i = 0; i < (plan[index] ?? 0); i++) await noop();
    done += 1;
    return index;
  });
  await condition(() => done === plan.length);
}
