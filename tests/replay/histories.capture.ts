import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../support/test-system';
import { advanceTo, call, createCast, submit, type Cast } from '../support/cast';
import { waitFor } from '../support/wait-for';
import { startWebhookReceiver } from '../support/webhook-receiver';

/** Scenarios whose histories every future version of the workflow must replay. Run with `npm run histories:capture`. */

const HISTORIES_DIR = fileURLToPath(new URL('./histories/', import.meta.url));

let system: TestSystem;
let cast: Cast;

beforeAll(async () => {
  system = await startTestSystem({ reviewPeriod: 'PT2S', webhookWorker: true, meetingReminderLead: 'PT2S' });
  cast = await createCast(system);
  await mkdir(HISTORIES_DIR, { recursive: true });
});
afterAll(async () => system?.stop());

async function save(name: string, id: string, on: TestSystem = system, runId?: string, workflowId = `capacity-request-${id}`): Promise<void> {
  const handle = on.client.workflow.getHandle(workflowId);
  await handle.result();
  // The CLI writes the canonical JSON form of a history, the one the SDK's historyFromJSON reads back.
  const { stdout } = await promisify(execFile)(
    inject('temporalCliPath'),
    ['workflow', 'show', '--workflow-id', handle.workflowId, ...(runId ? ['--run-id', runId] : []), '--address', inject('temporalAddress'), '--output', 'json'],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  // Dated, so that a new capture adds histories next to the old ones instead of replacing them: the old ones
  // are what requests started under earlier code look like, and must keep replaying.
  const capturedAt = new Date().toISOString().slice(0, 16).replace(':', '');
  await writeFile(`${HISTORIES_DIR}${name}.${capturedAt}.json`, stdout);
}

describe('capture histories', () => {
  it('completed, through both loops', async () => {
    const id = await submit(system, cast);
    await call(system, 'POST', `/requests/${id}/screening`, cast.secretariat, { outcome: 'request_information', note: 'Which posts?' });
    await call(system, 'POST', `/requests/${id}/information`, cast.partner, { response: 'Dakar and Rosso.' });
    await advanceTo(system, cast, id, 'approval');
    await call(system, 'POST', `/requests/${id}/decision`, cast.chair, { decision: 'request_revision', rationale: 'Gender balance.', points: ['How many women?'] });
    await call(system, 'POST', `/requests/${id}/revision`, cast.partner, { expectedOutcomes: '40 officers, 15 women.', answers: ['At least 15.'] });
    await advanceTo(system, cast, id, 'completed');
    await save('completed-with-both-loops', id);
  });

  it('documents attached in screening and in implementation, one removed, then completed', async () => {
    const attach = async (id: string, who: Cast[keyof Cast], name: string) => {
      const response = await system.app.inject({
        method: 'POST',
        url: `/requests/${id}/documents?name=${name}`,
        headers: { authorization: `Bearer ${who.token}`, 'content-type': 'application/pdf' },
        payload: `%PDF-1.7\n${name}\n%%EOF\n`,
      });
      expect(response.statusCode).toBe(201);
      return (response.json() as { document: { documentId: string } }).document.documentId;
    };
    const id = await submit(system, cast);
    await attach(id, cast.partner, 'concept-note.pdf');
    await advanceTo(system, cast, id, 'implementation');
    const terms = await attach(id, cast.secretariat, 'terms-of-reference.pdf');
    await call(system, 'POST', `/requests/${id}/documents/${terms}/removal`, cast.secretariat, { reason: 'Superseded by the signed version.' });
    await advanceTo(system, cast, id, 'completed', { from: 'implementation' });
    await save('documents-attached-removed-completed', id);
  });

  it('review closed by its deadline, then rejected', async () => {
    const id = await submit(system, cast);
    await call(system, 'POST', `/requests/${id}/screening`, cast.secretariat, { outcome: 'accept', note: 'ok' });
    let phase = 'review';
    for (let i = 0; i < 50 && phase === 'review'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      phase = (await call(system, 'GET', `/requests/${id}`, cast.chair)).body.phase;
    }
    expect(phase).toBe('approval');
    await call(system, 'POST', `/requests/${id}/decision`, cast.chair, { decision: 'reject', rationale: 'Out of scope.' });
    await save('review-deadline-then-rejected', id);
  });

  it('withdrawn during screening', async () => {
    const id = await submit(system, cast);
    await call(system, 'POST', `/requests/${id}/withdrawal`, cast.partner, { reason: 'Funded bilaterally.' });
    await save('withdrawn-in-screening', id);
  });

  it('cancelled during implementation', async () => {
    const id = await submit(system, cast);
    await advanceTo(system, cast, id, 'implementation');
    await call(system, 'POST', `/requests/${id}/cancellation`, cast.chair, { reason: 'Security situation.' });
    await save('cancelled-in-implementation', id);
  });
});

describe('capture histories under the committee procedures and deadlines', () => {
  let timed: TestSystem;
  let people: Cast;
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const phaseOf = async (id: string) => (await call(timed, 'GET', `/requests/${id}`, people.monitor)).body.phase as string;

  beforeAll(async () => {
    timed = await startTestSystem({
      policy: {
        reviewPeriod: 'PT2S',
        reviewProcedure: 'no_objection',
        reviewReminderLead: 'PT1S',
        screeningPeriod: 'PT3S',
        screeningReminderLead: 'PT2S',
        informationPeriod: 'PT2S',
        informationReminderLead: 'PT1S',
      },
    });
    people = await createCast(timed);
  });
  afterAll(async () => timed?.stop());

  it('objection, Chair approves with a condition, condition met, completed', async () => {
    const id = await submit(timed, people);
    await pause(1_300); // the screening reminder fires
    await call(timed, 'POST', `/requests/${id}/screening`, people.secretariat, { outcome: 'request_information', note: 'Dates?' });
    await call(timed, 'POST', `/requests/${id}/information`, people.partner, { response: 'May 2027.' });
    await call(timed, 'POST', `/requests/${id}/screening`, people.secretariat, { outcome: 'accept', note: 'Eligible.' });
    await call(timed, 'POST', `/requests/${id}/votes`, people.scMember, { vote: 'objection', comment: 'Budget too high.' });
    await call(timed, 'POST', `/requests/${id}/decision`, people.chair, { decision: 'approve', rationale: 'With a smaller budget.', conditions: ['Co-funding letter.'], approvedBudgetEur: 42000 });
    await call(timed, 'POST', `/requests/${id}/conditions/0/met`, people.secretariat, { note: 'Letter received.' });
    await advanceTo(timed, people, id, 'completed', { from: 'implementation' });
    await save('objection-then-conditions-completed', id, timed);
  });

  it('approved by silence, then cancelled by the Chair', async () => {
    const id = await submit(timed, people);
    await call(timed, 'POST', `/requests/${id}/screening`, people.secretariat, { outcome: 'accept', note: 'Eligible.' });
    // Review closes, then the procedure approves: wait for the second of the two events.
    for (let i = 0; i < 50 && (await phaseOf(id)) !== 'implementation'; i++) await pause(200);
    expect(await phaseOf(id)).toBe('implementation');
    await call(timed, 'POST', `/requests/${id}/cancellation`, people.chair, { reason: 'Security situation.' });
    await save('approved-by-silence-then-cancelled', id, timed);
  });

  it('withdrawn for no response', async () => {
    const id = await submit(timed, people);
    await call(timed, 'POST', `/requests/${id}/screening`, people.secretariat, { outcome: 'request_information', note: 'Budget?' });
    for (let i = 0; i < 50 && (await phaseOf(id)) !== 'withdrawn'; i++) await pause(200);
    await save('withdrawn-no-response', id, timed);
  });

  it('review extended, vote changed, closed early by the Chair, revised', async () => {
    // A second member, so that one vote does not close the review.
    await timed.user('sc_member', 'FR');
    const id = await submit(timed, people);
    await call(timed, 'POST', `/requests/${id}/screening`, people.secretariat, { outcome: 'accept', note: 'Eligible.' });
    const until = new Date(Date.now() + 60_000).toISOString();
    await call(timed, 'POST', `/requests/${id}/review/extension`, people.chair, { until, reason: 'More time.' });
    await call(timed, 'POST', `/requests/${id}/votes`, people.scMember, { vote: 'abstain' });
    await call(timed, 'POST', `/requests/${id}/votes`, people.scMember, { vote: 'no_objection', comment: 'On reflection.' });
    await call(timed, 'POST', `/requests/${id}/review/closure`, people.chair, { reason: 'Decide now.' });
    await call(timed, 'POST', `/requests/${id}/decision`, people.chair, { decision: 'request_revision', rationale: 'Clarify.', points: ['Who attends?'] });
    await call(timed, 'POST', `/requests/${id}/revision`, people.partner, { title: 'Revised title', answers: ['Border police.'] });
    await call(timed, 'POST', `/requests/${id}/withdrawal`, people.partner, { reason: 'No longer needed.' });
    await save('extended-closed-early-revised-withdrawn', id, timed);
  });
});

describe('capture histories of a request that continued as new runs', () => {
  let long: TestSystem;
  let people: Cast;
  beforeAll(async () => {
    long = await startTestSystem({ policy: { historyLimit: 60 } });
    people = await createCast(long);
  });
  afterAll(async () => long?.stop());

  it('first and last run of a continued request', async () => {
    const id = await submit(long, people);
    await advanceTo(long, people, id, 'implementation');
    for (let i = 1; i <= 12; i++) {
      await call(long, 'POST', `/requests/${id}/reports`, people.partner, { kind: 'progress', summary: `Report ${i}` });
    }
    await advanceTo(long, people, id, 'completed', { from: 'implementation' });
    const runs: Array<{ runId: string; startTime: Date }> = [];
    for await (const run of long.client.workflow.list({ query: `WorkflowId = 'capacity-request-${id}'` })) runs.push(run);
    runs.sort((a, b) => a.startTime.getTime() - b.startTime.getTime());
    expect(runs.length).toBeGreaterThanOrEqual(3);
    await save('continued-first-run', id, long, runs[0]!.runId);
    await save('continued-last-run', id, long, runs.at(-1)!.runId);
  });
});

describe('capture histories of the activity lifecycle and budget', () => {
  let sys: TestSystem;
  let people: Cast;
  beforeAll(async () => {
    sys = await startTestSystem();
    people = await createCast(sys);
  });
  afterAll(async () => sys?.stop());

  it('postponed, confirmed, held; over budget refused; budget increased; cancelled; completed', async () => {
    const id = await submit(sys, people, { estimatedBudgetEur: 30000 });
    await advanceTo(sys, people, id, 'implementation');
    const plan = (title: string, budgetEur: number) =>
      call(sys, 'POST', `/requests/${id}/activities`, people.secretariat, {
        type: 'workshop', title, startDate: '2027-05-10', endDate: '2027-05-11', location: 'Accra, GH', budgetEur,
      });
    const first = await plan('Workshop', 20000);
    const url = `/requests/${id}/activities/${first.body.activityId}`;
    await call(sys, 'PATCH', url, people.secretariat, { status: 'postponed', startDate: '2027-06-10', endDate: '2027-06-11', reason: 'Venue.' });
    await call(sys, 'PATCH', url, people.secretariat, { status: 'confirmed' });
    await call(sys, 'PATCH', url, people.secretariat, { status: 'held', participants: { total: 20, women: 9, men: 11, institutions: 3 }, spentEur: 19500 });
    expect((await plan('Too much', 15000)).status).toBe(409);
    await call(sys, 'POST', `/requests/${id}/budget/increase`, people.chair, { approvedBudgetEur: 40000, rationale: 'Second workshop.' });
    const second = await plan('Second workshop', 15000);
    await call(sys, 'PATCH', `/requests/${id}/activities/${second.body.activityId}`, people.secretariat, { status: 'cancelled', reason: 'Not needed.' });
    await call(sys, 'POST', `/requests/${id}/implementation/complete`, people.secretariat, {});
    await advanceTo(sys, people, id, 'completed', { from: 'monitoring' });
    await save('activity-lifecycle-and-budget', id, sys);
  });
});

describe('capture histories of reporting: schedule, overdue, review of reports', () => {
  let sys: TestSystem;
  let people: Cast;
  beforeAll(async () => {
    sys = await startTestSystem({ policy: { progressReportInterval: 'PT2S', finalReportWithin: 'PT3S', reportReminderLead: 'PT1S' } });
    people = await createCast(sys);
  });
  afterAll(async () => sys?.stop());

  it('progress report overdue, then reported and accepted; final returned, resubmitted, accepted; closed with good practices', async () => {
    const id = await submit(sys, people);
    await advanceTo(sys, people, id, 'implementation');
    await new Promise((resolve) => setTimeout(resolve, 2_500)); // reminder, then overdue
    await call(sys, 'POST', `/requests/${id}/reports`, people.partner, { kind: 'progress', summary: 'Late, but here.' });
    await call(sys, 'POST', `/requests/${id}/reports/0/acceptance`, people.secretariat, {});
    const a = await call(sys, 'POST', `/requests/${id}/activities`, people.secretariat, {
      type: 'training', title: 'T', startDate: '2027-01-01', endDate: '2027-01-02', location: 'online', budgetEur: 1000,
    });
    await call(sys, 'PATCH', `/requests/${id}/activities/${a.body.activityId}`, people.secretariat, { status: 'cancelled', reason: 'Merged.' });
    await call(sys, 'POST', `/requests/${id}/implementation/complete`, people.secretariat, {});
    await call(sys, 'POST', `/requests/${id}/reports`, people.partner, { kind: 'final', summary: 'Draft.' });
    await call(sys, 'POST', `/requests/${id}/reports/1/return`, people.secretariat, { comments: 'Add indicators.' });
    await call(sys, 'POST', `/requests/${id}/reports`, people.partner, {
      kind: 'final', summary: 'Final.', indicators: [{ name: 'People trained', unit: 'people', target: 40, achieved: 38, women: 15, men: 23 }],
    });
    await call(sys, 'POST', `/requests/${id}/reports/2/acceptance`, people.secretariat, {});
    await call(sys, 'POST', `/requests/${id}/closure`, people.secretariat, { lessonsLearned: 'L.', goodPractices: ['G.'] });
    await save('reporting-reviews-and-overdue', id, sys);
  });
});

describe('capture histories of webhook deliveries', () => {
  it('delivered on the second attempt; dead-lettered after the last', async () => {
    const receiver = await startWebhookReceiver();
    try {
      const subscribed = await call(system, 'POST', '/admin/webhooks', cast.admin, { url: receiver.url, eventTypes: ['submitted'] });
      const deliveryOf = async (requestId: string) =>
        waitFor(
          async () => (await call(system, 'GET', `/admin/webhooks/${subscribed.body.id}/deliveries`, cast.admin)).body.items as Array<{ deliveryId: string; requestId: string; status: string }>,
          (items) => items.some((d) => d.requestId === requestId && (d.status === 'delivered' || d.status === 'dead')),
        ).then((items) => items.find((d) => d.requestId === requestId)!);

      receiver.answerWith(503);
      const retried = await submit(system, cast);
      await new Promise((resolve) => setTimeout(resolve, 100));
      receiver.answerWith(204);
      const delivered = await deliveryOf(retried);
      await save('webhook-delivered', retried, system, undefined, `webhook-delivery-${delivered.deliveryId}`);

      receiver.answerWith(500);
      const failing = await submit(system, cast);
      const dead = await deliveryOf(failing);
      expect(dead.status).toBe('dead');
      await save('webhook-dead-lettered', failing, system, undefined, `webhook-delivery-${dead.deliveryId}`);
      await call(system, 'DELETE', `/admin/webhooks/${subscribed.body.id}`, cast.admin);
    } finally {
      await receiver.stop();
    }
  });
});

describe('capture histories of a meeting’s minutes', () => {
  it('minutes deciding a request in review (closed first), one in approval, and one refused', async () => {
    const inReview = await submit(system, cast, { title: 'Decided by the meeting from review' });
    await advanceTo(system, cast, inReview, 'review');
    const inApproval = await submit(system, cast, { title: 'Decided by the meeting from approval' });
    await advanceTo(system, cast, inApproval, 'approval');
    const meeting = (await call(system, 'POST', '/meetings', cast.secretariat, { title: 'SC meeting, replay', scheduledFor: '2027-05-04T09:00:00Z' })).body;
    const recorded = await call(system, 'POST', `/meetings/${meeting.meetingId}/minutes`, cast.chair, {
      decisions: [
        { requestId: inReview, decision: 'reject', rationale: 'Outside the action plan.' },
        { requestId: inApproval, decision: 'approve', rationale: 'Agreed at the meeting.' },
        { requestId: '00000000-0000-4000-8000-000000000000', decision: 'approve', rationale: 'Not on the agenda.' },
      ],
    });
    expect(recorded.body.results.map((r: { status: number }) => r.status)).toEqual([200, 200, 409]);
    await save('meeting-minutes', meeting.meetingId, system, undefined, `meeting-minutes-${meeting.meetingId}`);
    await save('rejected-by-meeting-minutes', inReview);
  });
});

describe('capture the history of a meeting', () => {
  it('scheduled, its members reminded two seconds before it', async () => {
    const inReview = await submit(system, cast, { title: 'On the agenda of the reminded meeting' });
    await advanceTo(system, cast, inReview, 'review');
    const scheduledFor = new Date(Date.now() + 3_000).toISOString();
    const meeting = (await call(system, 'POST', '/meetings', cast.secretariat, { title: 'SC meeting, reminded', scheduledFor })).body;
    expect(meeting.agenda.map((item: { requestId: string }) => item.requestId)).toContain(inReview);
    await save('meeting-reminded', meeting.meetingId, system, undefined, `meeting-${meeting.meetingId}`);
  });
});
