import { describe, expect, it } from 'vitest';
import { advanceTo, call, submit } from '../support/cast';
import { useTestSystem } from '../support/use-test-system';

const ctx = useTestSystem();

async function finalState(id: string) {
  const result = await ctx.system.client.workflow.getHandle(`capacity-request-${id}`).result();
  const events = await call(ctx.system, 'GET', `/requests/${id}/events`, ctx.cast.secretariat);
  return { result, types: events.body.items.map((e: { type: string }) => e.type) as string[] };
}

describe('every ending of a request', () => {
  it('screening rejects an ineligible request, with its reason', async () => {
    const { system, cast } = ctx;
    const id = await submit(system, cast);
    const r = await call(system, 'POST', `/requests/${id}/screening`, cast.secretariat, {
      outcome: 'reject',
      note: 'Outside the Rabat Process partner countries’ remit.',
    });
    expect(r.status).toBe(200);
    expect(r.body.phase).toBe('rejected');
    expect(r.body.ending).toMatchObject({ reason: 'Outside the Rabat Process partner countries’ remit.', by: { role: 'secretariat' } });
    const { result, types } = await finalState(id);
    expect(result.phase).toBe('rejected');
    expect(types).toEqual(['submitted', 'screening_rejected']);
  });

  it('the Chair rejects after review', async () => {
    const { system, cast } = ctx;
    const id = await submit(system, cast);
    await advanceTo(system, cast, id, 'approval');
    const r = await call(system, 'POST', `/requests/${id}/decision`, cast.chair, { decision: 'reject', rationale: 'Duplicates an ongoing EU action.' });
    expect(r.body.phase).toBe('rejected');
    expect(r.body.decisions).toMatchObject([{ decision: 'reject', rationale: 'Duplicates an ongoing EU action.', approvedBudgetEur: null }]);
    expect((await finalState(id)).types.at(-1)).toBe('rejected');
  });

  for (const phase of ['screening', 'awaiting_information', 'review', 'approval', 'revision_requested'] as const) {
    it(`the partner withdraws a request in ${phase}`, async () => {
      const { system, cast } = ctx;
      const id = await submit(system, cast);
      if (phase === 'awaiting_information') {
        await call(system, 'POST', `/requests/${id}/screening`, cast.secretariat, { outcome: 'request_information', note: 'Budget detail?' });
      } else if (phase === 'review' || phase === 'approval') {
        await advanceTo(system, cast, id, phase);
      } else if (phase === 'revision_requested') {
        await advanceTo(system, cast, id, 'approval');
        await call(system, 'POST', `/requests/${id}/decision`, cast.chair, { decision: 'request_revision', rationale: 'Clarify.', points: ['Give the dates.'] });
      }
      expect((await call(system, 'GET', `/requests/${id}`, cast.partner)).body.phase).toBe(phase);
      const r = await call(system, 'POST', `/requests/${id}/withdrawal`, cast.partner, { reason: 'Funded bilaterally instead.' });
      expect(r.status).toBe(200);
      expect(r.body.phase).toBe('withdrawn');
      const { result, types } = await finalState(id);
      expect(result.phase).toBe('withdrawn');
      expect(types.at(-1)).toBe('withdrawn');
    });
  }

  it('a partner cannot withdraw once implementation has started', async () => {
    const { system, cast } = ctx;
    const id = await submit(system, cast);
    await advanceTo(system, cast, id, 'implementation');
    const r = await call(system, 'POST', `/requests/${id}/withdrawal`, cast.partner, { reason: 'Changed our mind.' });
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({ code: 'wrong_phase_or_state', phase: 'implementation' });
  });

  for (const phase of ['implementation', 'monitoring'] as const) {
    it(`the Chair cancels a request in ${phase}`, async () => {
      const { system, cast } = ctx;
      const id = await submit(system, cast);
      await advanceTo(system, cast, id, phase);
      const r = await call(system, 'POST', `/requests/${id}/cancellation`, cast.chair, { reason: 'Security situation.' });
      expect(r.status).toBe(200);
      expect(r.body.phase).toBe('cancelled');
      expect(r.body.ending.reason).toBe('Security situation.');
      expect((await finalState(id)).result.phase).toBe('cancelled');
    });
  }

  it('an ended request refuses every further step with 409 and changes nothing', async () => {
    const { system, cast } = ctx;
    const id = await submit(system, cast);
    await call(system, 'POST', `/requests/${id}/withdrawal`, cast.partner, { reason: 'No longer needed.' });
    await finalState(id);
    const r = await call(system, 'POST', `/requests/${id}/screening`, cast.secretariat, { outcome: 'accept', note: 'x' });
    expect(r.status).toBe(409);
    expect(r.body.allowedActions).toEqual([]);
    expect((await finalState(id)).types).toEqual(['submitted', 'withdrawn']);
  });
});

describe('review that ends by its deadline', () => {
  // A system of its own, whose reviews last two seconds.
  const quick = useTestSystem({ reviewPeriod: 'PT2S' });

  it('goes to the Chair when the deadline passes without every vote', async () => {
    const { system, cast } = quick;
    const id = await submit(system, cast);
    const opened = await call(system, 'POST', `/requests/${id}/screening`, cast.secretariat, { outcome: 'accept', note: 'ok' });
    expect(opened.body.phase).toBe('review');
    expect(opened.body.waitingFor).toMatchObject({ roles: ['sc_member'], deadline: opened.body.review.deadline });
    let state = opened.body;
    for (let i = 0; i < 50 && state.phase === 'review'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      state = (await call(system, 'GET', `/requests/${id}`, cast.chair)).body;
    }
    expect(state.phase).toBe('approval');
    expect(state.review).toMatchObject({ closedBecause: 'deadline_passed', votes: [] });
    expect(Date.parse(state.review.closedAt)).toBeGreaterThanOrEqual(Date.parse(state.review.deadline));
    expect(state.allowedActions).toEqual(['decide']);
    const late = await call(system, 'POST', `/requests/${id}/votes`, cast.scMember, { vote: 'objection' });
    expect(late.status).toBe(409);
  });
});
