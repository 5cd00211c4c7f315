import { handOverChair } from '../../db/chair-terms-repository';
import type { Actor } from '../../workflows/request-model';
import type { TestSystem } from './test-system';

export interface Person {
  token: string;
  actor: Actor;
}

/** The people of a test: one per role, a second partner from another country, one SC member (ES). */
export interface Cast {
  partner: Person;
  otherPartner: Person;
  secretariat: Person;
  scMember: Person;
  chair: Person;
  monitor: Person;
  admin: Person;
}

/** Also gives the cast's chair the Chair's office, from a minute ago for a year. */
export async function createCast(system: TestSystem): Promise<Cast> {
  const chair = await system.user('chair');
  const now = Date.now();
  await handOverChair(system.database.db, {
    holder: chair.actor.name,
    startsAt: new Date(now - 60_000),
    endsAt: new Date(now + 365 * 86_400_000),
    by: 'test',
  });
  return {
    partner: await system.user('partner', 'SN'),
    otherPartner: await system.user('partner', 'ML'),
    secretariat: await system.user('secretariat'),
    scMember: await system.user('sc_member', 'ES'),
    chair,
    monitor: await system.user('monitor'),
    admin: await system.user('admin'),
  };
}

export interface HttpResult<T = any> {
  status: number;
  body: T;
  headers: Record<string, unknown>;
}

/** Calls the real app over its HTTP interface (Fastify inject: full routing, validation, serialisation). */
export async function call(
  system: TestSystem,
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
  url: string,
  who?: Person | string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<HttpResult> {
  const token = typeof who === 'string' ? who : who?.token;
  const response = await system.app.inject({
    method,
    url,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    ...(body === undefined ? {} : typeof body === 'string' ? { payload: body } : { payload: body as object }),
  });
  const text = response.body;
  return { status: response.statusCode, body: text ? JSON.parse(text) : null, headers: response.headers };
}

export const sampleSubmission = (overrides: Record<string, unknown> = {}) => ({
  title: 'Training on document fraud detection',
  description: 'Two-day training for border police officers at Dakar airport.',
  country: 'SN',
  domain: 4,
  activityType: 'training',
  objectives: 'Officers detect forged travel documents.',
  expectedOutcomes: '40 officers trained; a referral procedure agreed.',
  estimatedBudgetEur: 45000,
  preferredPeriod: 'Q2 2027',
  ...overrides,
});

/** An activity planned within the sample submission's budget. */
export const sampleActivity = (overrides: Record<string, unknown> = {}) => ({
  type: 'training',
  title: 'Fraud detection training',
  startDate: '2027-04-10',
  endDate: '2027-04-11',
  location: 'Dakar, SN',
  budgetEur: 40000,
  ...overrides,
});

/** Submits as the cast's partner and returns the new request's ID. */
export async function submit(system: TestSystem, cast: Cast, overrides: Record<string, unknown> = {}): Promise<string> {
  const response = await call(system, 'POST', '/requests', cast.partner, sampleSubmission(overrides));
  if (response.status !== 201) throw new Error(`submission failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body.id as string;
}

async function expectOk(result: Promise<HttpResult>, what: string): Promise<HttpResult> {
  const response = await result;
  if (response.status >= 300) throw new Error(`${what} failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response;
}

/** Drives a request forward through the happy path until it reaches `phase` (from submission, or from `from`). */
export async function advanceTo(
  system: TestSystem,
  cast: Cast,
  id: string,
  phase: 'review' | 'approval' | 'implementation' | 'monitoring' | 'completed',
  options: { from?: 'review' | 'approval' | 'implementation' | 'monitoring' } = {},
): Promise<void> {
  const order = ['review', 'approval', 'implementation', 'monitoring', 'completed'];
  const start = options.from ? order.indexOf(options.from) + 1 : 0;
  const steps: Array<() => Promise<HttpResult>> = [
    () => call(system, 'POST', `/requests/${id}/screening`, cast.secretariat, { outcome: 'accept', note: 'Complete and eligible.' }),
    () => call(system, 'POST', `/requests/${id}/votes`, cast.scMember, { vote: 'no_objection' }),
    () => call(system, 'POST', `/requests/${id}/decision`, cast.chair, { decision: 'approve', rationale: 'Fits area 4.' }),
    async () => {
      const planned = await expectOk(
        call(system, 'POST', `/requests/${id}/activities`, cast.secretariat, sampleActivity()),
        'plan activity',
      );
      const activity = `/requests/${id}/activities/${planned.body.activityId}`;
      await expectOk(call(system, 'PATCH', activity, cast.secretariat, { status: 'confirmed' }), 'confirm the activity');
      await expectOk(
        call(system, 'PATCH', activity, cast.secretariat, {
          status: 'held',
          participants: { total: 38, women: 14, men: 24, institutions: 3 },
          spentEur: 37250,
        }),
        'record the activity as held',
      );
      return call(system, 'POST', `/requests/${id}/implementation/complete`, cast.secretariat, {});
    },
    async () => {
      const reported = await expectOk(call(system, 'POST', `/requests/${id}/reports`, cast.partner, { kind: 'final', summary: 'Done.' }), 'final report');
      const finalIndex = (reported.body.reports as unknown[]).length - 1;
      await expectOk(call(system, 'POST', `/requests/${id}/reports/${finalIndex}/acceptance`, cast.secretariat, {}), 'accept the final report');
      return call(system, 'POST', `/requests/${id}/closure`, cast.secretariat, { lessonsLearned: 'Plan early.' });
    },
  ];
  for (let i = start; i <= order.indexOf(phase); i++) await expectOk(steps[i]!(), `step to ${order[i]}`);
}
