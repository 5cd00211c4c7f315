import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { desc } from 'drizzle-orm';
import { adminEvents } from '../../db/schema';
import { useTestSystem } from '../support/use-test-system';
import { call, sampleSubmission, submit } from '../support/cast';

/**
 * The action plan a request serves is reference data: the seeded Cadiz Action Plan, plans administrators load,
 * objectives checked at submission and revision, and coverage by objective. The tests load a plan of their own that
 * is in force today (it started later than Cadiz), so they do not depend on the date they run.
 */
const ctx = useTestSystem();

const day = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
const AREAS = [1, 2, 3, 4, 5].map((area) => ({ area, title: `Area ${area}` }));
const testPlan = (objectives = [
  { code: '1a', area: 1, title: 'Diaspora investment' },
  { code: '2a', area: 2, title: 'Labour mobility' },
  { code: '2b', area: 2, title: 'Visa facilitation' },
  { code: '4a', area: 4, title: 'Document fraud' },
]) => ({ title: 'Test Action Plan', startsOn: day(-1), endsOn: day(365), areas: AREAS, objectives });

beforeAll(async () => {
  const loaded = await call(ctx.system, 'PUT', '/action-plans/test-plan', ctx.cast.admin, testPlan());
  expect(loaded.status).toBe(201);
});

describe('the action plans', () => {
  it('include the Cadiz Action Plan 2023–2027, seeded with its five areas and the objectives of areas 1–3', async () => {
    const plans = (await call(ctx.system, 'GET', '/action-plans', ctx.cast.partner)).body.items;
    const cadiz = plans.find((plan: { planId: string }) => plan.planId === 'cadiz-2023-2027');
    expect(cadiz).toMatchObject({ title: 'Cadiz Action Plan 2023–2027', startsOn: '2023-01-01', endsOn: '2027-12-31', inForce: false });
    expect(cadiz.areas.map((a: { title: string }) => a.title)).toEqual([
      'Development benefits of migration / root causes of irregular migration and forced displacement',
      'Regular migration and mobility',
      'Protection and asylum',
      'Irregular migration, migrant smuggling and trafficking in human beings',
      'Return, readmission and sustainable reintegration',
    ]);
    expect(cadiz.objectives.map((o: { code: string; area: number }) => `${o.area}:${o.code}`)).toEqual(['1:1', '1:2', '2:3', '2:4', '3:5a', '3:5b', '3:6']);
    // In French too: the plan, each area and each objective (migration 0027).
    expect(cadiz.titleFr).toBe('Plan d’action de Cadix 2023–2027');
    expect(cadiz.areas.map((a: { titleFr: string | null }) => a.titleFr)).toEqual([
      'Bénéfices de la migration pour le développement / causes profondes de la migration irrégulière et des déplacements forcés',
      'Migration régulière et mobilité',
      'Protection et asile',
      'Migration irrégulière, trafic illicite de migrants et traite des êtres humains',
      'Retour, réadmission et réintégration durable',
    ]);
    expect(cadiz.objectives.filter((o: { titleFr: string | null }) => !o.titleFr)).toEqual([]);
    // The plan that started last among those covering today is the one in force.
    expect(plans.filter((plan: { inForce: boolean }) => plan.inForce).map((plan: { planId: string }) => plan.planId)).toEqual(['test-plan']);
    expect((await call(ctx.system, 'GET', '/action-plans/test-plan', ctx.cast.monitor)).body.objectives).toHaveLength(4);
    expect((await call(ctx.system, 'GET', '/action-plans/marrakesh-2018-2022', ctx.cast.monitor)).body.code).toBe('action_plan_not_found');
    expect((await call(ctx.system, 'GET', '/action-plans')).status).toBe(401);
  });

  it('are loaded by administrators only, whole and consistent, and each load is on the administrators’ log', async () => {
    const { system, cast } = ctx;
    const other = { ...testPlan(), title: 'Another plan', startsOn: '2018-01-01', endsOn: '2022-12-31' };
    expect((await call(system, 'PUT', '/action-plans/another-plan', cast.secretariat, other)).status).toBe(403);
    expect((await call(system, 'GET', '/action-plans/another-plan', cast.admin)).status).toBe(404);

    const twice = await call(system, 'PUT', '/action-plans/another-plan', cast.admin, { ...other, objectives: [...other.objectives, { code: '2a', area: 3, title: 'Again' }] });
    expect(twice.status).toBe(400);
    expect(twice.body.message).toBe('body: objective 2a is listed twice in objectives.');
    const backwards = await call(system, 'PUT', '/action-plans/another-plan', cast.admin, { ...other, startsOn: '2023-01-01' });
    expect(backwards.body.message).toBe('body: endsOn (2022-12-31) is before startsOn (2023-01-01).');
    const sameArea = await call(system, 'PUT', '/action-plans/another-plan', cast.admin, { ...other, areas: [...AREAS.slice(0, 4), { area: 4, title: 'Four again' }] });
    expect(sameArea.body.message).toBe('body: action area 4 is listed twice in areas.');
    expect((await call(system, 'GET', '/action-plans/another-plan', cast.admin)).status).toBe(404);

    expect((await call(system, 'PUT', '/action-plans/another-plan', cast.admin, other)).status).toBe(201);
    const renamed = await call(system, 'PUT', '/action-plans/another-plan', cast.admin, { ...other, title: 'Marrakesh Action Plan' });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ planId: 'another-plan', title: 'Marrakesh Action Plan', inForce: false });
    // Without French titles, French readers read the English ones (null); with them, both are kept.
    expect(renamed.body).toMatchObject({ titleFr: null, areas: expect.arrayContaining([{ area: 1, title: 'Area 1', titleFr: null }]) });
    const inFrench = await call(system, 'PUT', '/action-plans/another-plan', cast.admin, {
      ...other,
      titleFr: 'Plan d’action de Marrakech',
      areas: AREAS.map((a) => ({ ...a, titleFr: `Domaine ${a.area}` })),
      objectives: other.objectives.map((o) => ({ ...o, titleFr: `${o.title} (fr)` })),
    });
    expect(inFrench.status).toBe(200);
    expect(inFrench.body).toMatchObject({ title: 'Another plan', titleFr: 'Plan d’action de Marrakech' });
    expect(inFrench.body.areas[4]).toEqual({ area: 5, title: 'Area 5', titleFr: 'Domaine 5' });
    expect(inFrench.body.objectives[0]).toEqual({ code: '1a', area: 1, title: 'Diaspora investment', titleFr: 'Diaspora investment (fr)' });
    const empty = await call(system, 'PUT', '/action-plans/another-plan', cast.admin, { ...other, titleFr: '' });
    expect(empty.status).toBe(400);
    // What GET gives, PUT takes back: a plan without French titles has them null.
    const { planId: _planId, inForce: _inForce, ...asRead } = renamed.body;
    expect((await call(system, 'PUT', '/action-plans/another-plan', cast.admin, asRead)).status).toBe(200);
    const [logged] = await system.database.db.select().from(adminEvents).orderBy(desc(adminEvents.id)).limit(1);
    expect(logged).toMatchObject({ type: 'action_plan_replaced', actorName: cast.admin.actor.name, payload: { planId: 'another-plan', objectives: 4 } });
  });
});

describe('a request’s place in the plan', () => {
  it('is the plan in force at submission, and the objective the partner names if the plan has it under the request’s area', async () => {
    const { system, cast } = ctx;
    const named = await call(system, 'POST', '/requests', cast.partner, sampleWith({ domain: 2, objective: '2b' }));
    expect(named.status).toBe(201);
    expect(named.body).toMatchObject({ actionPlan: 'test-plan', objective: '2b' });
    const unnamed = await call(system, 'POST', '/requests', cast.partner, sampleWith({ domain: 2 }));
    expect(unnamed.body).toMatchObject({ actionPlan: 'test-plan', objective: null });

    const before = await requestCount();
    const unknown = await call(system, 'POST', '/requests', cast.partner, sampleWith({ domain: 2, objective: '9' }));
    expect(unknown.status).toBe(422);
    expect(unknown.body).toMatchObject({ code: 'unknown_objective', field: 'body.objective' });
    expect(unknown.body.message).toBe('body.objective: the Test Action Plan has no objective "9". Its objectives under action area 2: 2a, 2b. GET /action-plans lists them all.');
    const elsewhere = await call(system, 'POST', '/requests', cast.partner, sampleWith({ domain: 4, objective: '2a' }));
    expect(elsewhere.status).toBe(422);
    expect(elsewhere.body.code).toBe('objective_outside_area');
    expect(elsewhere.body.message).toContain('is under action area 2, not 4. Choose action area 2 (domain), another objective, or none (objective null). Its objectives under action area 4: 4a.');
    const none = await call(system, 'POST', '/requests', cast.partner, sampleWith({ domain: 3, objective: '2a' }));
    expect(none.body.message).toContain('It has no objective under action area 3: name none (objective null).');
    expect(await requestCount()).toBe(before);
  });

  it('follows a revision, which is checked the same way against the request’s own plan', async () => {
    const { system, cast } = ctx;
    const id = await submit(system, cast, { domain: 2, objective: '2a' });
    await call(system, 'POST', `/requests/${id}/screening`, cast.secretariat, { outcome: 'accept', note: 'Complete.' });
    await call(system, 'POST', `/requests/${id}/votes`, cast.scMember, { vote: 'objection', comment: 'This is about fraud.' });
    const asked = await call(system, 'POST', `/requests/${id}/decision`, cast.chair, { decision: 'request_revision', rationale: 'This is about fraud.', points: ['Place it under area 4'] });
    expect(asked.status, JSON.stringify(asked.body)).toBe(200);

    const kept = await call(system, 'POST', `/requests/${id}/revision`, cast.partner, { domain: 4, answers: ['Moved.'] });
    expect(kept.status).toBe(422);
    expect(kept.body.message).toBe(
      "body.objective: The request's objective 2a stays unless you change it, and it is under action area 2, not 4. Choose action area 2 (domain), another objective, or none (objective null). Its objectives under action area 4: 4a.",
    );
    const revised = await call(system, 'POST', `/requests/${id}/revision`, cast.partner, { domain: 4, objective: '4a', answers: ['Moved.'] });
    expect(revised.status).toBe(200);
    expect(revised.body).toMatchObject({ actionPlan: 'test-plan', domain: 4, objective: '4a' });

    // Lists find requests by plan and objective, and say both on every item (and in the CSV export).
    const listed = (await call(system, 'GET', '/requests?objective=4a', cast.monitor)).body.items;
    expect(listed.map((item: { id: string }) => item.id)).toEqual([id]);
    expect(listed[0]).toMatchObject({ actionPlan: 'test-plan', objective: '4a', domain: 4 });
    const ofPlan = (await call(system, 'GET', '/requests?actionPlan=test-plan&limit=100', cast.monitor)).body.items;
    expect(ofPlan.map((item: { objective: string | null }) => item.objective).sort()).toEqual(['2b', '4a', null].sort());
    expect((await call(system, 'GET', '/requests?actionPlan=test-plan&objective=2a', cast.monitor)).body.items).toEqual([]);
    const csv = await system.app.inject({ method: 'GET', url: '/exports/requests.csv?objective=4a', headers: { authorization: `Bearer ${cast.monitor.token}` } });
    expect(parse(csv.body, { columns: true, bom: true })).toMatchObject([{ id, action_plan: 'test-plan', objective: '4a' }]);
  });
});

describe('coverage by objective', () => {
  it('counts each request of the plan once per country and objective, shows the gaps, and keeps the caller’s scope', async () => {
    const { system, cast } = ctx;
    const mali = await system.user('partner', 'ML');
    const malian = await call(system, 'POST', '/requests', mali, sampleWith({ country: 'ML', domain: 1, objective: '1a', estimatedBudgetEur: 8000 }));
    expect(malian.status).toBe(201);

    // On record so far, from Senegal: 2b (45,000), one without objective (45,000), and one revised from 2a to 4a.
    const coverage = (await call(system, 'GET', '/statistics/coverage', cast.monitor)).body;
    expect(coverage.byObjective.actionPlan).toMatchObject({ planId: 'test-plan', title: 'Test Action Plan' });
    expect(coverage.byObjective.objectives.map((o: { code: string }) => o.code)).toEqual(['1a', '2a', '2b', '4a']);
    expect(coverage.byObjective.cells, JSON.stringify(coverage.byObjective)).toEqual([
      { country: 'ML', objective: '1a', requests: 1, requestedEur: 8000 },
      { country: 'SN', objective: '2b', requests: 1, requestedEur: 45000 },
      { country: 'SN', objective: '4a', requests: 1, requestedEur: 45000 },
    ]);
    expect(coverage.byObjective.withoutObjective).toEqual([{ country: 'SN', requests: 1, requestedEur: 45000 }]);
    // Every partner country is a row (tests/api/countries.test.ts); these two are the ones with requests.
    const ofMaliAndSenegal = (gaps: Array<{ country: string }>) => gaps.filter((g) => g.country === 'ML' || g.country === 'SN');
    expect(ofMaliAndSenegal(coverage.byObjective.gaps)).toEqual([
      { country: 'ML', objective: '2a' },
      { country: 'ML', objective: '2b' },
      { country: 'ML', objective: '4a' },
      { country: 'SN', objective: '1a' },
      { country: 'SN', objective: '2a' },
    ]);
    const own = (await call(system, 'GET', '/statistics/coverage', cast.partner)).body.byObjective;
    expect(own.cells.map((c: { country: string }) => c.country)).toEqual(['SN', 'SN']);
    const committee = (await call(system, 'GET', '/statistics/coverage', cast.scMember)).body.byObjective;
    expect(committee.cells).toEqual([{ country: 'SN', objective: '4a', requests: 1, requestedEur: 45000 }]);

    const cadiz = (await call(system, 'GET', '/statistics/coverage?actionPlan=cadiz-2023-2027', cast.monitor)).body.byObjective;
    expect(cadiz.cells).toEqual([]);
    expect(ofMaliAndSenegal(cadiz.gaps)).toHaveLength(2 * 7);
    expect(cadiz.gaps).toHaveLength(coverage.countries.length * 7);
    expect((await call(system, 'GET', '/statistics/coverage?actionPlan=nope', cast.monitor)).body.code).toBe('action_plan_not_found');

    // The same as CSV: every country × objective (zeros for the gaps), and a row per country for requests naming none.
    const csv = await system.app.inject({ method: 'GET', url: '/exports/coverage-by-objective.csv', headers: { authorization: `Bearer ${cast.monitor.token}` } });
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const rows = parse(csv.body, { columns: true, bom: true }) as Array<Record<string, string>>;
    expect(rows).toHaveLength(coverage.countries.length * (4 + 1));
    expect(rows.find((r) => r.country === 'SN' && r.objective === '4a')).toEqual({
      action_plan: 'test-plan', country: 'SN', action_area: '4', objective: '4a', objective_title: 'Document fraud', requests: '1', requested_budget_eur: '45000',
    });
    expect(rows.find((r) => r.country === 'ML' && r.objective === '4a')).toMatchObject({ requests: '0', requested_budget_eur: '0' });
    expect(rows.find((r) => r.country === 'SN' && r.objective === '')).toMatchObject({ objective_title: '(no objective named)', requests: '1' });
  });

  it('keeps an objective requests cite: it may be renamed, not removed or moved to another area', async () => {
    const { system, cast } = ctx;
    const plan = testPlan();
    const removed = await call(system, 'PUT', '/action-plans/test-plan', cast.admin, { ...plan, objectives: plan.objectives.filter((o) => o.code !== '4a') });
    expect(removed.status).toBe(409);
    expect(removed.body).toMatchObject({ code: 'objective_cited', message: 'objective 4a is cited by 1 request and cannot be removed. Keep these objectives (their titles may change).' });
    const moved = await call(system, 'PUT', '/action-plans/test-plan', cast.admin, {
      ...plan,
      objectives: plan.objectives.map((o) => (o.code === '1a' ? { ...o, area: 5 } : o)),
    });
    expect(moved.body.message).toBe('objective 1a is cited by 1 request of action area 1 and cannot move to area 5. Keep these objectives (their titles may change).');
    // Never cited (2a's only request moved to 4a): free to go. Cited ones renamed: fine.
    const tidied = await call(system, 'PUT', '/action-plans/test-plan', cast.admin, {
      ...plan,
      objectives: plan.objectives.filter((o) => o.code !== '2a').map((o) => (o.code === '4a' ? { ...o, title: 'Document fraud and identity' } : o)),
    });
    expect(tidied.status).toBe(200);
    expect(tidied.body.objectives.map((o: { code: string }) => o.code)).toEqual(['1a', '2b', '4a']);
  });
});

const sampleWith = (overrides: Record<string, unknown>) => sampleSubmission({ preferredPeriod: null, ...overrides });

async function requestCount(): Promise<number> {
  const { rows } = await ctx.system.database.pool.query<{ n: number }>('select count(*)::int as n from requests');
  return rows[0]!.n;
}
