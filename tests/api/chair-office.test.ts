import { describe, expect, it } from 'vitest';
import { useTestSystem } from '../support/use-test-system';
import { advanceTo, call, submit } from '../support/cast';

/** Authority belongs to the office for its term, not to a person. */
const ctx = useTestSystem();

describe('the Chair as an office with a term', () => {
  it('a handover moves pending decisions to the new holder; the former holder is refused', async () => {
    const { system, cast } = ctx;
    const id = await submit(system, cast);
    await advanceTo(system, cast, id, 'approval');
    expect((await call(system, 'GET', `/requests/${id}`, cast.chair)).body.allowedActions).toEqual(['decide']);

    const successor = await system.user('chair');
    const handover = await call(system, 'POST', '/admin/chair-terms', cast.admin, {
      holder: successor.actor.name,
      endsAt: new Date(Date.now() + 365 * 86_400_000).toISOString(),
    });
    expect(handover.status).toBe(201);
    expect(handover.body.endedTerms).toEqual([cast.chair.actor.name]);

    const former = await call(system, 'POST', `/requests/${id}/decision`, cast.chair, { decision: 'approve', rationale: 'Too late.' });
    expect(former.status).toBe(403);
    expect(former.body.message).toMatch(/Your term as Chair ended on/);
    expect((await call(system, 'GET', `/requests/${id}`, cast.chair)).body.allowedActions).toEqual([]);

    // The decision waited for the office, not for the person: the successor takes it.
    const decided = await call(system, 'POST', `/requests/${id}/decision`, successor, { decision: 'approve', rationale: 'Fits area 4.' });
    expect(decided.status).toBe(200);
    expect(decided.body.decisions.at(-1).by.name).toBe(successor.actor.name);

    const terms = await call(system, 'GET', '/admin/chair-terms', cast.admin);
    const [old, current] = terms.body.items.slice(-2);
    expect(old.holder).toBe(cast.chair.actor.name);
    expect(current.holder).toBe(successor.actor.name);
    expect(old.endsAt).toBe(current.startsAt);
    const { rows } = await system.database.pool.query("select actor_name, payload from admin_events where type = 'chair_handover' order by id desc limit 1");
    expect(rows[0]).toMatchObject({ actor_name: cast.admin.actor.name, payload: { to: successor.actor.name } });
  });

  it('a chair whose term has not started, or who never held the office, cannot decide', async () => {
    const { system, cast } = ctx;
    const id = await submit(system, cast);
    await advanceTo(system, cast, id, 'approval');
    const incoming = await system.user('chair');
    const now = Date.now();
    const planned = await call(system, 'POST', '/admin/chair-terms', cast.admin, {
      holder: incoming.actor.name,
      startsAt: new Date(now + 365 * 86_400_000).toISOString(),
      endsAt: new Date(now + 730 * 86_400_000).toISOString(),
    });
    expect(planned.status).toBe(201);
    const early = await call(system, 'POST', `/requests/${id}/decision`, incoming, { decision: 'reject', rationale: 'r' });
    expect(early.status).toBe(403);
    expect(early.body.message).toMatch(/Your term as Chair starts on/);
    const never = await system.user('chair');
    const none = await call(system, 'POST', `/requests/${id}/decision`, never, { decision: 'reject', rationale: 'r' });
    expect(none.status).toBe(403);
    expect(none.body.message).toMatch(/You do not hold the Chair office/);
    expect((await call(system, 'GET', `/requests/${id}`, cast.monitor)).body.phase).toBe('approval');
  });

  it('a decision is never edited: a correction is recorded next to it, as an event of its own', async () => {
    const { system, cast } = ctx;
    const chair = await system.user('chair');
    await call(system, 'POST', '/admin/chair-terms', cast.admin, { holder: chair.actor.name, endsAt: new Date(Date.now() + 86_400_000).toISOString() });
    const id = await submit(system, cast);
    await advanceTo(system, cast, id, 'review');
    await call(system, 'POST', `/requests/${id}/votes`, cast.scMember, { vote: 'no_objection' });
    await call(system, 'POST', `/requests/${id}/decision`, chair, { decision: 'approve', rationale: 'Fits area 4.', approvedBudgetEur: 30000 });
    const corrected = await call(system, 'POST', `/requests/${id}/decision/corrections`, chair, { note: 'The approved budget is 30,000 EUR, not 3,000 as announced.' });
    expect(corrected.status).toBe(200);
    expect(corrected.body.decisions).toHaveLength(1);
    expect(corrected.body.decisions[0]).toMatchObject({
      decision: 'approve',
      rationale: 'Fits area 4.',
      approvedBudgetEur: 30000,
      corrections: [{ note: 'The approved budget is 30,000 EUR, not 3,000 as announced.', by: { name: chair.actor.name } }],
    });
    const events = (await call(system, 'GET', `/requests/${id}/events`, cast.monitor)).body.items;
    expect(events.at(-1)).toMatchObject({ type: 'decision_corrected', payload: { decision: 'approve' } });
  });

  it('only a user with the chair role can receive the office, and only administrators hand it over', async () => {
    const { system, cast } = ctx;
    const endsAt = new Date(Date.now() + 86_400_000).toISOString();
    const wrongRole = await call(system, 'POST', '/admin/chair-terms', cast.admin, { holder: cast.secretariat.actor.name, endsAt });
    expect(wrongRole.status).toBe(400);
    expect(wrongRole.body.message).toMatch(/only a user with the chair role/);
    const unknown = await call(system, 'POST', '/admin/chair-terms', cast.admin, { holder: 'Nobody', endsAt });
    expect(unknown.status).toBe(400);
    const bySecretariat = await call(system, 'POST', '/admin/chair-terms', cast.secretariat, { holder: cast.chair.actor.name, endsAt });
    expect(bySecretariat.status).toBe(403);
  });
});
