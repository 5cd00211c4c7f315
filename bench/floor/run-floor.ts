import { Client, Connection, WithStartWorkflowOperation } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { fileURLToPath } from 'node:url';
import { now, summarize, type LatencySummary } from '../measure';
import { floorStep, type ActivityKind } from './workflows';

export interface FloorResult {
  /** Activities as server-dispatched tasks, or local to the workflow task. */
  activityKind: ActivityKind;
  lifecycles: number;
  concurrency: number;
  plan: number[];
  seconds: number;
  lifecyclesPerSecond: number;
  /** A bare update's round trip (client → server → worker → server → client), with its activities. */
  updateRoundTrip: LatencySummary;
}

/** Part 1: bare Temporal, driven by a bare client — lifecycles per second. */
export async function runFloor(temporalAddress: string, options: { lifecycles: number; concurrency: number; plan: number[]; activityKind: ActivityKind }): Promise<FloorResult> {
  const taskQueue = `bench-floor-${options.activityKind}-${Date.now()}`;
  const nativeConnection = await NativeConnection.connect({ address: temporalAddress });
  const worker = await Worker.create({
    connection: nativeConnection,
    taskQueue,
    workflowsPath: fileURLToPath(new URL('./workflows.ts', import.meta.url)),
    activities: { noop: async () => undefined },
  });
  const running = worker.run();
  const connection = await Connection.connect({ address: temporalAddress });
  const client = new Client({ connection });
  const latencies: number[] = [];
  const timed = async <T>(call: () => Promise<T>) => {
    const started = now();
    const result = await call();
    latencies.push(now() - started);
    return result;
  };

  const lifecycle = async (n: number) => {
    const workflowId = `floor-${taskQueue}-${n}`;
    const start = new WithStartWorkflowOperation('floorLifecycle', {
      workflowId,
      taskQueue,
      args: [options.plan, options.activityKind],
      workflowIdConflictPolicy: 'FAIL',
    });
    await timed(() => client.workflow.executeUpdateWithStart(floorStep, { args: [0], startWorkflowOperation: start }));
    const handle = client.workflow.getHandle(workflowId);
    for (let i = 1; i < options.plan.length; i++) await timed(() => handle.executeUpdate(floorStep, { args: [i] }));
    await handle.result();
  };

  await lifecycle(-1); // warm-up: the worker's first workflow loads the bundle
  latencies.length = 0;
  const started = now();
  let next = 0;
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (next < options.lifecycles) await lifecycle(next++);
    }),
  );
  const seconds = (now() - started) / 1000;
  worker.shutdown();
  await running;
  await connection.close();
  await nativeConnection.close();
  return {
    activityKind: options.activityKind,
    lifecycles: options.lifecycles,
    concurrency: options.concurrency,
    plan: options.plan,
    seconds: Math.round(seconds * 100) / 100,
    lifecyclesPerSecond: Math.round((options.lifecycles / seconds) * 100) / 100,
    updateRoundTrip: summarize(latencies),
  };
}
