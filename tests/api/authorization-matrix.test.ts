import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handOverChair } from '../../db/chair-terms-repository';
import { startTestSystem, type TestSystem } from '../support/test-system';
import { advanceTo, call, createCast, submit, type Cast, type Person } from '../support/cast';

/**
 * Who may see and do what, generated from ONE table of the rules (below, restated from the access rules in
 * the README independently of the code): every caller × every route × a request in every phase where it
 * matters. Each call must answer the exact status; each refused call must change nothing.
 */

type Phase = 'screening' | 'awaiting_information' | 'review' | 'approval' | 'implementation' | 'monitoring' | 'completed';
type Caller =
  | 'partner' // the requesting country's focal point
  | 'otherPartner' // another country's focal point
  | 'secretariat'
  | 'scMember'
  | 'conflictedScMember' // an SC member from the requesting country
  | 'chair' // holds the office now
  | 'formerChair' // a chair whose term has ended
  | 'monitor'
  | 'admin';

const PHASES: Phase[] = ['screening', 'awaiting_information', 'review', 'approval', 'implementation', 'monitoring', 'completed'];
const CALLERS: Caller[] = ['partner', 'otherPartner', 'secretariat', 'scMember', 'conflictedScMember', 'chair', 'formerChair', 'monitor', 'admin'];
const COMMITTEE: Caller[] = ['scMember', 'conflictedScMember', 'chair', 'formerChair'];

// ---- The table ------------------------------------------------------------------------------------------

/** Visibility: own country for partners; from review onwards for the SC and the Chair; all for the rest. */
function sees(caller: Caller, phase: Phase): boolean {
  if (caller === 'otherPartner') return false;
  if (COMMITTEE.includes(caller)) return phase !== 'screening' && phase !== 'awaiting_information';
  return true;
}

interface StepRule {
  name: string;
  method: 'POST' | 'PATCH';
  path: (id: string) => string;
  body: unknown;
  /** Roles that may take the step at all (403 for anyone else who can see the request). */
  callers: Caller[];
  /** Phases where they may (409 elsewhere). */
  phases: Phase[];
  /** Callers of an allowed role who are refused anyway, with 403 (conflict of interest, office term). */
  refusedAnyway?: Partial<Record<Caller, Phase[]>>;
}

const ZERO_UUID = '00000000-0000-4000-8000-000000000000';

const STEPS: StepRule[] = [
  { name: 'screening', method: 'POST', path: (id) => `/requests/${id}/screening`, body: { outcome: 'accept', note: 'n' }, callers: ['secretariat'], phases: ['screening'] },
  { name: 'information', method: 'POST', path: (id) => `/requests/${id}/information`, body: { response: 'r' }, callers: ['partner'], phases: ['awaiting_information'] },
  {
    name: 'votes',
    method: 'POST',
    path: (id) => `/requests/${id}/votes`,
    body: { vote: 'objection' },
    callers: ['scMember', 'conflictedScMember'],
    phases: ['review'],
    refusedAnyway: { conflictedScMember: ['review'] },
  },
  {
    name: 'decision',
    method: 'POST',
    path: (id) => `/requests/${id}/decision`,
    body: { decision: 'reject', rationale: 'r' },
    callers: ['chair', 'formerChair'],
    phases: ['approval'],
    refusedAnyway: { formerChair: ['approval'] },
  },
  {
    name: 'budget increase',
    method: 'POST',
    path: (id) => `/requests/${id}/budget/increase`,
    body: { approvedBudgetEur: 90000, rationale: 'r' },
    callers: ['chair', 'formerChair'],
    phases: ['implementation'],
    refusedAnyway: { formerChair: ['implementation'] },
  },
  {
    name: 'decision correction',
    method: 'POST',
    path: (id) => `/requests/${id}/decision/corrections`,
    body: { note: 'n' },
    callers: ['chair', 'formerChair'],
    phases: ['implementation', 'monitoring'],
    refusedAnyway: { formerChair: ['implementation', 'monitoring'] },
  },
  { name: 'revision', method: 'POST', path: (id) => `/requests/${id}/revision`, body: { title: 'New title' }, callers: ['partner'], phases: [] },
  {
    name: 'activities',
    method: 'POST',
    path: (id) => `/requests/${id}/activities`,
    body: { type: 'workshop', title: 't', startDate: '2027-01-01', endDate: '2027-01-02', location: 'Rabat', budgetEur: 1 },
    callers: ['secretariat'],
    phases: ['implementation'],
  },
  // No activity is planned on these requests, so the step is refused in implementation too (409).
  { name: 'activity status', method: 'PATCH', path: (id) => `/requests/${id}/activities/${ZERO_UUID}`, body: { status: 'confirmed' }, callers: ['secretariat'], phases: [] },
  { name: 'implementation/complete', method: 'POST', path: (id) => `/requests/${id}/implementation/complete`, body: {}, callers: ['secretariat'], phases: [] },
  { name: 'reports', method: 'POST', path: (id) => `/requests/${id}/reports`, body: { kind: 'progress', summary: 's' }, callers: ['partner', 'secretariat'], phases: ['implementation', 'monitoring'] },
  { name: 'report acceptance', method: 'POST', path: (id) => `/requests/${id}/reports/0/acceptance`, body: {}, callers: ['secretariat'], phases: [] },
  { name: 'report return', method: 'POST', path: (id) => `/requests/${id}/reports/0/return`, body: { comments: 'c' }, callers: ['secretariat'], phases: [] },
  { name: 'closure', method: 'POST', path: (id) => `/requests/${id}/closure`, body: { lessonsLearned: 'l' }, callers: ['secretariat'], phases: [] },
  { name: 'withdrawal', method: 'POST', path: (id) => `/requests/${id}/withdrawal`, body: { reason: 'r' }, callers: ['partner'], phases: ['screening', 'awaiting_information', 'review', 'approval'] },
  {
    name: 'cancellation',
    method: 'POST',
    path: (id) => `/requests/${id}/cancellation`,
    body: { reason: 'r' },
    callers: ['chair', 'formerChair'],
    phases: ['implementation', 'monitoring'],
    refusedAnyway: { formerChair: ['implementation', 'monitoring'] },
  },
];

const READS = [
  { name: 'request', path: (id: string) => `/requests/${id}` },
  { name: 'events', path: (id: string) => `/requests/${id}/events` },
];

/** Administration: administrators only; the codec: those who may read personal data; reference data: everyone. */
const GUARDED_READS = [
  { name: 'countries', method: 'GET' as const, path: '/countries', body: undefined, callers: CALLERS },
  { name: 'admin users', method: 'GET' as const, path: '/admin/users', body: undefined, callers: ['admin'] as Caller[] },
  { name: 'admin tokens', method: 'GET' as const, path: '/admin/tokens', body: undefined, callers: ['admin'] as Caller[] },
  { name: 'admin chair terms', method: 'GET' as const, path: '/admin/chair-terms', body: undefined, callers: ['admin'] as Caller[] },
  { name: 'admin webhooks', method: 'GET' as const, path: '/admin/webhooks', body: undefined, callers: ['admin'] as Caller[] },
  { name: 'admin out-of-bounds values', method: 'GET' as const, path: '/admin/out-of-bounds-values', body: undefined, callers: ['admin'] as Caller[] },
  { name: 'codec decode', method: 'POST' as const, path: '/codec/decode', body: { payloads: [] }, callers: ['secretariat', 'admin'] as Caller[] },
  // Signing in: each person's own sessions; people's access, administrators only.
  { name: 'own session', method: 'GET' as const, path: '/auth/session', body: undefined, callers: CALLERS },
  { name: 'own sessions', method: 'GET' as const, path: '/me/sessions', body: undefined, callers: CALLERS },
  { name: 'admin events', method: 'GET' as const, path: '/admin/events', body: undefined, callers: ['admin'] as Caller[] },
];

function expectedForStep(route: StepRule, caller: Caller, phase: Phase): number | 'allowed' {
  if (!sees(caller, phase)) return 404; // existence does not leak
  if (!route.callers.includes(caller)) return 403;
  if (!route.phases.includes(phase)) return 409;
  if (route.refusedAnyway?.[caller]?.includes(phase)) return 403;
  return 'allowed';
}

// ---- The system under test ------------------------------------------------------------------------------

let system: TestSystem;
let people: Record<Caller, Person>;
let cast: Cast;
const requestIn = new Map<Phase, string>();

beforeAll(async () => {
  system = await startTestSystem();
  cast = await createCast(system);
  const formerChair = await system.user('chair');
  const conflictedScMember = await system.user('sc_member', 'SN');
  // The former chair's term ended yesterday; createCast's chair holds the office now.
  const day = 86_400_000;
  await handOverChair(system.database.db, { holder: formerChair.actor.name, startsAt: new Date(Date.now() - 30 * day), endsAt: new Date(Date.now() - day), by: 'test' });
  people = { ...cast, formerChair, conflictedScMember };
  for (const phase of PHASES) {
    const id = await submit(system, cast);
    if (phase === 'awaiting_information') {
      await call(system, 'POST', `/requests/${id}/screening`, cast.secretariat, { outcome: 'request_information', note: 'q' });
    } else if (phase === 'review') {
      await advanceTo(system, cast, id, 'review');
    } else if (phase !== 'screening') {
      // Past review, two members must vote: the conflicted one is excluded, so only scMember's vote counts.
      await advanceTo(system, cast, id, phase);
    }
    requestIn.set(phase, id);
  }
});
afterAll(async () => system?.stop());

async function snapshot(id: string) {
  const { rows } = await system.database.pool.query(
    `select r.version, r.phase, (select count(*)::int from request_events e where e.request_id = r.id) as events
       from requests r where r.id = $1`,
    [id],
  );
  return rows[0];
}

describe('authorization matrix', () => {
  for (const phase of PHASES) {
    it(`every caller × every step route on a request in ${phase}: exact status, nothing changed`, async () => {
      const id = requestIn.get(phase)!;
      const before = await snapshot(id);
      expect(before.phase).toBe(phase);
      const outcomes: string[] = [];
      for (const route of STEPS) {
        for (const caller of CALLERS) {
          const expected = expectedForStep(route, caller, phase);
          if (expected === 'allowed') continue;
          const r = await call(system, route.method, route.path(id), people[caller], route.body);
          outcomes.push(`${route.name} by ${caller}: ${r.status}`);
          expect(`${route.name} by ${caller}: ${r.status}`).toBe(`${route.name} by ${caller}: ${expected}`);
          expect(r.body.message.length).toBeGreaterThan(10);
          if (expected === 409) expect(r.body).toMatchObject({ phase, allowedActions: expect.any(Array) });
          if (expected === 404) expect(r.body.code).toBe('request_not_found');
        }
      }
      expect(outcomes.length).toBeGreaterThan(80);
      expect(await snapshot(id)).toEqual(before);
    });

    it(`every caller × every read route on a request in ${phase}`, async () => {
      const id = requestIn.get(phase)!;
      for (const read of READS) {
        for (const caller of CALLERS) {
          const r = await call(system, 'GET', read.path(id), people[caller]);
          expect(`${read.name} by ${caller}: ${r.status}`).toBe(`${read.name} by ${caller}: ${sees(caller, phase) ? 200 : 404}`);
        }
      }
      for (const caller of CALLERS) {
        const list = await call(system, 'GET', '/requests?limit=100', people[caller]);
        const listed = list.body.items.some((item: { id: string }) => item.id === id);
        expect(`list by ${caller}: ${listed}`).toBe(`list by ${caller}: ${sees(caller, phase)}`);
      }
    });
  }

  it('administration and the codec: exact status for every caller', async () => {
    for (const route of GUARDED_READS) {
      for (const caller of CALLERS) {
        const r = await call(system, route.method, route.path, people[caller], route.body);
        expect(`${route.name} by ${caller}: ${r.status}`).toBe(`${route.name} by ${caller}: ${route.callers.includes(caller) ? 200 : 403}`);
      }
    }
  });

  it('a 404 for another country’s request is indistinguishable from an unknown ID', async () => {
    const hidden = await call(system, 'GET', `/requests/${requestIn.get('review')!}`, people.otherPartner);
    const unknown = await call(system, 'GET', `/requests/${ZERO_UUID}`, people.otherPartner);
    const strip = (body: Record<string, unknown>) => ({ ...body, message: String(body.message).replace(/[0-9a-f-]{36}/, 'ID'), requestId: 'x' });
    expect(strip(hidden.body)).toEqual(strip(unknown.body));
  });

  it('a 409 says the current phase and what the caller may do instead', async () => {
    const id = requestIn.get('review')!;
    const r = await call(system, 'POST', `/requests/${id}/screening`, cast.secretariat, { outcome: 'accept', note: 'n' });
    expect(r.status).toBe(409);
    expect(r.body.message).toContain("The request is in phase 'review'");
    const partner = await call(system, 'POST', `/requests/${id}/information`, cast.partner, { response: 'r' });
    expect(partner.body.allowedActions).toEqual(['withdraw', 'attach_document']);
    expect(partner.body.message).toContain('You may now: withdraw.');
  });

  it('an unknown activity is 404 and names the field', async () => {
    const id = requestIn.get('implementation')!;
    const planned = await call(system, 'POST', `/requests/${id}/activities`, cast.secretariat, {
      type: 'workshop',
      title: 'Kick-off',
      startDate: '2027-01-01',
      endDate: '2027-01-01',
      location: 'online',
      budgetEur: 100,
    });
    expect(planned.status).toBe(201);
    const r = await call(system, 'PATCH', `/requests/${id}/activities/${ZERO_UUID}`, cast.secretariat, { status: 'confirmed' });
    expect(r.status).toBe(404);
    expect(r.body).toMatchObject({ code: 'not_found', field: 'activityId' });
  });

  it('a conflicted SC member is listed as such, cannot vote, and review does not wait for them', async () => {
    const id = await submit(system, cast);
    const opened = await call(system, 'POST', `/requests/${id}/screening`, cast.secretariat, { outcome: 'accept', note: 'ok' });
    expect(opened.body.review.reviewers).toContainEqual({
      userId: people.conflictedScMember.actor.userId,
      name: people.conflictedScMember.actor.name,
      country: 'SN',
      conflicted: true,
    });
    const r = await call(system, 'POST', `/requests/${id}/votes`, people.conflictedScMember, { vote: 'objection' });
    expect(r.status).toBe(403);
    expect(r.body.message).toMatch(/conflict of interest/);
    const done = await call(system, 'POST', `/requests/${id}/votes`, cast.scMember, { vote: 'no_objection' });
    expect(done.body.phase).toBe('approval');
    const again = await call(system, 'POST', `/requests/${id}/votes`, cast.scMember, { vote: 'objection' });
    expect(again.status).toBe(409);
  });

  it('a member who joined after review opened cannot vote on it', async () => {
    const id = await submit(system, cast);
    await call(system, 'POST', `/requests/${id}/screening`, cast.secretariat, { outcome: 'accept', note: 'ok' });
    const latecomer = await system.user('sc_member', 'FR');
    const r = await call(system, 'POST', `/requests/${id}/votes`, latecomer, { vote: 'no_objection' });
    expect(r.status).toBe(403);
    expect(r.body.message).toMatch(/not a Steering Committee member when this review opened/);
  });
});
