import { runWorkerProcess } from './run-worker-process';

/** `npm run worker`: the worker alone, against TEMPORAL_ADDRESS and DATABASE_URL (docker compose, production). */
await runWorkerProcess();
