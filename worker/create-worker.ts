import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { fileURLToPath } from 'node:url';
import { createActivities } from '../activities/create-activities';
import { encryptingDataConverter } from '../codec/data-converter';
import type { Keyring } from '../codec/keyring';
import type { Config } from '../config/env';
import type { Database } from '../db/client';

export const WORKFLOWS_PATH = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

export interface RequestWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  db: Database;
  /** A prebuilt bundle (production); without it the worker bundles workflows/ at start (development). */
  workflowBundlePath?: string;
  /** Payload encryption: the worker must read what the API wrote, and write what it can read. */
  keyring: Keyring;
  /** Replaces the activities, e.g. to inject a fault in a test. */
  activities?: ReturnType<typeof createActivities>;
}

/**
 * Once per process, before any worker or connection: our own shutdown code stops the worker in the right
 * order (API first), so the SDK must not react to Ctrl-C by itself; and webpack's bundling report is noise.
 */
export function installWorkerRuntime(logLevel: 'WARN' | 'INFO' | 'DEBUG' = 'WARN'): void {
  Runtime.install({ logger: new DefaultLogger(logLevel), shutdownSignals: [] });
}

export async function createRequestWorker(options: RequestWorkerOptions): Promise<Worker> {
  const workflowSource = options.workflowBundlePath
    ? { workflowBundle: { codePath: options.workflowBundlePath } }
    : { workflowsPath: WORKFLOWS_PATH };
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    activities: options.activities ?? createActivities({ db: options.db }),
    dataConverter: encryptingDataConverter(options.keyring),
    ...workflowSource,
  });
}

export interface RunningWorker {
  worker: Worker;
  /** Stops polling, lets running tasks finish, and closes the connection. */
  stop(): Promise<void>;
  /** Settles when the worker has stopped (or failed). */
  done: Promise<void>;
}

/** Connects to Temporal and runs the worker with the project's configuration. */
export async function startRequestWorker(
  config: Pick<Config, 'TEMPORAL_NAMESPACE' | 'TEMPORAL_TASK_QUEUE' | 'WORKFLOW_BUNDLE_PATH'>,
  servers: { temporalAddress: string; db: Database; keyring: Keyring },
): Promise<RunningWorker> {
  const connection = await NativeConnection.connect({ address: servers.temporalAddress });
  const worker = await createRequestWorker({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    db: servers.db,
    workflowBundlePath: config.WORKFLOW_BUNDLE_PATH,
    keyring: servers.keyring,
  });
  const done = worker.run().finally(() => connection.close());
  return {
    worker,
    done,
    async stop() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await done;
    },
  };
}
