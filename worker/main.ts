import { loadKeyringOrExit } from '../codec/keyring';
import { loadConfigOrExit } from '../config/env';
import { connectDatabase, migrateDatabase } from '../db/client';
import { onShutdownSignal } from '../launcher/shutdown';
import { installWorkerRuntime, startRequestWorker } from './create-worker';

/** `npm run worker`: the worker alone, against TEMPORAL_ADDRESS and DATABASE_URL (docker compose, production). */
const config = loadConfigOrExit();
if (!config.TEMPORAL_ADDRESS || !config.DATABASE_URL) {
  console.error('npm run worker needs TEMPORAL_ADDRESS and DATABASE_URL. To run everything locally, use npm start.');
  process.exit(2);
}
const keyring = await loadKeyringOrExit(config);
installWorkerRuntime('INFO');
const database = connectDatabase(config.DATABASE_URL);
await migrateDatabase(database.pool);
const running = await startRequestWorker(config, { temporalAddress: config.TEMPORAL_ADDRESS, db: database.db, keyring });
onShutdownSignal(() => running.stop());
await running.done;
await database.close();
