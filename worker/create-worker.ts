import { DefaultLogger, NativeConnection, Runtime, Worker, type LogEntry } from '@temporalio/worker';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { createActivities } from '../activities/create-activities';
import { createMailer } from '../activities/notifications/mailer';
import { createWebhookActivities } from '../activities/webhooks/create-webhook-activities';
import { createWebhookDispatcher, webhookTaskQueue } from '../activities/webhooks/dispatcher';
import { encryptingDataConverter } from '../codec/data-converter';
import type { Keyring } from '../codec/keyring';
import { dialogueFrom, mailFrom, policyFrom, webhookRetryFrom, type Config } from '../config/env';
import { RequestWorkflows } from '../api/request-workflows';
import type { Database } from '../db/client';
import { startNotificationRelay, type NotificationRelay } from './notification-relay';
import { cachedRequestsFor } from './memory-budget';
import { scheduleSignInHousekeeping } from './sign-in-housekeeping-schedule';

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
  /** What the workflows' activities do (createActivities; a test may wrap them to inject a fault). */
  activities: ReturnType<typeof createActivities>;
  /**
   * How many requests' workflows stay in memory between their steps (0: none). Unset: the SDK's default, sized from
   * the heap (about 600 per GiB). A request not in memory is replayed from its history at its next step.
   */
  maxCachedWorkflows?: number;
}

/**
 * Once per process, before any worker or connection: our own shutdown code stops the worker in the right
 * order (API first), so the SDK must not react to Ctrl-C by itself; and webpack's bundling report is noise.
 */
export function installWorkerRuntime(logLevel: 'WARN' | 'INFO' | 'DEBUG' = 'WARN', log?: (entry: LogEntry) => void): void {
  if (!log) {
    Runtime.install({ logger: new DefaultLogger(logLevel), shutdownSignals: [] });
    return;
  }
  // The SDK's native core prints its own lines otherwise (npm start's console would mix two formats): forwarded here.
  Runtime.install({
    logger: new DefaultLogger(logLevel, log),
    telemetryOptions: { logging: { filter: { core: logLevel, other: logLevel }, forward: {} } },
    shutdownSignals: [],
  });
}

const workflowSource = (bundlePath: string | undefined) =>
  bundlePath ? { workflowBundle: { codePath: bundlePath } } : { workflowsPath: WORKFLOWS_PATH };

export async function createRequestWorker(options: RequestWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    activities: options.activities,
    dataConverter: encryptingDataConverter(options.keyring),
    ...workflowSource(options.workflowBundlePath),
    ...(options.maxCachedWorkflows === undefined ? {} : { maxCachedWorkflows: options.maxCachedWorkflows }),
  });
}

/**
 * The worker of webhook deliveries, on a task queue of its own: a subscriber that answers slowly holds its
 * slots, never those of the requests' activities.
 */
export async function createWebhookWorker(options: Omit<RequestWorkerOptions, 'webhooks' | 'activities'>): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: webhookTaskQueue(options.taskQueue),
    activities: createWebhookActivities({ db: options.db, keyring: options.keyring }),
    dataConverter: encryptingDataConverter(options.keyring),
    ...workflowSource(options.workflowBundlePath),
  });
}

export interface RunningWorker {
  worker: Worker;
  webhookWorker: Worker;
  /** Stops polling, lets running tasks finish, and closes the connection. */
  stop(): Promise<void>;
  /** Settles when the worker has stopped (or failed). */
  done: Promise<void>;
}

/** Connects to Temporal and runs the workers (requests, webhook deliveries) with the project's configuration. */
export async function startRequestWorker(
  config: Config,
  servers: {
    temporalAddress: string;
    db: Database;
    keyring: Keyring;
    /** Wraps the real activities, e.g. for the chaos run's fault that kills the worker right after a write. */
    wrapActivities?: (real: ReturnType<typeof createActivities>) => ReturnType<typeof createActivities>;
  },
): Promise<RunningWorker> {
  const connection = await NativeConnection.connect({ address: servers.temporalAddress });
  const clientConnection = await Connection.connect({ address: servers.temporalAddress });
  const client = new Client({
    connection: clientConnection,
    namespace: config.TEMPORAL_NAMESPACE,
    dataConverter: encryptingDataConverter(servers.keyring),
  });
  const common = {
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    db: servers.db,
    workflowBundlePath: config.WORKFLOW_BUNDLE_PATH,
    keyring: servers.keyring,
  };
  const retry = webhookRetryFrom(config);
  const webhooks = createWebhookDispatcher({ client, taskQueue: config.TEMPORAL_TASK_QUEUE, retry });
  // E-mails retry as webhooks do (WEBHOOK_* settings); without a mail server, none is queued.
  const mailer = config.SMTP_URL ? createMailer({ smtpUrl: config.SMTP_URL, from: mailFrom(config), timeoutMs: retry.attemptTimeoutMs }) : null;
  const unsubscribe = config.PUBLIC_URL ? { publicUrl: config.PUBLIC_URL, keyring: servers.keyring } : null;
  const relay: NotificationRelay | null = mailer ? startNotificationRelay({ db: servers.db, mailer, retry, unsubscribe, logger: Runtime.instance().logger }) : null;
  const notifications = relay ? { relay, mail: { dialogue: dialogueFrom(config), publicUrl: config.PUBLIC_URL ?? null } } : undefined;
  // The minutes of a meeting send their decisions to requests' workflows as the API would (RequestWorkflows).
  const requests = new RequestWorkflows(client, config.TEMPORAL_TASK_QUEUE, policyFrom(config));
  const activities = createActivities({ db: servers.db, webhooks, notifications, requests });
  const worker = await createRequestWorker({
    ...common,
    activities: servers.wrapActivities?.(activities) ?? activities,
    // An explicit cache size wins; else the memory budget sets it (memory-budget.ts).
    maxCachedWorkflows: config.WORKER_MAX_CACHED_WORKFLOWS ?? cachedRequestsFor(config.WORKER_MEMORY_MB),
  });
  const webhookWorker = await createWebhookWorker(common);
  // Housekeeping is no reason not to serve requests: a server refusing the schedule is told, and the worker runs.
  await scheduleSignInHousekeeping(client, config.TEMPORAL_TASK_QUEUE).catch((error: unknown) => {
    Runtime.instance().logger.warn(`The hourly sign-in housekeeping could not be scheduled: ${(error as Error).message}`);
  });
  const done = Promise.all([worker.run(), webhookWorker.run()])
    .then(() => undefined)
    .finally(async () => {
      await relay?.stop();
      mailer?.close();
      await clientConnection.close();
      await connection.close();
    });
  return {
    worker,
    webhookWorker,
    done,
    async stop() {
      for (const running of [worker, webhookWorker]) if (running.getState() === 'RUNNING') running.shutdown();
      await done;
    },
  };
}
