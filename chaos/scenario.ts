import { bundleWorkflowCode } from '@temporalio/worker';
import { runMinutesScenario, type MinutesCheck } from './minutes-scenario';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectDatabase, migrateDatabase } from '../db/client';
import { findOrInstallTemporalCli } from '../launcher/temporal-cli';
import { WORKFLOWS_PATH } from '../worker/create-worker';
import { driveRequests, newDriverProgress, type DrivenRequest, type DriverProgress } from './driver';
import { injectFaults, planFaults, type InjectedFault } from './faults';
import { checkInvariants, type CheckResult } from './invariants';
import { EXPECTED_EVENTS, FINAL_PHASE } from './lifecycle';
import type { ChaosOptions } from './options';
import { startMailReceiver } from '../tests/support/mail-receiver';
import { ChaosSystem, type UnexpectedExit } from './processes';
import { createCast } from './users';

/**
 * One chaos run, start to finish: a fresh DATA_DIR, the servers and processes, the users and the faults at
 * the same time, the invariant checker, and a clean stop of everything whatever happened.
 */

export interface ChaosEnvironment {
  log: (message: string) => void;
  /** A Temporal CLI (default: found or installed as by `npm start`). */
  temporalCliPath?: string;
  /** A prebuilt workflow bundle (default: bundled once for the run). */
  workflowBundlePath?: string;
  /** Aborting stops the users and the faults and goes straight to the clean stop (Ctrl-C). */
  signal?: AbortSignal;
  /** Called once the system exists, with a synchronous last-resort kill of everything it started. */
  onSystem?(killNow: () => void): void;
}

export interface ChaosOutcome {
  options: ChaosOptions;
  dataDir: string;
  durationMs: number;
  /** Time the users took to drive every request through (faults included). */
  loadMs: number;
  progress: DriverProgress;
  driven: DrivenRequest[];
  faults: InjectedFault[];
  unexpectedExits: UnexpectedExit[];
  check: CheckResult | null;
  /** The meeting's minutes recorded through faults (runMinutesScenario); null when not run. */
  minutes: MinutesCheck | null;
  /** Stopped early (Ctrl-C): the checker did not run. */
  interrupted: boolean;
  /** All requests completed, and the checker found nothing. */
  passed: boolean;
}

const PROGRESS_EVERY_MS = 5_000;

export async function runChaos(options: ChaosOptions, env: ChaosEnvironment): Promise<ChaosOutcome> {
  const started = Date.now();
  const { log } = env;
  const dataDir = await mkdtemp(join(tmpdir(), 'rabat-chaos-'));
  // As root, Postgres runs as an unprivileged user that must be able to enter the directory.
  await chmod(dataDir, 0o755);
  log(`DATA_DIR ${dataDir}`);
  let system: ChaosSystem | null = null;
  // The mail server stays up through every fault: what the worker sends while things break must still arrive.
  const mail = await startMailReceiver();
  try {
    const [temporalCliPath, workflowBundlePath] = await Promise.all([
      env.temporalCliPath ?? findOrInstallTemporalCli(process.env.TEMPORAL_CLI, log),
      env.workflowBundlePath ?? bundleOnce(dataDir, log),
    ]);
    system = await ChaosSystem.start({ dataDir, temporalCliPath, workflowBundlePath, smtpUrl: mail.url, log });
    env.onSystem?.(() => system?.killEverythingNow());
    env.signal?.addEventListener('abort', () => system?.expectShutdown(), { once: true });
    log(`Postgres ${system.databaseUrl.replace(/\/\/.*@/, '//')}, Temporal ${system.temporalAddress}`);

    const database = connectDatabase(system.databaseUrl);
    let cast;
    try {
      await migrateDatabase(database.pool);
      cast = await createCast(database.db, options.users);
    } finally {
      await database.close();
    }
    await system.startChildren();
    log(`worker and API running (API ${system.apiUrl}); ${options.users} users drive ${options.requests} requests`);

    // Stops the users when the run is interrupted, or when a fault could not bring its process back.
    const stopLoad = new AbortController();
    env.signal?.addEventListener('abort', () => stopLoad.abort(), { once: true });
    const signal = stopLoad.signal;
    const progress = newDriverProgress(options.requests);
    let loadFinished = false;
    const loadStarted = Date.now();
    const ticker = setInterval(() => log(progressLine(progress, loadStarted)), PROGRESS_EVERY_MS);
    const load = driveRequests({
      apiUrl: system.apiUrl,
      cast,
      requests: options.requests,
      thinkMs: options.thinkMs,
      progress,
      log,
      signal,
    }).finally(() => {
      loadFinished = true;
    });
    const faults = injectFaults({
      system,
      plan: planFaults(options.faults),
      progress: () => progress.stepsDone / progress.stepsTotal,
      loadFinished: () => loadFinished,
      log,
      signal,
    }).catch((error: unknown) => {
      stopLoad.abort();
      throw error;
    });
    // A fault that cannot bring its process back stops the run: the users would only wait for it.
    const [driven, injected] = await Promise.all([load, faults]).finally(() => clearInterval(ticker));
    const loadMs = Date.now() - loadStarted;
    log(progressLine(progress, loadStarted));

    let check: CheckResult | null = null;
    if (!env.signal?.aborted) {
      log('checking the invariants (Temporal against Postgres) …');
      check = await checkInvariants({
        databaseUrl: system.databaseUrl,
        temporalAddress: system.temporalAddress,
        keyFile: system.keyFile,
        taskQueue: system.taskQueue,
        requestIds: driven.flatMap((request) => (request.requestId ? [request.requestId] : [])),
        expectedEvents: EXPECTED_EVENTS,
        finalPhase: FINAL_PHASE,
        receivedMessageIds: () => mail.received.map((message) => message.messageId),
        log,
      });
    }
    let minutes: MinutesCheck | null = null;
    if (!env.signal?.aborted && options.minutesItems > 0) {
      minutes = await runMinutesScenario({ system, cast, items: options.minutesItems, retries: progress.retries, log });
      log(`minutes: ${minutes.passed ? 'PASS' : 'FAIL'} in ${(minutes.durationMs / 1000).toFixed(1)} s`);
    }
    // Expected when a worker is killed while its relay sends: what it had not finished is sent again (the check above).
    if (mail.connectionErrors.length > 0) log(`the mail server saw ${mail.connectionErrors.length} connection(s) cut by a killed client`);
    const passed =
      check !== null &&
      check.clean &&
      driven.length === options.requests &&
      driven.every((request) => request.failure === null) &&
      (minutes === null ? options.minutesItems === 0 : minutes.passed);
    return {
      options,
      dataDir,
      durationMs: Date.now() - started,
      loadMs,
      progress,
      driven,
      faults: injected,
      unexpectedExits: system.unexpectedExits,
      check,
      minutes,
      interrupted: env.signal?.aborted === true,
      passed,
    };
  } finally {
    log('stopping the API, the worker, Temporal and Postgres …');
    await system?.stop();
    await mail.stop();
    if (options.keepData) log(`kept ${dataDir} (logs in ${join(dataDir, 'logs')})`);
    else await rm(dataDir, { recursive: true, force: true });
  }
}

async function bundleOnce(dataDir: string, log: (message: string) => void): Promise<string> {
  log('bundling the workflow code once for every worker start …');
  const quiet = { log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: console.error };
  const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quiet });
  const path = join(dataDir, 'workflow-bundle.js');
  await writeFile(path, code);
  return path;
}

function progressLine(progress: DriverProgress, since: number): string {
  const { retries } = progress;
  const share = Math.round((progress.stepsDone / progress.stepsTotal) * 100);
  return (
    `${((Date.now() - since) / 1000).toFixed(0).padStart(4)} s  steps ${progress.stepsDone}/${progress.stepsTotal} (${share} %)` +
    `  requests done ${progress.requestsDone}, failed ${progress.requestsFailed}` +
    `  retries: refused ${retries.refused}, cut ${retries.cut}, 5xx ${retries.serverError}, 429 ${retries.rateLimited}` +
    `  reconciled ${progress.reconciled}`
  );
}
