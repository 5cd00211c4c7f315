import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { advanceTo, call, sampleActivity, submit, type HttpResult } from '../support/cast';
import { useTestSystem } from '../support/use-test-system';

/**
 * No stored value may break a read for anyone (issue 18): a meeting of the year 18 once answered 500 to every
 * meeting list and calendar feed. Every route that takes a date or a readable text refuses what no one can mean, with
 * a 400 naming the field and the range; the database refuses it too; and rows stored before those rules (as a
 * deployment may hold) are left out of lists, logged, listed for an administrator, and put right by one.
 */

const ctx = useTestSystem();

/** Dates no one in the dialogue can mean, in every form the API's formats parse. */
const EXTREME_INSTANTS = [
  '0001-01-01T00:00:00Z',
  '0018-12-26T17:34:20Z',
  '0099-12-26T17:34:20Z',
  '1999-12-31T23:59:59Z',
  '2005-12-31T23:59:59Z',
  // 2005-12-31T23:30Z: the offset counts, not the digits.
  '2006-01-01T00:30:00+01:00',
  '2101-01-01T00:00:00Z',
  '9999-12-31T23:59:59Z',
  '+275760-09-13T00:00:00Z',
  '2027-06-30T23:59:60Z',
];
const EXTREME_DAYS = ['0001-01-01', '0018-12-26', '0099-01-01', '2005-12-31', '2101-01-01', '9999-12-31', '2027-02-30'];
const CONTROL_TEXTS = ['\u000e', 'Meeting\u0007', 'a\u001b[31mred', '\u007f', 'x\u0085y'];

function expectRefusalNaming(answer: HttpResult, field: string, what: string): void {
  expect(answer.status, `${what}: ${JSON.stringify(answer.body)}`).toBe(400);
  expect(answer.body.field ?? answer.body.message, what).toContain(field);
  expect(answer.body.message, what).toContain(field);
}

describe('dates a person can mean', () => {
  it('every route that takes a date refuses one outside 2006–2100, naming the field and the range', async () => {
    const { system, cast } = ctx;
    const inReview = await submit(system, cast);
    await advanceTo(system, cast, inReview, 'review');
    const implementing = await submit(system, cast);
    await advanceTo(system, cast, implementing, 'implementation');
    const planned = await call(system, 'POST', `/requests/${implementing}/activities`, cast.secretariat, sampleActivity());
    expect(planned.status).toBe(201);
    const activityId = planned.body.activityId as string;
    const created = await call(system, 'POST', '/admin/users', cast.admin, { name: 'stored-values-user', role: 'monitor' });
    expect(created.status).toBe(201);

    const countBefore = await rowCounts();
    for (const instant of EXTREME_INSTANTS) {
      const answers: [HttpResult, string][] = [
        [await call(system, 'POST', '/meetings', cast.secretariat, { title: 'SC meeting', scheduledFor: instant }), 'body.scheduledFor'],
        [await call(system, 'POST', '/admin/chair-terms', cast.admin, { holder: cast.chair.actor.name, endsAt: instant }), 'body.endsAt'],
        [await call(system, 'POST', '/admin/chair-terms', cast.admin, { holder: cast.chair.actor.name, startsAt: instant, endsAt: '2030-01-01T00:00:00Z' }), 'body.startsAt'],
        [await call(system, 'POST', `/admin/users/${created.body.userId}/tokens`, cast.admin, { expiresAt: instant }), 'body.expiresAt'],
        [await call(system, 'POST', `/requests/${inReview}/review/extension`, cast.chair, { until: instant, reason: 'More time' }), 'body.until'],
      ];
      for (const [answer, field] of answers) expectRefusalNaming(answer, field, `${field} = ${instant}`);
      const worded = answers[0]![0].body.message as string;
      expect(worded).toContain('2006-01-01');
      expect(worded).toContain('2100-12-31');
    }
    for (const day of EXTREME_DAYS) {
      const answers: [HttpResult, string][] = [
        [await call(system, 'POST', `/requests/${implementing}/activities`, cast.secretariat, sampleActivity({ startDate: day })), 'body.startDate'],
        [await call(system, 'POST', `/requests/${implementing}/activities`, cast.secretariat, sampleActivity({ endDate: day })), 'body.endDate'],
        [
          await call(system, 'PATCH', `/requests/${implementing}/activities/${activityId}`, cast.secretariat, {
            status: 'postponed',
            reason: 'Venue unavailable',
            startDate: day,
            endDate: '2027-05-02',
          }),
          'body.startDate',
        ],
        [await call(system, 'GET', `/requests?submittedFrom=${day}`, cast.monitor), 'querystring.submittedFrom'],
        [await call(system, 'GET', `/requests?decidedTo=${day}`, cast.monitor), 'querystring.decidedTo'],
        [await call(system, 'PUT', '/action-plans/bounded-plan', cast.admin, actionPlan({ startsOn: day })), 'body.startsOn'],
      ];
      for (const [answer, field] of answers) expectRefusalNaming(answer, field, `${field} = ${day}`);
    }
    // A forged cursor of a date before the dialogue: a bad cursor, not a 500.
    const forged = Buffer.from(JSON.stringify(['1990-01-01T00:00:00.000Z', '00000000-0000-4000-8000-000000000000', 'newest'])).toString('base64url');
    expect((await call(system, 'GET', `/requests?cursor=${forged}`, cast.monitor)).status).toBe(400);
    // Nothing was stored by any of the refusals.
    expect(await rowCounts()).toEqual(countBefore);
  });

  it('a refusal speaks the caller’s language', async () => {
    const { system, cast } = ctx;
    const french = await call(system, 'POST', '/meetings', cast.secretariat, { title: 'Réunion', scheduledFor: '0018-12-26T17:34:20Z' }, { 'accept-language': 'fr-SN,fr;q=0.9,en;q=0.5' });
    expect(french.status).toBe(400);
    expect(french.body.code).toBe('invalid_body');
    expect(french.body.message).toBe(
      'body.scheduledFor : doit être une date et une heure (RFC 3339, par exemple 2027-03-12T09:00:00Z) entre le 2006-01-01 et le 2100-12-31 ; reçu : "0018-12-26T17:34:20Z".',
    );
    const english = await call(system, 'POST', '/meetings', cast.secretariat, { title: '\u000e', scheduledFor: '2027-03-12T09:00:00Z' }, { 'accept-language': 'de, en;q=0.1' });
    expect(english.body.message).toBe('body.title: must not contain control characters (only line breaks and tabs are allowed).');
  });

  it('texts people read refuse control characters, naming the field; line breaks and tabs are kept', async () => {
    const { system, cast } = ctx;
    const inScreening = await submit(system, cast);
    for (const text of CONTROL_TEXTS) {
      expectRefusalNaming(await call(system, 'POST', '/meetings', cast.secretariat, { title: text, scheduledFor: '2027-03-12T09:00:00Z' }), 'body.title', JSON.stringify(text));
      expectRefusalNaming(await call(system, 'POST', '/requests', cast.partner, { ...submission(), title: text }), 'body.title', JSON.stringify(text));
      expectRefusalNaming(await call(system, 'POST', '/requests', cast.partner, { ...submission(), objectives: `Train ${text}` }), 'body.objectives', JSON.stringify(text));
      expectRefusalNaming(await call(system, 'POST', `/requests/${inScreening}/screening`, cast.secretariat, { outcome: 'accept', note: text }), 'body.note', JSON.stringify(text));
      expectRefusalNaming(await call(system, 'POST', '/admin/users', cast.admin, { name: `name${text}`, role: 'monitor' }), 'body.name', JSON.stringify(text));
    }
    const kept = await call(system, 'POST', '/meetings', cast.secretariat, { title: 'SC meeting\n\tRabat', scheduledFor: '2027-03-12T09:00:00Z' });
    expect(kept.status).toBe(201);
    expect(kept.body.title).toBe('SC meeting\n\tRabat');
  });

  it('the database refuses such dates by any path, with the same bounds as the code', async () => {
    const { system } = ctx;
    const attempt = system.database.pool.query(`insert into meetings (title, scheduled_for, agenda, scheduled_by) values ('x', '0018-12-26T17:34:20Z', '[]', 'sql')`);
    await expect(attempt).rejects.toMatchObject({ code: '23514' });
    const sql = await readFile(new URL('../../db/migrations/0023_date_bounds.sql', import.meta.url), 'utf8');
    const { EARLIEST_DATE, LATEST_DATE } = await import('../../workflows/date-bounds');
    expect(EARLIEST_DATE).toBe('2006-01-01');
    expect(LATEST_DATE).toBe('2100-12-31');
    // Every bound in the migration is one of these two days (or the instant just after the last one).
    const days = new Set([...sql.matchAll(/'(\d{4}-\d{2}-\d{2})(T00:00:00Z)?'/g)].map((m) => m[1]));
    expect([...days].sort()).toEqual([EARLIEST_DATE, '2100-12-31', '2101-01-01'].sort());
  });
});

describe('reads that what is stored cannot break', () => {
  it('rows stored before the bounds are left out of lists, answered 200 for everyone, listed and put right by an administrator', async () => {
    const { system, cast } = ctx;
    const inReview = await submit(system, cast);
    await advanceTo(system, cast, inReview, 'review');
    const good = await call(system, 'POST', '/meetings', cast.secretariat, { title: 'SC meeting, Rabat', scheduledFor: '2027-03-12T09:00:00Z' });
    expect(good.status).toBe(201);

    // What a deployment may hold from before migration 0023: the constraint lifted, the rows written, the constraint back.
    const pool = system.database.pool;
    const migration = await readFile(new URL('../../db/migrations/0023_date_bounds.sql', import.meta.url), 'utf8');
    const meetingCheck = migration.split('--> statement-breakpoint').find((s) => s.includes('meetings_scheduled_for_within_dates'))!;
    const termChecks = migration.split('--> statement-breakpoint').filter((s) => s.includes('ADD CONSTRAINT "chair_terms_'));
    await pool.query('alter table meetings drop constraint meetings_scheduled_for_within_dates');
    await pool.query('alter table chair_terms drop constraint chair_terms_starts_at_within_dates');
    await pool.query('alter table chair_terms drop constraint chair_terms_ends_at_within_dates');
    const legacy = await pool.query<{ id: string; scheduled_for: string }>(
      `insert into meetings (title, scheduled_for, agenda, scheduled_by) values
         ('Year 18', '0018-12-26T17:34:20Z', '[]', 'legacy'),
         ('Year 99', '0099-12-26T17:34:20Z', '[]', 'legacy'),
         ('Year 275760', '275760-09-13T00:00:00Z', '[]', 'legacy'),
         ('Before Christ', '0018-01-01T00:00:00Z BC', '[]', 'legacy'),
         ('For ever', 'infinity', '[]', 'legacy')
       returning id, title`,
    );
    const [year18, year99, year275760, beforeChrist, forEver] = legacy.rows.map((row) => row.id);
    await pool.query(
      `insert into chair_terms (user_id, starts_at, ends_at, assigned_by) values ($1, '0018-01-01T00:00:00Z', '0019-01-01T00:00:00Z', 'legacy')`,
      [cast.chair.actor.userId],
    );
    await pool.query(meetingCheck);
    for (const check of termChecks) await pool.query(check);

    // Every read, as every role: nothing answers 5xx.
    const people = [cast.partner, cast.secretariat, cast.scMember, cast.chair, cast.monitor, cast.admin];
    const reads = ['/meetings', '/me', '/requests', '/requests?sort=due', `/requests/${inReview}`, '/admin/chair-terms', '/admin/tokens', '/statistics', '/statistics/coverage', '/me/notifications', '/admin/out-of-bounds-values'];
    for (const person of people) {
      for (const url of reads) {
        const answer = await call(system, 'GET', url, person);
        expect(answer.status, `${person.actor.role} GET ${url}: ${JSON.stringify(answer.body)}`).toBeLessThan(500);
      }
      const feed = (await call(system, 'GET', '/me/calendar', person)).body.url as string;
      const calendar = await system.app.inject({ method: 'GET', url: new URL(feed).pathname });
      expect(calendar.statusCode, `${person.actor.role}'s calendar`).toBe(200);
      for (const path of ['/exports/requests.csv', `/meetings/${good.body.meetingId}/agenda-pack`, `/meetings/${good.body.meetingId}/agenda-pack?format=html`]) {
        const answer = await system.app.inject({ method: 'GET', url: path, headers: { authorization: `Bearer ${person.token}` } });
        expect(answer.statusCode, `${person.actor.role} GET ${path}`).toBeLessThan(500);
      }
    }

    // The list answers with what can be shown: the year 99 exactly as stored (never 1999), the unshowable left out.
    const meetings = (await call(system, 'GET', '/meetings', cast.secretariat)).body.items as { meetingId: string; scheduledFor: string }[];
    const byId = new Map(meetings.map((m) => [m.meetingId, m.scheduledFor]));
    expect(byId.get(good.body.meetingId)).toBe('2027-03-12T09:00:00.000Z');
    expect(byId.get(year18!)).toBe('0018-12-26T17:34:20.000Z');
    expect(byId.get(year99!)).toBe('0099-12-26T17:34:20.000Z');
    for (const unshowable of [year275760, beforeChrist, forEver]) expect(byId.has(unshowable!)).toBe(false);
    expect((await call(system, 'GET', `/meetings/${year99}`, cast.secretariat)).body.scheduledFor).toBe('0099-12-26T17:34:20.000Z');
    const unreadable = await call(system, 'GET', `/meetings/${forEver}`, cast.secretariat);
    expect(unreadable.status).toBe(422);
    expect(unreadable.body).toMatchObject({ code: 'unreadable_record', message: expect.stringContaining('GET /admin/out-of-bounds-values') });
    // The Chair of a legacy term still reads their own requests.
    expect((await call(system, 'GET', '/me', cast.chair)).status).toBe(200);

    // A change to such a record (Postgres re-checks the whole row) is refused as a conflict, and changes nothing.
    const edit = await call(system, 'PATCH', `/meetings/${year18}/agenda`, cast.secretariat, { add: [inReview] });
    expect(edit.status).toBe(409);
    expect(edit.body).toMatchObject({ code: 'out_of_bounds_record', message: expect.stringContaining('GET /admin/out-of-bounds-values') });
    expect((await call(system, 'GET', `/meetings/${year18}`, cast.secretariat)).body.agenda).toEqual([]);

    // The administrator's list, the fix for each, the correction and the removal.
    const listed = (await call(system, 'GET', '/admin/out-of-bounds-values', cast.admin)).body.items as { table: string; rowId: string; column: string; value: string; fix: string }[];
    expect(listed.filter((v) => v.table === 'meetings')).toHaveLength(5);
    expect(listed.find((v) => v.table === 'chair_terms' && v.column === 'starts_at')).toMatchObject({ value: expect.stringMatching(/^0018-01-01/) });
    expect((await call(system, 'GET', '/admin/out-of-bounds-values', cast.secretariat)).status).toBe(403);
    const refused = await call(system, 'PUT', '/admin/out-of-bounds-values', cast.admin, { table: 'meetings', rowId: year18, column: 'scheduled_for', value: '0018-12-27T00:00:00Z' });
    expect(refused.status).toBe(400);
    expect(refused.body.field).toBe('body.value');
    const notAColumn = await call(system, 'PUT', '/admin/out-of-bounds-values', cast.admin, { table: 'meetings', rowId: year18, column: 'constructor', value: '2018-12-26T17:34:20Z' });
    expect(notAColumn.status).toBe(400);
    expect(notAColumn.body.field).toBe('body.column');
    const notListed = await call(system, 'PUT', '/admin/out-of-bounds-values', cast.admin, { table: 'meetings', rowId: good.body.meetingId, column: 'scheduled_for', value: '2027-03-13T09:00:00Z' });
    expect(notListed.status).toBe(404);
    const corrected = await call(system, 'PUT', '/admin/out-of-bounds-values', cast.admin, { table: 'meetings', rowId: year18, column: 'scheduled_for', value: '2018-12-26T17:34:20Z' });
    expect(corrected.status).toBe(200);
    expect((await call(system, 'GET', `/meetings/${year18}`, cast.secretariat)).body.scheduledFor).toBe('2018-12-26T17:34:20.000Z');
    for (const item of listed.filter((v) => v.table === 'meetings' && v.rowId !== year18)) {
      expect((await call(system, 'POST', '/admin/out-of-bounds-values/removal', cast.admin, { table: 'meetings', rowId: item.rowId })).status).toBe(200);
    }
    const term = listed.find((v) => v.table === 'chair_terms')!;
    expect((await call(system, 'POST', '/admin/out-of-bounds-values/removal', cast.admin, { table: 'chair_terms', rowId: term.rowId })).status).toBe(200);
    expect((await call(system, 'GET', '/admin/out-of-bounds-values', cast.admin)).body.items).toEqual([]);
    const left = ((await call(system, 'GET', '/meetings', cast.secretariat)).body.items as { meetingId: string }[]).map((m) => m.meetingId);
    expect(left).toEqual(expect.arrayContaining([good.body.meetingId, year18]));
    for (const removed of [year99, year275760, beforeChrist, forEver]) expect(left).not.toContain(removed);
    const onRecord = await pool.query(`select type from admin_events where type like 'out_of_bounds_%' order by id`);
    expect(onRecord.rows.map((r) => r.type)).toEqual(['out_of_bounds_value_corrected', ...Array(5).fill('out_of_bounds_row_removed')]);
  });

  it('a method a path does not have answers 405 with Allow; an unknown path still 404', async () => {
    const { system, cast } = ctx;
    const wrong = await system.app.inject({ method: 'DELETE', url: '/meetings', headers: { authorization: `Bearer ${cast.secretariat.token}` } });
    expect(wrong.statusCode).toBe(405);
    expect(wrong.headers.allow).toBe('GET, HEAD, POST');
    expect(JSON.parse(wrong.body)).toMatchObject({ code: 'method_not_allowed', message: expect.stringContaining('GET, HEAD, POST') });
    const withParameter = await system.app.inject({
      method: 'PUT',
      url: `/requests/${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}/votes`,
      headers: { authorization: `Bearer ${cast.scMember.token}` },
    });
    expect(withParameter.statusCode).toBe(405);
    expect(withParameter.headers.allow).toBe('POST');
    // QUERY (RFC 10008) without a Content-Type is not read as a malformed body first, nor a call without a token as a 401.
    const query = await system.app.inject({ method: 'QUERY' as 'GET', url: '/meetings' });
    expect(query.statusCode).toBe(405);
    expect(query.headers.allow).toBe('GET, HEAD, POST');
    expect((await system.app.inject({ method: 'GET', url: '/nothing-here', headers: { authorization: `Bearer ${cast.scMember.token}` } })).statusCode).toBe(404);
  });
});

const submission = () => ({
  title: 'Training on document fraud detection',
  description: 'Two-day training.',
  country: 'SN',
  domain: 4,
  activityType: 'training',
  objectives: 'Officers detect forged travel documents.',
  expectedOutcomes: '40 officers trained.',
  estimatedBudgetEur: 45000,
});

const actionPlan = (overrides: Record<string, unknown>) => ({
  title: 'Bounded plan',
  startsOn: '2023-01-01',
  endsOn: '2027-12-31',
  areas: [1, 2, 3, 4, 5].map((area) => ({ area, title: `Area ${area}` })),
  objectives: [{ code: '1', area: 1, title: 'One' }],
  ...overrides,
});

async function rowCounts(): Promise<Record<string, number>> {
  const { rows } = await ctx.system.database.pool.query(
    `select (select count(*) from meetings)::int as meetings, (select count(*) from chair_terms)::int as terms,
            (select count(*) from api_tokens)::int as tokens, (select count(*) from action_plans)::int as plans,
            (select count(*) from request_events)::int as events`,
  );
  return rows[0];
}
