/**
 * Runs `stop` once on the first SIGINT/SIGTERM and exits when it finishes. A Ctrl-C reaches us several
 * times at once (the terminal signals the whole process group, and npm and tsx each forward it too), so
 * repeats within a moment are the same Ctrl-C; a later one forces the exit, for when something hangs.
 */
const SAME_CTRL_C_MS = 1500;

export function onShutdownSignal(stop: () => Promise<void>): void {
  let firstSignalAt: number | null = null;
  const handler = (signal: NodeJS.Signals) => {
    if (firstSignalAt !== null) {
      if (Date.now() - firstSignalAt < SAME_CTRL_C_MS) return;
      console.error(`\n${signal} again: exiting without waiting for a clean shutdown.`);
      process.exit(130);
    }
    firstSignalAt = Date.now();
    console.error(`\n${signal} received: shutting down (press Ctrl-C again to force)…`);
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('Shutdown failed:', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}
