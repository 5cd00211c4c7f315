import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { mailDropDirectory, mailDropKeepDays } from '../activities/notifications/mail-drop';
import { buildApp } from '../api/app';
import { appOptionsFromConfig } from '../api/app-options';
import { ensureKeyFile, keyringFromConfig } from '../codec/keyring';
import { dialogueFrom, emailLinkBase, loadConfigOrExit } from '../config/env';
import { connectDatabase, migrateDatabase } from '../db/client';
import { installWorkerRuntime, startRequestWorker } from '../worker/create-worker';
import { demoAddress, seedDemoUsers, writeDemoSignIns } from './demo-users';
import { launcherLogger, workerLogTo } from './console-logger';
import { existsSync } from 'node:fs';
import { startEmbeddedPostgres, type RunningPostgres } from './embedded-postgres';
import { removeRuntime, writeRuntime } from './runtime-file';
import { checkFreeDisk, checkPortsFree, checkPostgresCanReach, EXIT, removeStalePostmasterPid, StartRefusal } from './preflight';
import { onShutdownSignal } from './shutdown';
import { findOrInstallTemporalCli } from './temporal-cli';
import { startTemporalDevServer, type RunningDevServer } from './temporal-dev-server';

/**
 * `npm start`: the whole system in one process tree — Postgres and the Temporal dev server (embedded unless
 * DATABASE_URL / TEMPORAL_ADDRESS point elsewhere), the worker and the API. Ctrl-C stops all of it.
 */
const configured = loadConfigOrExit();
const dataDir = resolve(configured.DATA_DIR);
// People must be able to read their e-mails (the code that confirms an address) where no mail server is set up:
// without one, they are written under DATA_DIR, for the worker to write and the API to know that e-mail is on.
const config = { ...configured, SMTP_URL: configured.SMTP_URL ?? pathToFileURL(join(dataDir, 'mail')).href };
const log = (message: string) => console.log(`[start] ${message}`);
const stops: Array<() => Promise<void>> = [];
const demoSignInsFile = join(dataDir, 'demo-sign-ins.txt');

/** The startup summary's line on e-mail: the mail server's host only (its URL may carry a password), or the directory. */
function whereEmailsGo(smtpUrl: string): string {
  const directory = mailDropDirectory(smtpUrl);
  if (directory === null) return `notifications sent through ${new URL(smtpUrl).host}`;
  return `written to ${directory} (no mail server: open the .eml files; each kept ${mailDropKeepDays(smtpUrl)} days)`;
}

async function stopAll() {
  for (const stop of stops.reverse()) {
    try {
      await stop();
    } catch (error) {
      console.error('[start] while stopping:', error);
    }
  }
}

onShutdownSignal(async () => {
  await stopAll();
  log('Stopped.');
});

try {
  const started = Date.now();
  // Before anything starts: what would make it fail later, said now (launcher/preflight.ts).
  await checkFreeDisk(dataDir);
  if (!config.DATABASE_URL) await checkPostgresCanReach(dataDir);
  await checkPortsFree([
    { port: config.PORT, variable: 'PORT', what: 'the API' },
    ...(config.DATABASE_URL ? [] : [{ port: config.EMBEDDED_POSTGRES_PORT, variable: 'EMBEDDED_POSTGRES_PORT', what: 'embedded Postgres' }]),
    ...(config.TEMPORAL_ADDRESS
      ? []
      : [
          { port: config.TEMPORAL_PORT, variable: 'TEMPORAL_PORT', what: 'the Temporal dev server' },
          { port: config.TEMPORAL_UI_PORT, variable: 'TEMPORAL_UI_PORT', what: 'the Temporal Web UI' },
        ]),
  ]);
  await mkdir(dataDir, { recursive: true });
  const logger = launcherLogger({ dataDir, level: config.LOG_LEVEL, format: config.LOG_FORMAT ?? 'pretty' });
  // The Temporal to use: a running one, or the dev server of a CLI found (or installed) before any server starts,
  // since without it nothing would run.
  const runningTemporal = config.TEMPORAL_ADDRESS;
  const temporalTarget: { address: string } | { cliPath: string } = runningTemporal
    ? { address: runningTemporal }
    : {
        cliPath: await findOrInstallTemporalCli(config.TEMPORAL_CLI, log).catch((error: unknown) => {
          throw new StartRefusal(
            `No Temporal CLI could be found or installed (${error instanceof Error ? error.message : String(error)}): set TEMPORAL_CLI to a temporal binary, or TEMPORAL_ADDRESS to a running Temporal server.`,
            EXIT.noTemporalCli,
          );
        }),
      };

  let databaseUrl = config.DATABASE_URL;
  if (!databaseUrl) {
    await removeStalePostmasterPid(join(dataDir, 'postgres'), log);
    const postgres: RunningPostgres = await startEmbeddedPostgres({
      dataDir: join(dataDir, 'postgres'),
      port: config.EMBEDDED_POSTGRES_PORT,
      database: 'rabat',
      log,
    });
    stops.push(() => postgres.stop());
    databaseUrl = postgres.url;
  }

  let temporalAddress: string;
  if ('address' in temporalTarget) {
    temporalAddress = temporalTarget.address;
  } else {
    const temporal: RunningDevServer = await startTemporalDevServer({
      cliPath: temporalTarget.cliPath,
      port: config.TEMPORAL_PORT,
      uiPort: config.TEMPORAL_UI_PORT,
      dbFile: join(dataDir, 'temporal.sqlite'),
      namespace: config.TEMPORAL_NAMESPACE,
      log,
    });
    stops.push(() => temporal.stop());
    temporalAddress = temporal.address;
  }

  // Payload encryption keys: configured ones, or a key file made under DATA_DIR on first start.
  const keyring = (await keyringFromConfig(config)) ?? (await ensureKeyFile(join(dataDir, 'payload-keys.json')));

  const database = connectDatabase(databaseUrl);
  stops.push(() => database.close());
  await migrateDatabase(database.pool);
  const demoUsers = await seedDemoUsers(database.db);

  log('Starting the worker (bundling workflow code) …');
  // The worker's warnings go where the API's lines go: the console, and the files under DATA_DIR/logs.
  installWorkerRuntime('WARN', workerLogTo(logger));
  // Everything runs here: the notifications' links (a request, unsubscribing) lead to this API, as the sign-in
  // e-mails' do, even without PUBLIC_URL (a worker deployed on its own leaves them out without it: it cannot know).
  const worker = await startRequestWorker({ ...config, PUBLIC_URL: emailLinkBase(config) }, { temporalAddress, db: database.db, keyring });
  stops.push(() => worker.stop());

  const app = await buildApp({ ...appOptionsFromConfig(config, { databaseUrl, temporalAddress, keyring }), loggerInstance: logger });
  await app.listen({ port: config.PORT, host: config.HOST });
  stops.push(() => app.close());
  const apiUrl = `http://${config.HOST}:${config.PORT}`;
  await writeRuntime(dataDir, { pid: process.pid, databaseUrl, temporalAddress, apiUrl });
  stops.push(() => removeRuntime(dataDir));

  console.log('');
  log(`Ready in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  log(`Dialogue:    ${dialogueFrom(config).en} (DIALOGUE_NAME)`);
  log(`API:         ${apiUrl}   (docs: ${apiUrl}/docs)`);
  if (!config.TEMPORAL_ADDRESS) log(`Temporal UI: http://127.0.0.1:${config.TEMPORAL_UI_PORT}`);
  log(`E-mail:      ${whereEmailsGo(config.SMTP_URL)}`);
  if (demoUsers) {
    const mailDirectory = mailDropDirectory(config.SMTP_URL);
    await writeDemoSignIns(demoSignInsFile, demoUsers, apiUrl, mailDirectory);
    log('Demo users created, with their API tokens for scripts (issue more with `npm run cli -- token create`):');
    for (const user of demoUsers) {
      console.log(`  ${user.role.padEnd(12)} ${user.name.padEnd(20)} ${(user.country ?? '-').padEnd(3)} ${user.token}`);
    }
    log(`People sign in to ${apiUrl}/dashboard with their address, e.g. ${demoAddress('demo-chair')}; the sign-in e-mail is`);
    log(mailDirectory ? `  written to ${mailDirectory} (open the newest .eml file).` : `  sent through ${new URL(config.SMTP_URL).host}.`);
  }
  // At every start: the demo people's sign-in details do not depend on scrolling back to the first one.
  if (existsSync(demoSignInsFile)) log(`Demo sign-ins:  ${demoSignInsFile}`);
  log(`Logs:           ${join(dataDir, 'logs')} (JSON, rotated at 10 MB)`);
  log('Press Ctrl-C to stop everything.');
} catch (error) {
  console.error(`[start] Could not start: ${error instanceof Error ? error.message : String(error)}`);
  await stopAll();
  process.exit(error instanceof StartRefusal ? error.exitCode : 1);
}
