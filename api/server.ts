import { hardeningFrom, loadConfigOrExit } from '../config/env';
import { loadKeyringOrExit } from '../codec/keyring';
import { buildApp } from './app';
import { onShutdownSignal } from '../launcher/shutdown';

/**
 * `npm run api`: the API alone, against the Temporal and Postgres named by TEMPORAL_ADDRESS and DATABASE_URL
 * (docker compose and production). `npm start` runs everything, embedded, instead.
 */
const config = loadConfigOrExit();
if (!config.TEMPORAL_ADDRESS || !config.DATABASE_URL) {
  console.error('npm run api needs TEMPORAL_ADDRESS and DATABASE_URL. To run everything locally, use npm start.');
  process.exit(2);
}
const keyring = await loadKeyringOrExit(config);
const app = await buildApp({
  keyring,
  databaseUrl: config.DATABASE_URL,
  temporalAddress: config.TEMPORAL_ADDRESS,
  temporalNamespace: config.TEMPORAL_NAMESPACE,
  taskQueue: config.TEMPORAL_TASK_QUEUE,
  policy: { reviewPeriod: config.REVIEW_PERIOD },
  hardening: hardeningFrom(config),
  logger: { level: config.LOG_LEVEL },
});
await app.listen({ port: config.PORT, host: config.HOST });
onShutdownSignal(async () => {
  await app.close();
});
