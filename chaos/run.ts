import { OptionsError, parseChaosOptions, USAGE } from './options';
import { formatReport } from './report';
import { runChaos } from './scenario';

/**
 * `npm run chaos`: N requests through their whole lifecycle while the worker and the API are killed with
 * SIGKILL and Postgres and Temporal are restarted; then Temporal and Postgres are compared. Exit code 0 on
 * PASS, 1 on FAIL, 2 for bad options, 130 when interrupted.
 */
let options;
try {
  options = parseChaosOptions(process.argv.slice(2), process.env);
} catch (error) {
  if (!(error instanceof OptionsError)) throw error;
  console.error(`${error.message}\n\n${USAGE}`);
  process.exit(2);
}
if (options === null) {
  console.log(USAGE);
  process.exit(0);
}

const started = Date.now();
const log = (message: string) => console.log(`[chaos ${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s] ${message}`);

// Ctrl-C: stop the users and the faults, then stop every process and server in order. A second Ctrl-C (or
// any exit before the orderly stop) kills whatever is left, so that nothing outlives the run.
const interrupted = new AbortController();
let killNow: () => void = () => undefined;
let firstSignalAt: number | null = null;
const onSignal = (signal: NodeJS.Signals) => {
  // The terminal signals the whole process group, and npm forwards it too: repeats within a moment are one Ctrl-C.
  if (firstSignalAt !== null && Date.now() - firstSignalAt < 1_500) return;
  if (firstSignalAt !== null) {
    console.error(`\n${signal} again: killing everything without a clean stop.`);
    process.exit(130);
  }
  firstSignalAt = Date.now();
  console.error(`\n${signal} received: stopping the run cleanly (press Ctrl-C again to force) …`);
  interrupted.abort();
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
process.on('exit', () => killNow());

log(
  `${options.requests} requests, ${options.users} users; faults: worker kill -9 ×${options.faults.worker}, worker dead right after a commit ×${options.faults.commit}, API kill -9 ×${options.faults.api}, ` +
    `Postgres restart ×${options.faults.postgres}, Temporal restart ×${options.faults.temporal}`,
);
try {
  const outcome = await runChaos(options, {
    log,
    signal: interrupted.signal,
    onSystem: (kill) => {
      killNow = kill;
    },
  });
  killNow = () => undefined;
  console.log(formatReport(outcome));
  process.exit(interrupted.signal.aborted ? 130 : outcome.passed ? 0 : 1);
} catch (error) {
  console.error(`[chaos] the run failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(interrupted.signal.aborted ? 130 : 1);
}
