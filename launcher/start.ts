import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { buildApp } from '../api/app';
import { appOptionsFromConfig } from '../api/app-options';
import { ensureKeyFile, keyringFromConfig } from '../codec/keyring';
import { dialogueFrom, loadConfigOrExit } from '../config/env';
import { connectDatabase, migrateDatabase } from '../db/client';
import { installWorkerRuntime, startRequestWorker } from '../worker/create-worker';
import { seedDemoUsers } from './demo-users';
import { startEmbeddedPostgres, type RunningPostgres } from './embedded-postgres';
import { removeRuntime, writeRuntime } from './runtime-file';
import { onShutdownSignal } from './shutdown';
import { findOrInstallTemporalCli } from './temporal-cli';
import { startTemporalDevServer, type RunningDevServer } from './temporal-dev-server';

/**
 * `npm start`: the whole system in one process tree — Postgres and the Temporal dev server (embedded unless
 * DATABASE_URL / TEMPORAL_ADDRESS point elsewhere), the worker and the API. Ctrl-C stops all of it.
 */
const config = loadConfigOrExit();
const dataDir = resolve(config.DATA_DIR);
const log = (message: string) => console.log(`[start] ${message}`);
const stops: Array<() => Promise<void>> = [];

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
  await mkdir(dataDir, { recursive: true });

  let databaseUrl = config.DATABASE_URL;
  if (!databaseUrl) {
    const postgres: RunningPostgres = await startEmbeddedPostgres({
      dataDir: join(dataDir, 'postgres'),
      port: config.EMBEDDED_POSTGRES_PORT,
      database: 'rabat',
      log,
    });
    stops.push(() => postgres.stop());
    databaseUrl = postgres.url;
  }

  let temporalAddress = config.TEMPORAL_ADDRESS;
  if (!temporalAddress) {
    const cliPath = await findOrInstallTemporalCli(config.TEMPORAL_CLI, log);
    const temporal: RunningDevServer = await startTemporalDevServer({
      cliPath,
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
  installWorkerRuntime();
  const worker = await startRequestWorker(config, { temporalAddress, db: database.db, keyring });
  stops.push(() => worker.stop());

  const app = await buildApp(appOptionsFromConfig(config, { databaseUrl, temporalAddress, keyring }));
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
  // The mail server's host only: its URL may carry a password.
  log(config.SMTP_URL ? `E-mail:      notifications sent through ${new URL(config.SMTP_URL).host}` : 'E-mail:      off (set SMTP_URL to tell people when a request waits for them)');
  if (demoUsers) {
    log('Demo users created (tokens are shown only now; issue more with `npm run cli -- token create`):');
    for (const user of demoUsers) {
      console.log(`  ${user.role.padEnd(12)} ${user.name.padEnd(20)} ${user.country ?? '-'}  ${user.token}`);
    }
  }
  log('Press Ctrl-C to stop everything.');
} catch (error) {
  console.error(`[start] Could not start: ${error instanceof Error ? error.message : String(error)}`);
  await stopAll();
  process.exit(1);
}
