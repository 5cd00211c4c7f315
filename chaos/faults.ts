import { FAULT_KINDS, type FaultCounts, type FaultKind } from './options';
import { sleep, type ChaosSystem } from './processes';
import type { ScriptChild } from './script-child';

/**
 * The faults of a run, one after the other, spread over the load: each waits until the users have done a given
 * share of their steps, so that it finds requests mid-way whatever the machine's speed.
 */

export interface InjectedFault {
  kind: FaultKind;
  description: string;
  /** Share of the users' steps done when it struck. */
  atProgress: number;
  /** From the kill or stop until the process or server served again. */
  outageMs: number;
}

const DESCRIPTIONS: Record<FaultKind, string> = {
  worker: 'kill -9 the worker, start it again',
  commit: 'the worker dies (kill -9 of itself) right after a write commits, before Temporal hears of it; start it again',
  api: 'kill -9 the API, start it again',
  postgres: 'stop Postgres, start it again on the same data directory and port',
  temporal: 'stop Temporal (the dev server, or the full server with TEMPORAL_ENGINE=production), start it again on the same data and port',
};

/** How long each stays down before it is started again. */
const DOWN_MS: Record<FaultKind, number> = { worker: 1_000, commit: 1_000, api: 500, postgres: 2_000, temporal: 1_000 };

/** Interleaves the kinds (worker, api, postgres, temporal, worker, …) so that each meets the load at a different stage. */
export function planFaults(counts: FaultCounts): FaultKind[] {
  const plan: FaultKind[] = [];
  const left = { ...counts };
  while (FAULT_KINDS.some((kind) => left[kind] > 0)) {
    for (const kind of FAULT_KINDS) {
      if (left[kind] > 0) {
        plan.push(kind);
        left[kind] -= 1;
      }
    }
  }
  return plan;
}

/** Between 10 % and 80 % of the steps: the last faults still meet requests in flight. */
export function thresholds(faults: number): number[] {
  if (faults === 1) return [0.4];
  return Array.from({ length: faults }, (_, i) => 0.1 + (0.7 * i) / (faults - 1));
}

export interface FaultInjectorOptions {
  system: ChaosSystem;
  plan: FaultKind[];
  /** Share of the users' steps done, 0–1. */
  progress(): number;
  /** True once the users have finished: the remaining faults strike at once. */
  loadFinished(): boolean;
  log(message: string): void;
  signal?: AbortSignal;
}

export async function injectFaults(options: FaultInjectorOptions): Promise<InjectedFault[]> {
  const injected: InjectedFault[] = [];
  const at = thresholds(options.plan.length);
  for (const [i, kind] of options.plan.entries()) {
    while (options.progress() < at[i]! && !options.loadFinished() && !options.signal?.aborted) await sleep(100);
    if (options.signal?.aborted) break;
    const atProgress = options.progress();
    const label = `fault ${i + 1}/${options.plan.length} at ${Math.round(atProgress * 100)} % of the steps${options.loadFinished() ? ' (after the load)' : ''}`;
    options.log(`>> ${label}: ${DESCRIPTIONS[kind]}`);
    const started = Date.now();
    await strike(options.system, kind, (message) => options.log(message));
    const outageMs = Date.now() - started;
    options.log(`<< ${kind} back after ${(outageMs / 1000).toFixed(1)} s`);
    injected.push({ kind, description: DESCRIPTIONS[kind], atProgress, outageMs });
  }
  return injected;
}

async function strike(system: ChaosSystem, kind: FaultKind, log: (message: string) => void): Promise<void> {
  /** Takes the process down (how, per fault), leaves it down for a moment, starts it again. */
  const restart = async (child: ScriptChild, takeDown: () => Promise<unknown>) => {
    await takeDown();
    await sleep(DOWN_MS[kind]);
    await child.start();
  };
  switch (kind) {
    case 'worker':
      return restart(system.worker, () => system.worker.kill9());
    case 'commit':
      return restart(system.worker, async () => {
        if ((await system.killWorkerAfterNextCommit()) === 'killed') log('   no write came to commit: the worker was killed the plain way');
      });
    case 'api':
      return restart(system.api, () => system.api.kill9());
    case 'postgres':
      return system.restartPostgres(DOWN_MS.postgres);
    case 'temporal':
      return system.restartTemporal(DOWN_MS.temporal);
  }
}
