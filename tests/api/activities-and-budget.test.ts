import { describe, expect, it } from 'vitest';
import { useTestSystem } from '../support/use-test-system';
import { advanceTo, call, submit } from '../support/cast';

/** Implementation as the Secretariat runs it: activities confirmed, held, postponed or cancelled, within budget. */
const ctx = useTestSystem();

const activity = (overrides: Record<string, unknown> = {}) => ({
  type: 'workshop',
  title: 'Regional workshop',
  startDate: '2027-05-10',
  endDate: '2027-05-12',
  location: 'Abidjan, CI',
  budgetEur: 20000,
  ...overrides,
});

async function inImplementation(approvedBudgetEur: number): Promise<string> {
  const { system, cast } = ctx;
  const id = await submit(system, cast, { estimatedBudgetEur: approvedBudgetEur });
  await advanceTo(system, cast, id, 'approval');
  await call(system, 'POST', `/requests/${id}/decision`, cast.chair, { decision: 'approve', rationale: 'Agreed.', approvedBudgetEur });
  return id;
}

describe('activities', () => {
  it('planned → postponed (new dates, reason) → confirmed → held with participants, spending and deliverables', async () => {
    const { system, cast } = ctx;
    const id = await inImplementation(50000);
    const inNowhere = await call(system, 'POST', `/requests/${id}/activities`, cast.secretariat, activity({ venue: { online: false, city: 'Abidjan' } }));
    expect(inNowhere).toMatchObject({ status: 400, body: { field: 'venue.country' } });
    const planned = await call(system, 'POST', `/requests/${id}/activities`, cast.secretariat, activity({
      venue: { online: false, country: 'CI', city: 'Abidjan' },
      language: 'French',
      experts: ['Dr. A. Traoré'],
      budgetLines: [
        { label: 'Venue', amountEur: 8000 },
        { label: 'Travel', amountEur: 12000 },
      ],
    }));
    expect(planned.status).toBe(201);
    const url = `/requests/${id}/activities/${planned.body.activityId}`;

    const noReason = await call(system, 'PATCH', url, cast.secretariat, { status: 'postponed', startDate: '2027-06-01', endDate: '2027-06-03' });
    expect(noReason).toMatchObject({ status: 400, body: { field: 'reason' } });
    const postponed = await call(system, 'PATCH', url, cast.secretariat, {
      status: 'postponed',
      startDate: '2027-06-01',
      endDate: '2027-06-03',
      reason: 'Elections in the host country.',
    });
    expect(postponed.body.activities[0]).toMatchObject({ status: 'postponed', startDate: '2027-06-01', endDate: '2027-06-03', reason: 'Elections in the host country.' });

    const heldTooEarly = await call(system, 'PATCH', url, cast.secretariat, { status: 'held', participants: { total: 1, women: 0, men: 1, institutions: 1 }, spentEur: 1 });
    expect(heldTooEarly.status).toBe(409);
    expect(heldTooEarly.body.message).toContain('it can become confirmed, postponed or cancelled');
    await call(system, 'PATCH', url, cast.secretariat, { status: 'confirmed' });

    const badCount = await call(system, 'PATCH', url, cast.secretariat, { status: 'held', participants: { total: 10, women: 6, men: 6, institutions: 2 }, spentEur: 19000 });
    expect(badCount).toMatchObject({ status: 400, body: { field: 'participants' } });
    const noSpending = await call(system, 'PATCH', url, cast.secretariat, { status: 'held', participants: { total: 30, women: 12, men: 18, institutions: 4 } });
    expect(noSpending).toMatchObject({ status: 400, body: { field: 'spentEur' } });
    const held = await call(system, 'PATCH', url, cast.secretariat, {
      status: 'held',
      participants: { total: 30, women: 12, men: 18, institutions: 4 },
      spentEur: 19240.75,
      deliverables: [{ title: 'Workshop report', kind: 'report' }],
    });
    expect(held.body.activities[0]).toMatchObject({
      status: 'held',
      participants: { total: 30, women: 12, men: 18, institutions: 4 },
      deliverables: [{ title: 'Workshop report', kind: 'report', link: null }],
      spentEur: 19240.75,
      budgetLines: [{ label: 'Venue', amountEur: 8000 }, { label: 'Travel', amountEur: 12000 }],
      venue: { online: false, country: 'CI', city: 'Abidjan' },
    });
    expect(held.body.budget).toMatchObject({ approvedEur: 50000, plannedEur: 20000, spentEur: 19240.75, availableEur: 30000 });
    expect((await call(system, 'PATCH', url, cast.secretariat, { status: 'cancelled', reason: 'x' })).status).toBe(409);

    const { rows } = await system.database.pool.query('select status, spent_eur, participants from implementation_activities where id = $1', [planned.body.activityId]);
    expect(rows).toEqual([{ status: 'held', spent_eur: '19240.75', participants: { total: 30, women: 12, men: 18, institutions: 4 } }]);
  });

  it('budget lines must add up to the activity budget', async () => {
    const { system, cast } = ctx;
    const id = await inImplementation(50000);
    const r = await call(system, 'POST', `/requests/${id}/activities`, cast.secretariat, activity({ budgetLines: [{ label: 'Venue', amountEur: 5000 }] }));
    expect(r).toMatchObject({ status: 400, body: { field: 'budgetLines' } });
  });
});

describe('budget', () => {
  it('refuses planning beyond the approved budget, naming the figures, until the Chair raises it', async () => {
    const { system, cast } = ctx;
    const id = await inImplementation(30000);
    expect((await call(system, 'POST', `/requests/${id}/activities`, cast.secretariat, activity({ budgetEur: 20000 }))).status).toBe(201);
    const over = await call(system, 'POST', `/requests/${id}/activities`, cast.secretariat, activity({ title: 'Follow-up', budgetEur: 15000 }));
    expect(over.status).toBe(409);
    expect(over.body.message).toBe(
      'Planning this activity (€15,000) would bring the planned total to €35,000, above the approved budget of €30,000 (€20,000 already planned). ' +
        'Plan less, cancel an activity, or ask the Chair for a budget increase.',
    );
    const exact = await call(system, 'POST', `/requests/${id}/activities`, cast.secretariat, activity({ title: 'Follow-up', budgetEur: 10000 }));
    expect(exact.status).toBe(201);

    expect((await call(system, 'POST', `/requests/${id}/budget/increase`, cast.secretariat, { approvedBudgetEur: 45000, rationale: 'x' })).status).toBe(403);
    const lower = await call(system, 'POST', `/requests/${id}/budget/increase`, cast.chair, { approvedBudgetEur: 30000, rationale: 'x' });
    expect(lower).toMatchObject({ status: 400, body: { field: 'approvedBudgetEur' } });
    const raised = await call(system, 'POST', `/requests/${id}/budget/increase`, cast.chair, { approvedBudgetEur: 45000, rationale: 'A third session was requested by the SC.' });
    expect(raised.status).toBe(200);
    expect(raised.body.budget).toMatchObject({
      approvedEur: 45000,
      plannedEur: 30000,
      availableEur: 15000,
      increases: [{ fromEur: 30000, toEur: 45000, rationale: 'A third session was requested by the SC.' }],
    });
    expect((await call(system, 'POST', `/requests/${id}/activities`, cast.secretariat, activity({ title: 'Third session', budgetEur: 15000 }))).status).toBe(201);
  });

  it('a cancelled activity frees its budget', async () => {
    const { system, cast } = ctx;
    const id = await inImplementation(20000);
    const first = await call(system, 'POST', `/requests/${id}/activities`, cast.secretariat, activity());
    expect((await call(system, 'POST', `/requests/${id}/activities`, cast.secretariat, activity({ title: 'Other' }))).status).toBe(409);
    await call(system, 'PATCH', `/requests/${id}/activities/${first.body.activityId}`, cast.secretariat, { status: 'cancelled', reason: 'Venue lost.' });
    expect((await call(system, 'POST', `/requests/${id}/activities`, cast.secretariat, activity({ title: 'Other' }))).status).toBe(201);
  });
});
