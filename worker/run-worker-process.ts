import { loadKeyringOrExit } from '../codec/keyring';
import { loadConfigOrExit } from '../config/env';
import { connectDatabase, migrateDatabase } from '../db/client';
import { onShutdownSignal } from '../launcher/shutdown';
import { Runtime } from '@temporalio/worker';
import { installWorkerRuntime, startRequestWorker } from './create-worker';
import { heapAdvice } from './memory-budget';

/**
 * The worker as a process of its own, against TEMPORAL_ADDRESS and DATABASE_URL: `npm run worker` (docker compose,
 * production), and the chaos run's worker, which wraps its activities to inject a fault.
 */
export async function runWorkerProcess(options: Pick<Parameters<typeof startRequestWorker>[1], 'wrapActivities'> = {}): Promise<void> {
  const config = loadConfigOrExit();
  if (!config.TEMPORAL_ADDRESS || !config.DATABASE_URL) {
    console.error('npm run worker needs TEMPORAL_ADDRESS and DATABASE_URL. To run everything locally, use npm start.');
    process.exit(2);
  }
  const keyring = await loadKeyringOrExit(config);
  installWorkerRuntime('INFO');
  // In production a container's memory limit kills a heap that outgrows it: say how to make the heap fit the budget.
  const advice = heapAdvice(config.WORKER_MEMORY_MB);
  if (advice) Runtime.instance().logger.warn(`Worker memory: ${advice}`);
  const database = connectDatabase(config.DATABASE_URL);
  await migrateDatabase(database.pool);
  const running = await startRequestWorker(config, { temporalAddress: config.TEMPORAL_ADDRESS, db: database.db, keyring, ...options });
  onShutdownSignal(() => running.stop());
  await running.done;
  await database.close();
}
