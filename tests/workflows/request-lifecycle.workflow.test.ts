import { WithStartWorkflowOperation, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SUBMISSION } from '../unit/request-fixtures';
import { createWebhookDispatcher } from '../../activities/webhooks/dispatcher';
import { RequestWorkflows } from '../../api/request-workflows';
import { createActivities } from '../../activities/create-activities';
import { connectDatabase, migrateDatabase, type DatabaseHandle } from '../../db/client';
import { issueToken } from '../../db/users-repository';
import type { requestLifecycle } from '../../workflows/request-lifecycle';
import {
  RequestPhaseKey,
  SUBMIT_UPDATE_ID,
  requestWorkflowId,
  stateQuery,
  stepUpdates,
  submitUpdate,
  type StepRequest,
} from '../../workflows/request-contract';
import type { Actor, Role } from '../../workflows/request-model';
import { encryptingDataConverter } from '../../codec/data-converter';
import { keyringFromFile } from '../../codec/keyring';
import { createDatabase, TEST_KEY_FILE, TEST_WEBHOOK_RETRY } from '../support/test-system';
import { render } from '../../i18n/messages';
import type { RefusalDetails } from '../../workflows/request-contract';

/**
 * The workflow on its own, driven through the Temporal client (no HTTP): its validators, its concurrency,
 * its timers and its search attributes, with the real activities writing to a real database.
 */

let env: TestWorkflowEnvironment;
let database: DatabaseHandle;
let worker: Worker;
let workerDone: Promise<void>;
const taskQueue = `wf-test-${randomUUID()}`;

async function person(role: Role, country: string | null = null): Promise<Actor> {
  const name = `${role}-${randomUUID().slice(0, 8)}`;
  const { userId } = await issueToken(database.db, { name, role, country });
  // The API would attach the chair's current term; here the test hands the workflow one that covers now.
  const chairTerm = role === 'chair' ? { startsAt: '2000-01-01T00:00:00.000Z', endsAt: '2100-01-01T00:00:00.000Z' } : undefined;
  return { userId, name, role, country, ...(chairTerm ? { chairTerm } : {}) };
}

beforeAll(async () => {
  const dataConverter = encryptingDataConverter(await keyringFromFile(TEST_KEY_FILE));
  env = await TestWorkflowEnvironment.createFromExistingServer({ address: inject('temporalAddress'), client: { dataConverter } });
  database = connectDatabase(await createDatabase());
  await migrateDatabase(database.pool);
  worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: { codePath: inject('workflowBundlePath') },
    // No subscriptions exist in this database, so no delivery is ever queued; a dispatch would start real workflows.
    activities: createActivities({
      db: database.db,
      webhooks: createWebhookDispatcher({ client: env.client, taskQueue, retry: TEST_WEBHOOK_RETRY }),
      requests: new RequestWorkflows(env.client, taskQueue, { reviewPeriod: 'PT1H' }),
    }),
    dataConverter,
  });
  workerDone = worker.run();
});

afterAll(async () => {
  worker?.shutdown();
  await workerDone;
  await database?.close();
  await env?.teardown();
});

async function start(partner: Actor, reviewPeriod = 'PT1H') {
  const requestId = randomUUID();
  const handle = await env.client.workflow.start<typeof requestLifecycle>('requestLifecycle', {
    taskQueue,
    workflowId: requestWorkflowId(requestId),
    args: [
      {
        requestId,
        submittedBy: partner,
        policy: { reviewPeriod },
        submission: {
          title: 'Study on labour mobility schemes',
          description: 'A comparative study.',
          country: partner.country!,
          domain: 2,
          activityType: 'study',
          objectives: 'Map existing schemes.',
          expectedOutcomes: 'A published study.',
          estimatedBudgetEur: 30000,
          preferredPeriod: null,
        },
      },
    ],
  });
  await handle.executeUpdate(submitUpdate, { updateId: SUBMIT_UPDATE_ID });
  return handle;
}

const step = (handle: Awaited<ReturnType<typeof start>>, request: StepRequest) =>
  handle.executeUpdate(stepUpdates[request.step.action], { args: [request] });

async function acceptedUpdates(handle: Awaited<ReturnType<typeof start>>): Promise<number> {
  const history = await handle.fetchHistory();
  return (history.events ?? []).filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes).length;
}

describe('request lifecycle workflow', () => {
  it('refuses a submission no one may make (another country, another role), recording nothing', async () => {
    const partner: Actor = { userId: 'u-nfp-sn', name: 'Awa Diop', role: 'partner', country: 'SN' };
    const secretariat: Actor = { userId: 'u-sec', name: 'Sofia Rossi', role: 'secretariat', country: null };
    for (const [submitter, country, message] of [
      [partner, 'ML', 'you cannot submit a request for ML'],
      [secretariat, 'SN', 'Only a National Focal Point'],
    ] as const) {
      // As the API submits: the workflow's start and its submit update in one call.
      const requestId = randomUUID();
      const startOperation = new WithStartWorkflowOperation<typeof requestLifecycle>('requestLifecycle', {
        taskQueue,
        workflowId: requestWorkflowId(requestId),
        workflowIdConflictPolicy: 'USE_EXISTING',
        args: [{ requestId, submittedBy: submitter, policy: { reviewPeriod: 'PT1H' }, submission: { ...SUBMISSION, country } }],
      });
      const refused = await env.client.workflow.executeUpdateWithStart(submitUpdate, { updateId: SUBMIT_UPDATE_ID, startWorkflowOperation: startOperation }).then(
        () => null,
        (error: unknown) => error,
      );
      expect(refused).toBeInstanceOf(WorkflowUpdateFailedError);
      const cause = (refused as WorkflowUpdateFailedError).cause as ApplicationFailure;
      expect(cause).toMatchObject({ type: 'forbidden', details: [{ phase: null }] });
      expect(inEnglish(cause)).toContain(message);
    }
    const { rows } = await database.pool.query(`SELECT count(*)::int AS n FROM request_events WHERE type = 'submitted' AND (actor_role <> 'partner' OR payload::text LIKE '%"ML"%')`);
    expect(rows[0].n).toBe(0);
  });

  it('answers the live state by query and maintains the RequestPhase search attribute', async () => {
    const partner = await person('partner', 'CI');
    const secretariat = await person('secretariat');
    const handle = await start(partner);
    expect((await handle.query(stateQuery)).phase).toBe('screening');
    await step(handle, { actor: secretariat, step: { action: 'screen', outcome: 'request_information', note: 'Which ministries?' } });
    const state = await handle.query(stateQuery);
    expect(state).toMatchObject({ phase: 'awaiting_information', version: 2 });
    const description = await handle.describe();
    expect(description.typedSearchAttributes.get(RequestPhaseKey)).toBe('awaiting_information');
  });

  it('refuses a step in its validator: the caller gets the reason, and the history does not grow', async () => {
    const partner = await person('partner', 'CI');
    const monitor = await person('monitor');
    const handle = await start(partner);
    const before = await acceptedUpdates(handle);
    const refused = await step(handle, { actor: monitor, step: { action: 'screen', outcome: 'accept', note: 'x' } }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(WorkflowUpdateFailedError);
    const cause = (refused as WorkflowUpdateFailedError).cause;
    expect(cause).toBeInstanceOf(ApplicationFailure);
    expect((cause as ApplicationFailure).type).toBe('forbidden');
    // The words travel as a catalog key and its values, for the API to word in the caller's language.
    expect(cause?.message).toBe('error.onlyRolesMay');
    expect(inEnglish(cause as ApplicationFailure)).toBe('Only the Secretariat may screen the request; you are signed in as a monitor.');
    expect((cause as ApplicationFailure).details?.[0]).toMatchObject({ field: null, phase: 'screening', key: 'error.onlyRolesMay' });
    expect(await acceptedUpdates(handle)).toBe(before);
    expect((await handle.query(stateQuery)).version).toBe(1);
  });

  it('records concurrent votes each exactly once and closes review once, when the last eligible member votes', async () => {
    const partner = await person('partner', 'BF');
    const secretariat = await person('secretariat');
    // This test's database holds the Steering Committee: three eligible members and one from the requesting country.
    const members = [await person('sc_member', 'DE'), await person('sc_member', 'MA'), await person('sc_member', 'NG')];
    const conflicted = await person('sc_member', 'BF');
    const handle = await start(partner);
    const opened = await step(handle, { actor: secretariat, step: { action: 'screen', outcome: 'accept', note: 'ok' } });
    const eligible = opened.state.review!.reviewers.filter((r) => !r.conflicted).map((r) => r.userId);
    expect(eligible.sort()).toEqual(expect.arrayContaining(members.map((m) => m.userId)));
    expect(opened.state.review!.reviewers.find((r) => r.userId === conflicted.userId)?.conflicted).toBe(true);

    const outcomes = await Promise.all(
      members.map((member, i) => step(handle, { actor: member, step: { action: 'vote', vote: i === 0 ? 'objection' : 'no_objection', comment: null } })),
    );
    const final = await handle.query(stateQuery);
    expect(final.phase).toBe('approval');
    expect(final.review!.votes).toHaveLength(3);
    expect(final.review!.closedBecause).toBe('all_voted');
    expect(outcomes.filter((o) => o.events.some((e) => e.type === 'review_closed'))).toHaveLength(1);

    const { rows } = await database.pool.query(
      `select type, count(*)::int as n from request_events where request_id = $1 group by type order by type`,
      [final.requestId],
    );
    expect(rows).toEqual([
      { type: 'review_closed', n: 1 },
      { type: 'screening_accepted', n: 1 },
      { type: 'submitted', n: 1 },
      { type: 'vote_recorded', n: 3 },
    ]);
    const votes = await database.pool.query('select count(*)::int as n from review_votes where request_id = $1', [final.requestId]);
    expect(votes.rows[0].n).toBe(3);
  });

  it('closes review by timer when the deadline passes, and the timer does not fire again after the request moved on', async () => {
    const partner = await person('partner', 'GM');
    const secretariat = await person('secretariat');
    const chair = await person('chair');
    const handle = await start(partner, 'PT1S');
    await step(handle, { actor: secretariat, step: { action: 'screen', outcome: 'accept', note: 'ok' } });
    let state = await handle.query(stateQuery);
    for (let i = 0; i < 40 && state.phase === 'review'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      state = await handle.query(stateQuery);
    }
    expect(state.review).toMatchObject({ closedBecause: 'deadline_passed' });
    await step(handle, { actor: chair, step: { action: 'decide', decision: 'request_revision', rationale: 'More detail.', conditions: null, approvedBudgetEur: null, points: ['Name the study.'] } });
    await step(handle, { actor: partner, step: { action: 'revise', changes: { title: 'Revised study' }, answers: ['Retitled.'] } });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const after = await handle.query(stateQuery);
    expect(after.phase).toBe('screening');
    expect(after.submission.title).toBe('Revised study');
    const history = await handle.fetchHistory();
    const timers = (history.events ?? []).filter((e) => e.timerStartedEventAttributes).length;
    const fired = (history.events ?? []).filter((e) => e.timerFiredEventAttributes).length;
    expect({ timers, fired }).toEqual({ timers: 1, fired: 1 });
  });
});

/** A refusal's words as the API gives them to an English caller (api/request-workflows.ts reads them the same way). */
function inEnglish(failure: ApplicationFailure): string {
  const { key, values } = failure.details?.[0] as RefusalDetails;
  return render('en', { key: key!, values });
}
