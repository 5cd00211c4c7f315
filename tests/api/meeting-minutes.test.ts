import { describe, expect, it } from 'vitest';
import { advanceTo, call, submit } from '../support/cast';
import { useTestSystem } from '../support/use-test-system';

/**
 * The minutes are a workflow of their own (workflows/meeting-minutes.ts): every item applied exactly once, though
 * the activity that applies it dies after doing so and runs again, and though the call is sent again (its API
 * killed, its answer lost) while the first is still at work.
 */

const diedOnce = new Set<string>();
let injectedDeaths = 0;

const ctx = useTestSystem({
  activities: (real) => ({
    ...real,
    // The worst moment: the decision is on the request's record, and the worker dies before Temporal hears of it.
    async applyMinutesDecision(input) {
      const result = await real.applyMinutesDecision(input);
      if (!diedOnce.has(input.requestId)) {
        diedOnce.add(input.requestId);
        injectedDeaths += 1;
        throw new Error(`simulated crash after applying the decision on ${input.requestId}`);
      }
      return result;
    },
  }),
});

async function eventTypes(requestId: string): Promise<string[]> {
  const { rows } = await ctx.system.database.pool.query<{ type: string }>('SELECT type FROM request_events WHERE request_id = $1 ORDER BY seq', [requestId]);
  return rows.map((row) => row.type);
}

describe('the minutes of a meeting, durably', () => {
  it('apply each decision once though every item dies after it is applied, and a repeated call gets the same results', async () => {
    const { system, cast } = ctx;
    const inReview = await submit(system, cast, { title: 'Workshop on border management' });
    await advanceTo(system, cast, inReview, 'review');
    const inApproval = await submit(system, cast, { title: 'Study on diaspora investment' });
    await advanceTo(system, cast, inApproval, 'approval');
    const toReject = await submit(system, cast, { title: 'Study to reject' });
    await advanceTo(system, cast, toReject, 'approval');
    const meeting = (await call(system, 'POST', '/meetings', cast.secretariat, { title: 'SC meeting, Abuja', scheduledFor: '2027-05-04T09:00:00Z' })).body;

    const body = {
      decisions: [
        { requestId: inReview, decision: 'approve', rationale: 'Agreed at the meeting.' },
        { requestId: inApproval, decision: 'request_revision', rationale: 'Clarify the budget.', points: ['Which lines?'] },
        // A decision that ends its request (and its workflow): a second attempt can no longer ask it.
        { requestId: toReject, decision: 'reject', rationale: 'Outside the action plan.' },
      ],
    };
    // Sent twice at once, as a client does whose first call seemed lost.
    const [first, second] = await Promise.all([
      call(system, 'POST', `/meetings/${meeting.meetingId}/minutes`, cast.chair, body),
      call(system, 'POST', `/meetings/${meeting.meetingId}/minutes`, cast.chair, body),
    ]);
    const expected = [
      { requestId: inReview, status: 200, phase: 'implementation', message: null },
      { requestId: inApproval, status: 200, phase: 'revision_requested', message: null },
      { requestId: toReject, status: 200, phase: 'rejected', message: null },
    ];
    expect(first).toMatchObject({ status: 200, body: { results: expected } });
    expect(second).toMatchObject({ status: 200, body: { results: expected } });
    expect(injectedDeaths).toBe(3);

    expect(await eventTypes(inReview)).toEqual(expect.arrayContaining(['review_closed', 'approved']));
    for (const [id, decided] of [[inReview, 'approved'], [inApproval, 'revision_requested'], [toReject, 'rejected']] as const) {
      const types = await eventTypes(id);
      expect(types.filter((type) => type === decided), `${id}: ${types.join(', ')}`).toHaveLength(1);
      expect(types.filter((type) => type === 'review_closed').length, `${id}: ${types.join(', ')}`).toBeLessThanOrEqual(1);
    }
    const decision = (await call(system, 'GET', `/requests/${inApproval}`, cast.monitor)).body.decisions.at(-1);
    expect(decision).toMatchObject({ decision: 'request_revision', meetingId: meeting.meetingId });

    // Retried later, the call is answered with what it did; other decisions are refused.
    const later = await call(system, 'POST', `/meetings/${meeting.meetingId}/minutes`, cast.chair, body);
    expect(later).toMatchObject({ status: 200, body: { results: expected } });
    const other = await call(system, 'POST', `/meetings/${meeting.meetingId}/minutes`, cast.chair, { decisions: [{ requestId: inReview, decision: 'reject', rationale: 'Twice?' }] });
    expect(other).toMatchObject({ status: 409, body: { code: 'minutes_recorded' } });
    expect((await call(system, 'GET', `/meetings/${meeting.meetingId}`, cast.monitor)).body).toMatchObject({ minutes: expected, minutesRecordedBy: cast.chair.actor.name });
  });

  it('a meeting left claimed without minutes (an API killed before 2026-12) takes its minutes now', async () => {
    const { system, cast } = ctx;
    const inApproval = await submit(system, cast, { title: 'Training of consular staff' });
    await advanceTo(system, cast, inApproval, 'approval');
    const meeting = (await call(system, 'POST', '/meetings', cast.secretariat, { title: 'SC meeting, Banjul', scheduledFor: '2027-06-01T09:00:00Z' })).body;
    await system.database.pool.query(`UPDATE meetings SET minutes_recorded_at = now(), minutes_recorded_by = 'the old handler' WHERE id = $1`, [meeting.meetingId]);

    const recorded = await call(system, 'POST', `/meetings/${meeting.meetingId}/minutes`, cast.chair, {
      decisions: [{ requestId: inApproval, decision: 'approve', rationale: 'Agreed.' }],
    });
    expect(recorded).toMatchObject({ status: 200, body: { results: [{ requestId: inApproval, status: 200, phase: 'implementation' }] } });
  });
});
