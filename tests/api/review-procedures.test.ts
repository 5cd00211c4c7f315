import { describe, expect, it } from 'vitest';
import { useTestSystem, type TestSystemContext } from '../support/use-test-system';
import { call, submit, type Person } from '../support/cast';
import { waitFor } from '../support/wait-for';

/**
 * The Steering Committee's procedures on real durable timers (seconds instead of days). Each describe has its
 * own system, so its Steering Committee is exactly the members it creates.
 */

async function openReview(ctx: TestSystemContext): Promise<string> {
  const { system, cast } = ctx;
  const id = await submit(system, cast);
  const opened = await call(system, 'POST', `/requests/${id}/screening`, cast.secretariat, { outcome: 'accept', note: 'Eligible.' });
  expect(opened.body.phase).toBe('review');
  return id;
}

const read = (ctx: TestSystemContext, id: string) => async () => (await call(ctx.system, 'GET', `/requests/${id}`, ctx.cast.monitor)).body;
const eventTypes = async (ctx: TestSystemContext, id: string): Promise<string[]> =>
  (await call(ctx.system, 'GET', `/requests/${id}/events`, ctx.cast.monitor)).body.items.map((e: { type: string }) => e.type);

describe('written no-objection procedure', () => {
  const ctx = useTestSystem({ policy: { reviewPeriod: 'PT2S', reviewProcedure: 'no_objection' } });
  let second: Person;

  it('silence until the deadline approves by procedure: requested budget, no Chair, Chair informed', async () => {
    second = await ctx.system.user('sc_member', 'FR');
    const id = await openReview(ctx);
    const opened = await read(ctx, id)();
    expect(opened.review).toMatchObject({ procedure: 'no_objection', reviewers: expect.arrayContaining([expect.objectContaining({ name: second.actor.name })]) });
    // Review closes (→ approval) and the procedure approves (→ implementation): two events, one after the other.
    const done = await waitFor(read(ctx, id), (r) => r.phase === 'implementation' || r.review.outcome?.result === 'to_chair');
    expect(done.phase).toBe('implementation');
    expect(done.review).toMatchObject({ closedBecause: 'deadline_passed', outcome: { result: 'approved_by_procedure' } });
    expect(done.decisions).toEqual([
      expect.objectContaining({ decision: 'approve', byProcedure: true, approvedBudgetEur: 45000, by: expect.objectContaining({ role: 'system' }) }),
    ]);
    const events = (await call(ctx.system, 'GET', `/requests/${id}/events`, ctx.cast.monitor)).body.items;
    expect(events.slice(-2).map((e: { type: string }) => e.type)).toEqual(['review_closed', 'approved']);
    expect(events.at(-1).payload).toMatchObject({ byProcedure: true, informed: ['chair'] });
  });

  it('one objection ends the silence at once: the request goes to the Chair with the objection attached', async () => {
    const id = await openReview(ctx);
    const r = await call(ctx.system, 'POST', `/requests/${id}/votes`, ctx.cast.scMember, { vote: 'objection', comment: 'Overlaps with an EU programme.' });
    expect(r.body.phase).toBe('approval');
    expect(r.body.review).toMatchObject({ closedBecause: 'objection_raised', outcome: { result: 'to_chair' } });
    const events = (await call(ctx.system, 'GET', `/requests/${id}/events`, ctx.cast.monitor)).body.items;
    expect(events.at(-1)).toMatchObject({
      type: 'review_closed',
      payload: { objections: [{ member: ctx.cast.scMember.actor.name, comment: 'Overlaps with an EU programme.' }] },
    });
    expect((await call(ctx.system, 'GET', `/requests/${id}`, ctx.cast.chair)).body.allowedActions).toEqual(['decide']);
  });

  it('everyone answering "no objection" before the deadline approves without waiting', async () => {
    const id = await openReview(ctx);
    await call(ctx.system, 'POST', `/requests/${id}/votes`, ctx.cast.scMember, { vote: 'no_objection' });
    const r = await call(ctx.system, 'POST', `/requests/${id}/votes`, second, { vote: 'abstain' });
    expect(r.body.phase).toBe('implementation');
    expect(r.body.review.closedBecause).toBe('all_voted');
  });
});

describe('majority procedure', () => {
  // Three eligible members (ES from the cast, FR, MA); quorum 0.6 of 3 → 2 votes. The reminder falls 3 s after the
  // review opens: the vote taken right after opening must come before it even on a loaded machine (1 s did not).
  const ctx = useTestSystem({ policy: { reviewPeriod: 'PT5S', reviewProcedure: 'majority', reviewQuorum: 0.6, reviewReminderLead: 'PT2S' } });
  let fr: Person;
  let ma: Person;

  it('a missed quorum at the deadline goes to the Chair; the reminder went once, to those who had not voted', async () => {
    fr = await ctx.system.user('sc_member', 'FR');
    ma = await ctx.system.user('sc_member', 'MA');
    const id = await openReview(ctx);
    expect((await read(ctx, id)()).review.quorum).toBe(2);
    await call(ctx.system, 'POST', `/requests/${id}/votes`, fr, { vote: 'no_objection' });
    const done = await waitFor(read(ctx, id), (r) => r.phase !== 'review');
    expect(done.phase).toBe('approval');
    expect(done.review.outcome).toEqual({ result: 'to_chair', reason: 'Quorum missed: 1 vote(s) cast, 2 needed.' });
    const events = (await call(ctx.system, 'GET', `/requests/${id}/events`, ctx.cast.monitor)).body.items;
    const reminders = events.filter((e: { type: string }) => e.type === 'review_reminder');
    expect(reminders).toHaveLength(1);
    expect(reminders[0].payload.to.sort()).toEqual([ctx.cast.scMember.actor.name, ma.actor.name].sort());
    expect(Date.parse(reminders[0].occurredAt)).toBeGreaterThanOrEqual(Date.parse(done.review.deadline) - 2_000);
  });

  it('a tie goes to the Chair', async () => {
    const id = await openReview(ctx);
    await call(ctx.system, 'POST', `/requests/${id}/votes`, fr, { vote: 'no_objection' });
    await call(ctx.system, 'POST', `/requests/${id}/votes`, ma, { vote: 'objection', comment: 'Too costly.' });
    const done = await waitFor(read(ctx, id), (r) => r.phase !== 'review');
    expect(done.review.outcome).toEqual({ result: 'to_chair', reason: 'Tie: 1 of 2 votes cast had no objection.' });
  });

  it('members may change their vote until review closes: the last counts, all are on record', async () => {
    const id = await openReview(ctx);
    await call(ctx.system, 'POST', `/requests/${id}/votes`, fr, { vote: 'objection', comment: 'Unclear budget.' });
    await call(ctx.system, 'POST', `/requests/${id}/votes`, fr, { vote: 'no_objection', comment: 'Budget clarified.' });
    await call(ctx.system, 'POST', `/requests/${id}/votes`, ma, { vote: 'no_objection' });
    const r = await call(ctx.system, 'POST', `/requests/${id}/votes`, ctx.cast.scMember, { vote: 'objection' });
    // All three voted: 2 of 3 without objection (FR's last vote counts) → approved by majority.
    expect(r.body.phase).toBe('implementation');
    expect(r.body.review.outcome).toEqual({ result: 'approved_by_procedure', reason: 'Approved by majority: 2 of 3 votes cast had no objection.' });
    expect(r.body.review.votes.filter((v: { by: { userId: string } }) => v.by.userId === fr.actor.userId)).toHaveLength(2);
    const { rows } = await ctx.system.database.pool.query('select count(*)::int as n from review_votes where request_id = $1', [id]);
    expect(rows[0].n).toBe(4);
  });

  it('the Chair extends the deadline (each extension an event) or closes the review early', async () => {
    const id = await openReview(ctx);
    const before = await read(ctx, id)();
    const until = new Date(Date.parse(before.review.deadline) + 60_000).toISOString();
    const extended = await call(ctx.system, 'POST', `/requests/${id}/review/extension`, ctx.cast.chair, { until, reason: 'Members asked for more time.' });
    expect(extended.status).toBe(200);
    expect(extended.body.review).toMatchObject({ deadline: until, reminded: false, extensions: [{ deadline: until, reason: 'Members asked for more time.' }] });
    const backwards = await call(ctx.system, 'POST', `/requests/${id}/review/extension`, ctx.cast.chair, { until: before.review.deadline, reason: 'x' });
    expect(backwards.status).toBe(400);
    expect(backwards.body.field).toBe('until');
    const bySecretariat = await call(ctx.system, 'POST', `/requests/${id}/review/closure`, ctx.cast.secretariat, { reason: 'x' });
    expect(bySecretariat.status).toBe(403);
    const closed = await call(ctx.system, 'POST', `/requests/${id}/review/closure`, ctx.cast.chair, { reason: 'Urgent: the SOM meets tomorrow.' });
    expect(closed.body.phase).toBe('approval');
    expect(closed.body.review).toMatchObject({ closedBecause: 'closed_by_chair', outcome: { result: 'to_chair', reason: 'Urgent: the SOM meets tomorrow.' } });
    expect((await eventTypes(ctx, id)).slice(-2)).toEqual(['review_extended', 'review_closed']);
  });
});

describe('screening and the partner’s answer, against the clock', () => {
  const ctx = useTestSystem({
    policy: {
      screeningPeriod: 'PT2S',
      screeningReminderLead: 'PT1S',
      informationPeriod: 'PT2S',
      informationReminderLead: 'PT1S',
    },
  });

  it('reminds the Secretariat before the screening deadline and escalates to the Chair after it, once each', async () => {
    const { system, cast } = ctx;
    const id = await submit(system, cast);
    const start = await read(ctx, id)();
    expect(start.waitingFor.deadline).toBe(start.screeningClock.deadline);
    await waitFor(read(ctx, id), (r) => r.screeningClock?.expired === true);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const types = await eventTypes(ctx, id);
    expect(types).toEqual(['submitted', 'screening_reminder', 'screening_escalated']);
    const after = await read(ctx, id)();
    expect(after.phase).toBe('screening');
    expect((await call(system, 'POST', `/requests/${id}/screening`, cast.secretariat, { outcome: 'accept', note: 'Late, but eligible.' })).body.phase).toBe('review');
  });

  it('time spent waiting for the partner does not count against screening', async () => {
    const { system, cast } = ctx;
    const id = await submit(system, cast);
    const before = (await read(ctx, id)()).screeningClock;
    const asked = await call(system, 'POST', `/requests/${id}/screening`, cast.secretariat, { outcome: 'request_information', note: 'Dates?' });
    expect(asked.body.screeningClock.pausedAt).toBeTruthy();
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    const answered = await call(system, 'POST', `/requests/${id}/information`, cast.partner, { response: 'May 2027.' });
    const exchange = answered.body.informationExchanges[0];
    const paused = Date.parse(exchange.responded.at) - Date.parse(exchange.requested.at);
    expect(paused).toBeGreaterThanOrEqual(1_200);
    expect(Date.parse(answered.body.screeningClock.deadline) - Date.parse(before.deadline)).toBe(paused);
    expect(answered.body.screeningClock.pausedAt).toBeNull();
  });

  it('without an answer by the deadline the request is withdrawn with reason no_response, after a reminder', async () => {
    const { system, cast } = ctx;
    const id = await submit(system, cast);
    await call(system, 'POST', `/requests/${id}/screening`, cast.secretariat, { outcome: 'request_information', note: 'Budget detail?' });
    const done = await waitFor(read(ctx, id), (r) => r.phase === 'withdrawn');
    expect(done.ending).toMatchObject({ reason: 'no_response', by: { role: 'system' } });
    expect(await eventTypes(ctx, id)).toEqual(['submitted', 'information_requested', 'information_reminder', 'withdrawn']);
  });

  it('the Secretariat can extend the partner’s deadline', async () => {
    const { system, cast } = ctx;
    const id = await submit(system, cast);
    await call(system, 'POST', `/requests/${id}/screening`, cast.secretariat, { outcome: 'request_information', note: 'Budget detail?' });
    const until = new Date(Date.now() + 60_000).toISOString();
    const extended = await call(system, 'POST', `/requests/${id}/information/deadline`, cast.secretariat, { until, reason: 'Ministry reshuffle.' });
    expect(extended.status).toBe(200);
    expect(extended.body.informationExchanges[0].clock).toMatchObject({ deadline: until, extensions: [{ reason: 'Ministry reshuffle.' }] });
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect((await read(ctx, id)()).phase).toBe('awaiting_information');
    expect((await call(system, 'POST', `/requests/${id}/information/deadline`, cast.partner, { until, reason: 'x' })).status).toBe(403);
  });
});
