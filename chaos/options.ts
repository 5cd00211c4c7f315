import { parseArgs } from 'node:util';

/** What one chaos run does: how much load, and which faults how many times. */
export interface ChaosOptions {
  /** Requests driven through their whole lifecycle. */
  requests: number;
  /** Virtual users acting at the same time, each driving one request after another. */
  users: number;
  /** Pause a virtual user takes between two steps (ms), so that faults find requests mid-way. */
  thinkMs: number;
  faults: FaultCounts;
  /** Items of the meeting whose minutes are recorded while the API and the worker are killed (0: no such scenario). */
  minutesItems: number;
  /** Keep the run's DATA_DIR (databases, child process logs) for investigation instead of removing it. */
  keepData: boolean;
}

export const FAULT_KINDS = ['worker', 'commit', 'api', 'postgres', 'temporal'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];
export type FaultCounts = Record<FaultKind, number>;

export const DEFAULT_OPTIONS: ChaosOptions = {
  requests: 40,
  users: 8,
  thinkMs: 150,
  faults: { worker: 3, commit: 2, api: 2, postgres: 2, temporal: 2 },
  minutesItems: 50,
  keepData: false,
};

export const USAGE = `npm run chaos [-- options]   (each option also as an environment variable)

  --requests N         requests driven through their whole lifecycle      CHAOS_REQUESTS   (${DEFAULT_OPTIONS.requests})
  --users N            concurrent virtual users                           CHAOS_USERS      (${DEFAULT_OPTIONS.users})
  --think-ms N         pause between a user's steps, in ms                CHAOS_THINK_MS   (${DEFAULT_OPTIONS.thinkMs})
  --worker-kills N     kill -9 the worker, then restart it                CHAOS_WORKER_KILLS     (${DEFAULT_OPTIONS.faults.worker})
  --commit-kills N     the worker dies right after a write commits, before Temporal hears of it; restart it
                                                                          CHAOS_COMMIT_KILLS     (${DEFAULT_OPTIONS.faults.commit})
  --api-kills N        kill -9 the API, then restart it                   CHAOS_API_KILLS        (${DEFAULT_OPTIONS.faults.api})
  --postgres-restarts N  stop Postgres, then start it on the same data    CHAOS_POSTGRES_RESTARTS (${DEFAULT_OPTIONS.faults.postgres})
  --temporal-restarts N  stop Temporal, then start it again on the same data (SQLite file, or Postgres)
                                                                          CHAOS_TEMPORAL_RESTARTS (${DEFAULT_OPTIONS.faults.temporal})
  --minutes-items N    then a meeting's minutes of N decisions, the API and the worker killed part-way
                                                                          CHAOS_MINUTES_ITEMS    (${DEFAULT_OPTIONS.minutesItems})
  --keep-data          keep the run's temporary DATA_DIR (databases, logs)  CHAOS_KEEP_DATA=1
  --help`;

export class OptionsError extends Error {}

const FLAGS = {
  requests: { env: 'CHAOS_REQUESTS', min: 1 },
  users: { env: 'CHAOS_USERS', min: 1 },
  'think-ms': { env: 'CHAOS_THINK_MS', min: 0 },
  'worker-kills': { env: 'CHAOS_WORKER_KILLS', min: 0 },
  'commit-kills': { env: 'CHAOS_COMMIT_KILLS', min: 0 },
  'api-kills': { env: 'CHAOS_API_KILLS', min: 0 },
  'postgres-restarts': { env: 'CHAOS_POSTGRES_RESTARTS', min: 0 },
  'temporal-restarts': { env: 'CHAOS_TEMPORAL_RESTARTS', min: 0 },
  'minutes-items': { env: 'CHAOS_MINUTES_ITEMS', min: 0 },
} as const;
type NumericFlag = keyof typeof FLAGS;

/** Flags win over environment variables, which win over the defaults. Returns null for --help. */
export function parseChaosOptions(argv: string[], env: NodeJS.ProcessEnv): ChaosOptions | null {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        ...Object.fromEntries(Object.keys(FLAGS).map((flag) => [flag, { type: 'string' as const }])),
        'keep-data': { type: 'boolean' },
        help: { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    throw new OptionsError((error as Error).message);
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  if (values.help) return null;

  const number = (flag: NumericFlag, fallback: number): number => {
    const { env: name, min } = FLAGS[flag];
    const given = (values[flag] as string | undefined) ?? (env[name] || undefined);
    if (given === undefined) return fallback;
    const value = Number(given);
    if (!Number.isInteger(value) || value < min) {
      throw new OptionsError(`--${flag} (${name}) must be a whole number ≥ ${min}; got '${given}'.`);
    }
    return value;
  };
  const defaults = DEFAULT_OPTIONS;
  return {
    requests: number('requests', defaults.requests),
    users: number('users', defaults.users),
    thinkMs: number('think-ms', defaults.thinkMs),
    faults: {
      worker: number('worker-kills', defaults.faults.worker),
      commit: number('commit-kills', defaults.faults.commit),
      api: number('api-kills', defaults.faults.api),
      postgres: number('postgres-restarts', defaults.faults.postgres),
      temporal: number('temporal-restarts', defaults.faults.temporal),
    },
    minutesItems: number('minutes-items', defaults.minutesItems),
    keepData: values['keep-data'] === true || env.CHAOS_KEEP_DATA === '1',
  };
}
