import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { fileURLToPath } from 'node:url';
import { createActivities } from '../../activities/create-activities';
import { encryptingDataConverter } from '../../codec/data-converter';
import { keyringFromFile, type Keyring } from '../../codec/keyring';
import { buildApp, type App, type AppOptions } from '../../api/app';
import { connectDatabase, migrateDatabase, type DatabaseHandle } from '../../db/client';
import { issueToken } from '../../db/users-repository';
import { createRequestWorker, createWebhookWorker, installWorkerRuntime } from '../../worker/create-worker';
import { createWebhookDispatcher } from '../../activities/webhooks/dispatcher';
import { createMailer } from '../../activities/notifications/mailer';
import { startNotificationRelay } from '../../worker/notification-relay';
import type { WebhookRetryPolicy } from '../../workflows/webhook-delivery';
import type { Actor, RequestPolicy, Role } from '../../workflows/request-model';
import type { ActivityRetry } from '../../workflows/request-contract';
import { RequestWorkflows } from '../../api/request-workflows';
import { RABAT_PROCESS, type DialogueName } from '../../config/dialogue';
import { TEMPLATE_DATABASE } from '../setup/template-database';

/**
 * A whole system for one test file, on the run's shared Temporal server and Postgres: its own database, its
 * own task queue and worker, and the real HTTP app. Nothing is mocked.
 */
/** The test-only payload key, also needed to replay the committed histories. */
export const TEST_KEY_FILE = fileURLToPath(new URL('./test-payload-keys.json', import.meta.url));

export interface TestSystem {
  app: App;
  keyring: Keyring;
  database: DatabaseHandle;
  databaseUrl: string;
  client: Client;
  taskQueue: string;
  /** Creates a user with a unique name and returns a token for them. */
  user(role: Role, country?: string): Promise<{ token: string; actor: Actor }>;
  stop(): Promise<void>;
}

export interface TestSystemOptions {
  reviewPeriod?: string;
  /** More of the policy copied into each request (procedures, screening and information deadlines…). */
  policy?: Partial<RequestPolicy>;
  hardening?: AppOptions['hardening'];
  /** The largest document the API takes (default: the server's). */
  documentMaxBytes?: number;
  /** Receives the API's log lines (JSON), for tests of what is logged. */
  logStream?: { write(line: string): void };
  /** How webhook deliveries retry (default: 3 attempts, fast). */
  webhookRetry?: WebhookRetryPolicy;
  /**
   * Run the worker of webhook deliveries too, for files that watch deliveries being sent. Without it deliveries are
   * queued and their workflows started, as always, and wait on their task queue: a second worker costs each file
   * about half a CPU-second (its own workflow thread), on two cores the suite's bottleneck.
   */
  webhookWorker?: boolean;
  /** A mail server for e-mail notifications (smtp://…); without it, none is queued, as in production. */
  smtpUrl?: string;
  /** How long before a meeting its members are reminded (default: the server's, two days). */
  meetingReminderLead?: string;
  /** The dialogue the system serves (default: the Rabat Process). */
  dialogue?: DialogueName;
  /** How many sign-in e-mails and codes an address and a client may have in a window (default: the server's). */
  signInLimits?: AppOptions['signInLimits'];
  /** The OpenID Connect providers people may sign in with (default: none). */
  singleSignOn?: AppOptions['singleSignOn'];
  /** The roles an e-mail does not sign in (STRONG_SIGN_IN_ROLES; default: none). */
  strongSignInRoles?: AppOptions['strongSignInRoles'];
  /**
   * Where the API says it is reached (default: an https:// test address); null: the address each call came to, for a
   * browser that signs in over plain HTTP on the loopback.
   */
  publicUrl?: string | null;
  /** Replace the worker's activities (e.g. to inject a fault). */
  activities?: (real: ReturnType<typeof createActivities>) => ReturnType<typeof createActivities>;
}

/** Webhook retries short enough for a test to see a delivery dead-lettered. */
/** A failed write is tried again after 50 ms, not a second: fault tests inject one failure per write. */
export const TEST_ACTIVITY_RETRY: ActivityRetry = { initialInterval: 50, maximumInterval: 1_000 };
export const TEST_WEBHOOK_RETRY: WebhookRetryPolicy = { maximumAttempts: 3, initialIntervalMs: 200, maximumIntervalMs: 1_000, attemptTimeoutMs: 2_000 };
/** Where the test systems' e-mails say the dashboard and the API are (their links are checked, never followed). */
const TEST_PUBLIC_URL = 'https://capacity.rabat.test';

let runtimeInstalled = false;

export async function createDatabase(): Promise<string> {
  const adminUrl = inject('postgresUrl');
  const name = `t_${randomUUID().replaceAll('-', '')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    // A copy of the migrated template (tests/setup/global-setup.ts): the callers' migrateDatabase then finds nothing to do.
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DATABASE}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function startTestSystem(options: TestSystemOptions = {}): Promise<TestSystem> {
  if (!runtimeInstalled) {
    installWorkerRuntime();
    runtimeInstalled = true;
  }
  const keyring = await keyringFromFile(TEST_KEY_FILE);
  const databaseUrl = await createDatabase();
  const database = connectDatabase(databaseUrl);
  await migrateDatabase(database.pool);

  const temporalAddress = inject('temporalAddress');
  const taskQueue = `test-${randomUUID()}`;
  const nativeConnection = await NativeConnection.connect({ address: temporalAddress });
  const connection = await Connection.connect({ address: temporalAddress });
  const client = new Client({ connection, namespace: 'default', dataConverter: encryptingDataConverter(keyring) });
  const webhookRetry = options.webhookRetry ?? TEST_WEBHOOK_RETRY;
  const webhooks = createWebhookDispatcher({ client, taskQueue, retry: webhookRetry });
  const dialogue = options.dialogue ?? RABAT_PROCESS;
  const mailer = options.smtpUrl ? createMailer({ smtpUrl: options.smtpUrl, from: `${dialogue.en} <no-reply@capacity.test>`, timeoutMs: 5_000 }) : null;
  const relay = mailer
    ? startNotificationRelay({ db: database.db, mailer, retry: webhookRetry, unsubscribe: { publicUrl: TEST_PUBLIC_URL, keyring } })
    : null;
  const notifications = relay ? { relay, mail: { dialogue, publicUrl: TEST_PUBLIC_URL } } : undefined;
  const policy: RequestPolicy = { reviewPeriod: options.reviewPeriod ?? 'PT1H', ...options.policy };
  const requests = new RequestWorkflows(client, taskQueue, policy, TEST_ACTIVITY_RETRY);
  const real = createActivities({ db: database.db, webhooks, notifications, requests });
  const workerOptions = {
    connection: nativeConnection,
    namespace: 'default',
    taskQueue,
    db: database.db,
    workflowBundlePath: inject('workflowBundlePath'),
    keyring,
  };
  const worker: Worker = await createRequestWorker({ ...workerOptions, activities: options.activities ? options.activities(real) : real });
  const webhookWorker: Worker | null = options.webhookWorker ? await createWebhookWorker(workerOptions) : null;
  const workerDone = Promise.all([worker.run(), webhookWorker?.run()]);

  const app = await buildApp({
    keyring,
    databaseUrl,
    temporalAddress,
    temporalNamespace: 'default',
    taskQueue,
    policy,
    meetingReminderLead: options.meetingReminderLead,
    activityRetry: TEST_ACTIVITY_RETRY,
    webhookRetry,
    hardening: options.hardening,
    documentMaxBytes: options.documentMaxBytes,
    sendsEmail: notifications !== undefined,
    publicUrl: options.publicUrl === undefined ? TEST_PUBLIC_URL : options.publicUrl,
    signInLimits: options.signInLimits,
    singleSignOn: options.singleSignOn,
    strongSignInRoles: options.strongSignInRoles,
    dialogue,
    logger: options.logStream ? { level: 'info', stream: options.logStream } : false,
    migrate: false,
  });

  return {
    app,
    keyring,
    database,
    databaseUrl,
    client,
    taskQueue,
    async user(role, country) {
      const name = `${role}-${country ?? 'x'}-${randomUUID().slice(0, 8)}`;
      const { token, userId } = await issueToken(database.db, { name, role, country: country ?? null });
      return { token, actor: { userId, name, role, country: country ?? null } };
    },
    async stop() {
      await app.close();
      worker.shutdown();
      webhookWorker?.shutdown();
      await workerDone;
      await relay?.stop();
      mailer?.close();
      await nativeConnection.close();
      await connection.close();
      await database.close();
    },
  };
}
