import { describe, expect, it } from 'vitest';
import { advanceTo, call, submit } from '../support/cast';
import { useTestSystem } from '../support/use-test-system';

/**
 * A step whose answer was lost (a dropped connection, an API restarted mid-step) is sent again by the client.
 * With an Idempotency-Key it is taken once; `npm run chaos` found reports recorded twice without one.
 */
const ctx = useTestSystem();

const eventTypes = async (id: string) =>
  (await call(ctx.system, 'GET', `/requests/${id}/events`, ctx.cast.monitor)).body.items.map((e: { type: string }) => e.type);

const activity = {
  type: 'training',
  title: 'Fraud detection training',
  startDate: '2027-04-10',
  endDate: '2027-04-11',
  location: 'Dakar, SN',
  budgetEur: 10000,
};

describe('steps with an Idempotency-Key', () => {
  it('a report sent twice with the same key is recorded once, and the retry answers as the first attempt did', async () => {
    const { system, cast } = ctx;
    const id = await submit(system, cast);
    await advanceTo(system, cast, id, 'implementation');
    const headers = { 'idempotency-key': `report-${id}` };
    const report = { kind: 'progress', summary: 'Half way.' };

    const first = await call(system, 'POST', `/requests/${id}/reports`, cast.partner, report, headers);
    const retry = await call(system, 'POST', `/requests/${id}/reports`, cast.partner, report, headers);
    expect([first.status, retry.status]).toEqual([200, 200]);
    expect(retry.body.reports).toHaveLength(1);
    expect(retry.body.version).toBe(first.body.version);
    expect((await eventTypes(id)).filter((type: string) => type === 'report_submitted')).toHaveLength(1);

    // Without a key, sending it again is another report.
    expect((await call(system, 'POST', `/requests/${id}/reports`, cast.partner, report)).body.reports).toHaveLength(2);
  });

  it('an activity planned twice with the same key is planned once, with the same ID', async () => {
    const { system, cast } = ctx;
    const id = await submit(system, cast);
    await advanceTo(system, cast, id, 'implementation');
    const headers = { 'idempotency-key': `plan-${id}` };
    const first = await call(system, 'POST', `/requests/${id}/activities`, cast.secretariat, activity, headers);
    const retry = await call(system, 'POST', `/requests/${id}/activities`, cast.secretariat, activity, headers);
    expect([first.status, retry.status]).toEqual([201, 201]);
    expect(retry.body.activityId).toBe(first.body.activityId);
    expect(retry.body.request.activities).toHaveLength(1);
    expect((await eventTypes(id)).filter((type: string) => type === 'activity_planned')).toHaveLength(1);
  });

  it('the same key with another body, or from another person, is another step, never mistaken for a retry', async () => {
    const { system, cast } = ctx;
    const id = await submit(system, cast);
    await advanceTo(system, cast, id, 'implementation');
    const headers = { 'idempotency-key': `shared-${id}` };
    await call(system, 'POST', `/requests/${id}/reports`, cast.partner, { kind: 'progress', summary: 'First.' }, headers);
    const other = await call(system, 'POST', `/requests/${id}/reports`, cast.partner, { kind: 'progress', summary: 'Second.' }, headers);
    const bySecretariat = await call(system, 'POST', `/requests/${id}/reports`, cast.secretariat, { kind: 'progress', summary: 'First.' }, headers);
    expect(bySecretariat.body.reports.map((r: { summary: string }) => r.summary)).toEqual(['First.', 'Second.', 'First.']);
    expect(other.status).toBe(200);
  });

  it('a retried step the request has moved past answers as its first attempt did; a new key is refused with 409', async () => {
    const { system, cast } = ctx;
    const id = await submit(system, cast);
    const headers = { 'idempotency-key': `screen-${id}` };
    const body = { outcome: 'accept', note: 'Complete.' };
    const first = await call(system, 'POST', `/requests/${id}/screening`, cast.secretariat, body, headers);
    expect(first.status).toBe(200);
    const retry = await call(system, 'POST', `/requests/${id}/screening`, cast.secretariat, body, headers);
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(first.body);
    expect((await eventTypes(id)).filter((type: string) => type === 'screening_accepted')).toHaveLength(1);

    const fresh = await call(system, 'POST', `/requests/${id}/screening`, cast.secretariat, body, { 'idempotency-key': `another-${id}` });
    expect(fresh.status).toBe(409);
    expect(fresh.body.phase).toBe('review');
  });

  it('refuses a key that is not printable ASCII', async () => {
    const { system, cast } = ctx;
    const id = await submit(system, cast);
    const refused = await call(system, 'POST', `/requests/${id}/screening`, cast.secretariat, { outcome: 'accept', note: 'x' }, { 'idempotency-key': 'two words' });
    expect(refused.status).toBe(400);
    expect(refused.body.field).toMatch(/idempotency-key/);
  });
});
