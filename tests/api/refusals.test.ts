import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../support/test-system';
import { advanceTo, call, createCast, submit, type Cast, type Person } from '../support/cast';

/**
 * Every step route, called by every kind of caller, on requests in every phase where it matters: each
 * refusal has the exact status, and a refused call changes nothing. The table below restates the rules
 * of DOMAIN.md independently of workflows/request-rules.ts, so that a wrong rule there fails here.
 */

type Phase = 'screening' | 'awaiting_information' | 'review' | 'approval' | 'implementation' | 'monitoring' | 'completed';
type Caller = 'partner' | 'otherPartner' | 'secretariat' | 'scMember' | 'chair' | 'monitor' | 'admin';

interface RouteRule {
  name: string;
  method: 'POST' | 'PATCH';
  path: (id: string) => string;
  body: unknown;
  callers: Caller[];
  phases: Phase[];
}

const ZERO_UUID = '00000000-0000-4000-8000-000000000000';

const ROUTES: RouteRule[] = [
  { name: 'screening', method: 'POST', path: (id) => `/requests/${id}/screening`, body: { outcome: 'accept', note: 'n' }, callers: ['secretariat'], phases: ['screening'] },
  { name: 'information', method: 'POST', path: (id) => `/requests/${id}/information`, body: { response: 'r' }, callers: ['partner'], phases: ['awaiting_information'] },
  { name: 'votes', method: 'POST', path: (id) => `/requests/${id}/votes`, body: { vote: 'objection' }, callers: ['scMember'], phases: ['review'] },
  { name: 'decision', method: 'POST', path: (id) => `/requests/${id}/decision`, body: { decision: 'reject', rationale: 'r' }, callers: ['chair'], phases: ['approval'] },
  { name: 'revision', method: 'POST', path: (id) => `/requests/${id}/revision`, body: { title: 'New title' }, callers: ['partner'], phases: [] },
  {
    name: 'activities',
    method: 'POST',
    path: (id) => `/requests/${id}/activities`,
    body: { type: 'workshop', title: 't', startDate: '2027-01-01', endDate: '2027-01-02', location: 'Rabat', budgetEur: 1 },
    callers: ['secretariat'],
    phases: ['implementation'],
  },
  { name: 'activity status', method: 'PATCH', path: (id) => `/requests/${id}/activities/${ZERO_UUID}`, body: { status: 'done' }, callers: ['secretariat'], phases: ['implementation'] },
  // In implementation with no activity planned the precondition refuses it as well (409).
  { name: 'implementation/complete', method: 'POST', path: (id) => `/requests/${id}/implementation/complete`, body: {}, callers: ['secretariat'], phases: [] },
  { name: 'reports', method: 'POST', path: (id) => `/requests/${id}/reports`, body: { kind: 'progress', summary: 's' }, callers: ['partner', 'secretariat'], phases: ['implementation', 'monitoring'] },
  { name: 'closure', method: 'POST', path: (id) => `/requests/${id}/closure`, body: { lessonsLearned: 'l' }, callers: ['secretariat'], phases: [] },
  { name: 'withdrawal', method: 'POST', path: (id) => `/requests/${id}/withdrawal`, body: { reason: 'r' }, callers: ['partner'], phases: ['screening', 'awaiting_information', 'review', 'approval'] },
  { name: 'cancellation', method: 'POST', path: (id) => `/requests/${id}/cancellation`, body: { reason: 'r' }, callers: ['chair'], phases: ['implementation', 'monitoring'] },
];

const CALLERS: Caller[] = ['partner', 'otherPartner', 'secretariat', 'scMember', 'chair', 'monitor', 'admin'];
const PHASES: Phase[] = ['screening', 'awaiting_information', 'review', 'approval', 'implementation', 'monitoring', 'completed'];

let system: TestSystem;
let cast: Cast;
const requestIn = new Map<Phase, string>();

beforeAll(async () => {
  system = await startTestSystem();
  cast = await createCast(system);
  for (const phase of PHASES) {
    const id = await submit(system, cast);
    if (phase === 'awaiting_information') {
      await call(system, 'POST', `/requests/${id}/screening`, cast.secretariat, { outcome: 'request_information', note: 'q' });
    } else if (phase !== 'screening') {
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

function expectedStatus(route: RouteRule, caller: Caller, phase: Phase): number | 'allowed' {
  if (caller === 'otherPartner') return 404; // another country's request does not exist for them
  if (!route.callers.includes(caller)) return 403;
  if (!route.phases.includes(phase)) return 409;
  return 'allowed';
}

describe('refused steps: exact status, nothing changed', () => {
  for (const phase of PHASES) {
    it(`on a request in ${phase}`, async () => {
      const id = requestIn.get(phase)!;
      const before = await snapshot(id);
      expect(before.phase).toBe(phase);
      let refusals = 0;
      for (const route of ROUTES) {
        for (const caller of CALLERS) {
          const expected = expectedStatus(route, caller, phase);
          if (expected === 'allowed') continue;
          const person: Person = cast[caller];
          const r = await call(system, route.method, route.path(id), person, route.body);
          expect({ route: route.name, caller, status: r.status }).toEqual({ route: route.name, caller, status: expected });
          expect(r.body.message.length).toBeGreaterThan(10);
          if (expected === 409) {
            expect(r.body.phase).toBe(phase);
            expect(Array.isArray(r.body.allowedActions)).toBe(true);
          }
          refusals += 1;
        }
      }
      expect(refusals).toBeGreaterThan(50);
      expect(await snapshot(id)).toEqual(before);
    });
  }

  it('a 409 says the current phase and what the caller may do instead', async () => {
    const id = requestIn.get('review')!;
    const r = await call(system, 'POST', `/requests/${id}/screening`, cast.secretariat, { outcome: 'accept', note: 'n' });
    expect(r.status).toBe(409);
    expect(r.body.message).toContain("The request is in phase 'review'");
    const partner = await call(system, 'POST', `/requests/${id}/information`, cast.partner, { response: 'r' });
    expect(partner.body.allowedActions).toEqual(['withdraw']);
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
    const r = await call(system, 'PATCH', `/requests/${id}/activities/${ZERO_UUID}`, cast.secretariat, { status: 'done' });
    expect(r.status).toBe(404);
    expect(r.body).toMatchObject({ code: 'not_found', field: 'activityId' });
  });

  it('an SC member of the requesting country is shown as conflicted and cannot vote', async () => {
    const conflicted = await system.user('sc_member', 'SN');
    const id = await submit(system, cast);
    const opened = await call(system, 'POST', `/requests/${id}/screening`, cast.secretariat, { outcome: 'accept', note: 'ok' });
    expect(opened.body.review.reviewers).toContainEqual({
      userId: conflicted.actor.userId,
      name: conflicted.actor.name,
      country: 'SN',
      conflicted: true,
    });
    const r = await call(system, 'POST', `/requests/${id}/votes`, conflicted, { vote: 'objection' });
    expect(r.status).toBe(403);
    expect(r.body.message).toMatch(/conflict of interest/);
    // Review does not wait for the conflicted member: the other member's vote closes it.
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
