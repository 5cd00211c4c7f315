/**
 * Runs `stop` once on the first SIGINT/SIGTERM and exits when it finishes; a second Ctrl-C exits at once
 * (for when something hangs — say so, rather than ignoring the user).
 */
export function onShutdownSignal(stop: () => Promise<void>): void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) {
      console.error(`\n${signal} again: exiting without waiting for a clean shutdown.`);
      process.exit(130);
    }
    stopping = true;
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
