import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { encryptingDataConverter } from '../../codec/data-converter';
import { keyringFromFile, type Keyring } from '../../codec/keyring';
import { loadConfig } from '../../config/env';
import { connectDatabase, migrateDatabase, type DatabaseHandle } from '../../db/client';
import { ATTEMPTS_KEPT_MS, KEPT_AFTER_USE_MS, pruneSignInRecords } from '../../db/sign-in-housekeeping';
import { spendSignOnState } from '../../db/single-sign-on-repository';
import { issueToken } from '../../db/users-repository';
import { installWorkerRuntime, startRequestWorker } from '../../worker/create-worker';
import { signInHousekeepingScheduleId } from '../../worker/sign-in-housekeeping-schedule';
import { createDatabase, TEST_KEY_FILE } from '../support/test-system';
import { waitFor } from '../support/wait-for';

/**
 * What signing in leaves behind is deleted once it serves nobody (db/sign-in-housekeeping.ts), every hour, by a
 * Temporal schedule that each worker makes sure of at start (worker/sign-in-housekeeping-schedule.ts). Against the
 * run's real Postgres and Temporal server; the schedule is triggered rather than waited for.
 */

let databaseUrl: string;
let database: DatabaseHandle;
let keyring: Keyring;
let userId: string;

beforeAll(async () => {
  installWorkerRuntime();
  keyring = await keyringFromFile(TEST_KEY_FILE);
  databaseUrl = await createDatabase();
  database = connectDatabase(databaseUrl);
  await migrateDatabase(database.pool);
  ({ userId } = await issueToken(database.db, { name: `housekeeping-${randomUUID().slice(0, 8)}`, role: 'partner', country: 'SN' }));
});
afterAll(async () => database?.close());

const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
const DAY = 24 * 3600_000;
const ids = async (table: string, column = 'id') =>
  (await database.pool.query<{ id: string }>(`select ${column}::text as id from ${table} order by 1`)).rows.map((row) => row.id);

/** Rows on each side of each line: `old` ones may go, `recent` ones must stay. Returns the IDs of the recent ones. */
async function leaveBehind() {
  const session = async (expiresAt: string, endedAt: string | null) => {
    const id = randomUUID();
    await database.pool.query(
      `insert into sessions (id, secret_hash, user_id, method, expires_at, ended_at, end_reason, client_address) values ($1, $2, $3, 'email_link', $4, $5, $6, '127.0.0.1')`,
      [id, randomUUID().replaceAll('-', '').padEnd(64, '0'), userId, expiresAt, endedAt, endedAt ? 'signed_out' : null],
    );
    return id;
  };
  const secret = async (expiresAt: string, usedAt: string | null) => {
    const id = randomUUID();
    await database.pool.query(`insert into sign_in_secrets (id, purpose, user_id, secret_hash, created_by, expires_at, used_at) values ($1, 'sign_in', $2, $3, 'test', $4, $5)`, [
      id,
      userId,
      randomUUID().replaceAll('-', '').padEnd(64, '0'),
      expiresAt,
      usedAt,
    ]);
    return id;
  };
  const attempt = async (at: string) =>
    (await database.pool.query<{ id: string }>(`insert into sign_in_attempts (address_hash, client_address, at) values ($1, '127.0.0.1', $2) returning id::text`, ['a'.repeat(64), at])).rows[0]!.id;
  const challenge = async (expiresAt: string) => {
    const id = randomUUID();
    await database.pool.query(`insert into passkey_challenges (challenge, purpose, expires_at) values ($1, 'authentication', $2)`, [id, expiresAt]);
    return id;
  };
  const kept = KEPT_AFTER_USE_MS;
  // Old: ended, or expired, more than the kept month ago.
  await session(ago(-DAY), ago(kept + DAY));
  await session(ago(kept + DAY), null);
  await secret(ago(kept + DAY), ago(kept + 2 * DAY));
  await secret(ago(kept + DAY), null);
  await attempt(ago(ATTEMPTS_KEPT_MS + 60_000));
  await challenge(ago(60_000));
  expect(await spendSignOnState(database.db, { state: `old-${randomUUID()}`, expiresAt: Date.now() - 60_000 })).toBe(true);
  return {
    sessions: [await session(ago(-DAY), null), await session(ago(-DAY), ago(DAY)), await session(ago(kept - DAY), null)].sort(),
    secrets: [await secret(ago(-60_000), null), await secret(ago(kept - DAY), ago(kept - DAY))].sort(),
    attempts: [await attempt(ago(60_000))],
    challenges: [await challenge(ago(-60_000))],
    states: [`recent-${randomUUID()}`],
  };
}

describe('sign-in housekeeping', () => {
  it('deletes what serves nobody, keeps the rest, and deletes nothing more run again', async () => {
    const recent = await leaveBehind();
    expect(await spendSignOnState(database.db, { state: recent.states[0]!, expiresAt: Date.now() + 600_000 })).toBe(true);
    const pruned = await pruneSignInRecords(database.db);
    expect(pruned).toEqual({ sessions: 2, secrets: 2, attempts: 1, passkeyChallenges: 1, signOnStates: 1 });
    expect(await ids('sessions')).toEqual(recent.sessions);
    expect(await ids('sign_in_secrets')).toEqual(recent.secrets);
    expect(await ids('sign_in_attempts')).toEqual(recent.attempts);
    expect(await ids('passkey_challenges', 'challenge')).toEqual(recent.challenges);
    expect((await ids('spent_sign_on_states', 'state_hash')).length).toBe(1);
    expect(await pruneSignInRecords(database.db)).toEqual({ sessions: 0, secrets: 0, attempts: 0, passkeyChallenges: 0, signOnStates: 0 });
  });

  it('spends a single sign-on state once, whichever API instance (connection) brings it back', async () => {
    const other = connectDatabase(databaseUrl);
    try {
      const attempt = { state: randomUUID(), expiresAt: Date.now() + 600_000 };
      const [first, second] = await Promise.all([spendSignOnState(database.db, attempt), spendSignOnState(other.db, attempt)]);
      expect([first, second].sort()).toEqual([false, true]);
      expect(await spendSignOnState(other.db, attempt)).toBe(false);
      // Only a hash of the state is kept.
      expect(await ids('spent_sign_on_states', 'state_hash')).not.toContain(attempt.state);
    } finally {
      await other.close();
    }
  });

  it('runs every hour on a schedule that each worker makes sure of at start', async () => {
    const taskQueue = `housekeeping-${randomUUID()}`;
    const config = loadConfig({ TEMPORAL_TASK_QUEUE: taskQueue, WORKFLOW_BUNDLE_PATH: inject('workflowBundlePath') });
    const start = () => startRequestWorker(config, { temporalAddress: inject('temporalAddress'), db: database.db, keyring });
    const connection = await Connection.connect({ address: inject('temporalAddress') });
    const client = new Client({ connection, namespace: 'default', dataConverter: encryptingDataConverter(keyring) });
    const schedule = client.schedule.getHandle(signInHousekeepingScheduleId(taskQueue));
    try {
      // A second worker (or a restart) finds the schedule there and starts all the same.
      await (await start()).stop();
      const running = await start();
      try {
        const described = await schedule.describe();
        expect(described.spec.intervals).toMatchObject([{ every: 3_600_000 }]);
        expect(described.action).toMatchObject({ type: 'startWorkflow', workflowType: 'signInHousekeeping', taskQueue });

        const recent = await leaveBehind();
        await schedule.trigger();
        await waitFor(async () => (await schedule.describe()).info.recentActions.length, (runs) => runs > 0, 20_000);
        const run = (await schedule.describe()).info.recentActions[0]!.action.workflow;
        const result = await client.workflow.getHandle(run.workflowId, run.firstExecutionRunId).result();
        expect(result).toMatchObject({ sessions: 2, secrets: 2, attempts: 1, passkeyChallenges: 1, signOnStates: 1 });
        expect(await ids('sessions')).toEqual(expect.arrayContaining(recent.sessions));
        expect((await ids('sessions')).length).toBe(recent.sessions.length + 3);
      } finally {
        await running.stop();
      }
    } finally {
      await schedule.delete().catch(() => undefined);
      await connection.close();
    }
  }, 60_000);
});
