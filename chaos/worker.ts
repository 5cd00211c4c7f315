import { existsSync, unlinkSync } from 'node:fs';
import { runWorkerProcess } from '../worker/run-worker-process';

/**
 * The chaos run's worker: `npm run worker`, plus one fault on request. When the file CHAOS_DIE_AFTER_COMMIT names
 * exists, the next write to commit removes it and kills its own process (SIGKILL) — after the transaction committed,
 * before Temporal hears of it: the moment at which a write whose input could differ on a second attempt (a local
 * activity, say) would leave the audit trail and the workflow disagreeing.
 */
const flag = process.env.CHAOS_DIE_AFTER_COMMIT;

await runWorkerProcess({
  wrapActivities: (real) => ({
    ...real,
    async recordEvent(input) {
      await real.recordEvent(input);
      if (flag && existsSync(flag)) {
        unlinkSync(flag);
        process.kill(process.pid, 'SIGKILL');
      }
    },
  }),
});
