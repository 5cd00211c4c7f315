import { findOrInstallTemporalCli, temporalCliVersion } from './temporal-cli';

// Runs before `npm test` and `npm start`, so that a first-time install shows its progress up front.
const path = await findOrInstallTemporalCli(process.env.TEMPORAL_CLI, (message) => console.log(message));
console.log(`Temporal CLI: ${path} (${await temporalCliVersion(path)})`);
