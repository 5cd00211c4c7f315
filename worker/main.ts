import { NativeConnection } from '@temporalio/worker';
import { loadKeyringOrExit } from '../codec/keyring';
import { loadConfigOrExit } from '../config/env';
import { connectDatabase, migrateDatabase } from '../db/client';
import { onShutdownSignal } from '../launcher/shutdown';
import { createRequestWorker, installWorkerRuntime } from './create-worker';

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
const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
const worker = await createRequestWorker({
  connection,
  namespace: config.TEMPORAL_NAMESPACE,
  taskQueue: config.TEMPORAL_TASK_QUEUE,
  db: database.db,
  workflowBundlePath: config.WORKFLOW_BUNDLE_PATH,
  keyring,
});
onShutdownSignal(async () => worker.shutdown());
await worker.run();
await connection.close();
await database.close();
