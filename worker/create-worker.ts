import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { fileURLToPath } from 'node:url';
import { createActivities } from '../activities/create-activities';
import { encryptingDataConverter } from '../codec/data-converter';
import type { Keyring } from '../codec/keyring';
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
