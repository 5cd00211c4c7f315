import { loadKeyringOrExit } from '../codec/keyring';
import { loadConfigOrExit } from '../config/env';
import { onShutdownSignal } from '../launcher/shutdown';
import { buildApp } from './app';
import { appOptionsFromConfig } from './app-options';

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
const app = await buildApp(
  appOptionsFromConfig(config, { databaseUrl: config.DATABASE_URL, temporalAddress: config.TEMPORAL_ADDRESS, keyring }),
);
await app.listen({ port: config.PORT, host: config.HOST });
onShutdownSignal(() => app.close());
