import { describe, expect, it } from 'vitest';
import { call, submit } from '../support/cast';
import { useTestSystem } from '../support/use-test-system';

const ctx = useTestSystem();

async function count(table: string, id: string): Promise<number> {
  const { rows } = await ctx.system.database.pool.query(`select count(*)::int as n from ${table} where request_id = $1`, [id]);
  return rows[0].n;
}

describe('a request from submission to completion, over HTTP', () => {
  it('walks every phase, including both loops, and keeps the whole history', async () => {
    const { system, cast } = ctx;
    const id = await submit(system, cast);

    // Screening asks for more information; the partner answers; screening resumes.
    let r = await call(system, 'POST', `/requests/${id}/screening`, cast.secretariat, {
      outcome: 'request_information',
      note: 'Which border posts are concerned?',
    });
    expect(r.status).toBe(200);
    expect(r.body.phase).toBe('awaiting_information');
    r = await call(system, 'GET', `/requests/${id}`, cast.partner);
    expect(r.body.allowedActions).toEqual(['provide_information', 'withdraw', 'attach_document']);
    expect(r.body.waitingFor.roles).toEqual(['partner']);
    r = await call(system, 'POST', `/requests/${id}/information`, cast.partner, { response: 'Dakar airport and Rosso.' });
    expect(r.body.phase).toBe('screening');
    expect(r.body.informationExchanges).toMatchObject([
      { question: 'Which border posts are concerned?', response: 'Dakar airport and Rosso.' },
    ]);

    // Accepted: review opens to the Steering Committee as it stands now, with a deadline.
    r = await call(system, 'POST', `/requests/${id}/screening`, cast.secretariat, { outcome: 'accept', note: 'Eligible.' });
    expect(r.body.phase).toBe('review');
    expect(r.body.review.reviewers).toEqual([
      { userId: cast.scMember.actor.userId, name: cast.scMember.actor.name, country: 'ES', conflicted: false },
    ]);
    expect(Date.parse(r.body.review.deadline) - Date.parse(r.body.review.openedAt)).toBe(3_600_000);

    // The only member votes: review closes at once and the Chair is next.
    r = await call(system, 'POST', `/requests/${id}/votes`, cast.scMember, { vote: 'no_objection', comment: 'Relevant.' });
    expect(r.body.phase).toBe('approval');
    expect(r.body.review.closedBecause).toBe('all_voted');

    // The Chair asks for a revision; the partner revises; the request returns to screening with both versions kept.
    r = await call(system, 'POST', `/requests/${id}/decision`, cast.chair, {
      decision: 'request_revision',
      rationale: 'The participant list must be gender-balanced.',
      points: ['How many of the participants will be women?'],
    });
    expect(r.body.phase).toBe('revision_requested');
    const unanswered = await call(system, 'POST', `/requests/${id}/revision`, cast.partner, { expectedOutcomes: 'More women.' });
    expect(unanswered.status).toBe(400);
    expect(unanswered.body).toMatchObject({ field: 'answers' });
    expect(unanswered.body.message).toContain('1. How many of the participants will be women?');
    r = await call(system, 'POST', `/requests/${id}/revision`, cast.partner, {
      expectedOutcomes: '40 officers trained, at least 15 of them women.',
      answers: ['At least 15 of the 40.'],
    });
    expect(r.body.phase).toBe('screening');
    expect(r.body.contentVersions[1].answers).toEqual([
      { point: 'How many of the participants will be women?', answer: 'At least 15 of the 40.' },
    ]);
    expect(r.body.expectedOutcomes).toBe('40 officers trained, at least 15 of them women.');
    expect(r.body.contentVersions).toHaveLength(2);
    expect(r.body.contentVersions[0].submission.expectedOutcomes).toBe('40 officers trained; a referral procedure agreed.');

    // Second round: accept, vote, approve with conditions and a smaller budget.
    await call(system, 'POST', `/requests/${id}/screening`, cast.secretariat, { outcome: 'accept', note: 'Revision answers the Chair.' });
    await call(system, 'POST', `/requests/${id}/votes`, cast.scMember, { vote: 'no_objection' });
    r = await call(system, 'POST', `/requests/${id}/decision`, cast.chair, {
      decision: 'approve',
      rationale: 'Fits action area 4.',
      conditions: ['Share the curriculum two weeks ahead.'],
      approvedBudgetEur: 40000,
    });
    expect(r.status).toBe(200);
    expect(r.body.phase).toBe('implementation');
    expect(r.body.conditions).toEqual([{ text: 'Share the curriculum two weeks ahead.', met: null }]);
    expect(r.body.decisions.at(-1)).toMatchObject({ decision: 'approve', approvedBudgetEur: 40000 });

    // Implementation: two activities, one done, one cancelled; then monitoring.
    const plan = (title: string) =>
      call(system, 'POST', `/requests/${id}/activities`, cast.secretariat, {
        type: 'training',
        title,
        startDate: '2027-04-10',
        endDate: '2027-04-11',
        location: 'Dakar, SN',
        budgetEur: 20000,
      });
    const first = await plan('Training, Dakar');
    expect(first.status).toBe(201);
    expect(first.body.request.activities).toHaveLength(1);
    const second = await plan('Training, Rosso');
    r = await call(system, 'POST', `/requests/${id}/implementation/complete`, cast.secretariat, {});
    expect(r.status).toBe(409);
    expect(r.body.message).toMatch(/still planned/);
    // No activity is confirmed before the approval's conditions are met.
    const firstUrl = `/requests/${id}/activities/${first.body.activityId}`;
    r = await call(system, 'PATCH', firstUrl, cast.secretariat, { status: 'confirmed' });
    expect(r.status).toBe(409);
    expect(r.body.message).toContain("'Share the curriculum two weeks ahead.'");
    r = await call(system, 'POST', `/requests/${id}/conditions/0/met`, cast.secretariat, { note: 'Curriculum sent on 20 March.' });
    expect(r.body.conditions[0]).toMatchObject({ met: { note: 'Curriculum sent on 20 March.', by: { role: 'secretariat' } } });
    await call(system, 'PATCH', firstUrl, cast.secretariat, { status: 'confirmed' });
    r = await call(system, 'PATCH', firstUrl, cast.secretariat, {
      status: 'held',
      participants: { total: 24, women: 10, men: 14, institutions: 2 },
      spentEur: 18500.5,
      deliverables: [{ title: 'Training curriculum', kind: 'curriculum', link: 'https://example.org/curriculum.pdf' }],
    });
    expect(r.body.activities[0]).toMatchObject({ status: 'held', spentEur: 18500.5, participants: { women: 10 } });
    r = await call(system, 'PATCH', `/requests/${id}/activities/${second.body.activityId}`, cast.secretariat, { status: 'cancelled', reason: 'Trainers unavailable.' });
    expect(r.body.activities.map((a: { status: string }) => a.status)).toEqual(['held', 'cancelled']);
    expect(r.body.budget).toMatchObject({ approvedEur: 40000, plannedEur: 20000, spentEur: 18500.5, availableEur: 20000 });
    r = await call(system, 'POST', `/requests/${id}/reports`, cast.partner, { kind: 'progress', summary: 'First session held.' });
    expect(r.status).toBe(200);
    r = await call(system, 'POST', `/requests/${id}/implementation/complete`, cast.secretariat, { note: 'One session only.' });
    expect(r.body.phase).toBe('monitoring');

    // Monitoring: closing needs the final report.
    r = await call(system, 'POST', `/requests/${id}/closure`, cast.secretariat, { lessonsLearned: 'Too early.' });
    expect(r.status).toBe(409);
    r = await call(system, 'POST', `/requests/${id}/reports`, cast.partner, {
      kind: 'final',
      summary: '24 officers trained.',
      indicators: { people_trained_women: 10, people_trained_men: 14 },
    });
    expect(r.body.reports).toHaveLength(2);
    // Numbers stay numbers and text stays text, exactly as sent.
    expect(r.body.reports[1].indicators).toEqual({ people_trained_women: 10, people_trained_men: 14 });

    // The Secretariat returns the final report with comments; the partner answers with a structured one; accepted.
    r = await call(system, 'POST', `/requests/${id}/closure`, cast.secretariat, { lessonsLearned: 'Too early.' });
    expect(r.status).toBe(409);
    expect(r.body.message).toMatch(/final report is accepted/);
    r = await call(system, 'POST', `/requests/${id}/reports/1/return`, cast.secretariat, { comments: 'Please report against the target.' });
    expect(r.body.reports[1]).toMatchObject({ status: 'returned', reviewed: { comments: 'Please report against the target.' } });
    r = await call(system, 'POST', `/requests/${id}/reports`, cast.partner, {
      kind: 'final',
      summary: '24 of the 40 planned officers trained.',
      indicators: [{ name: 'Border officers trained', unit: 'people', target: 40, achieved: 24, women: 10, men: 14 }],
    });
    expect(r.body.reports[2].indicators).toEqual([{ name: 'Border officers trained', unit: 'people', target: 40, achieved: 24, women: 10, men: 14 }]);
    r = await call(system, 'POST', `/requests/${id}/reports/2/acceptance`, cast.secretariat, {});
    expect(r.body.reports[2].status).toBe('accepted');
    r = await call(system, 'POST', `/requests/${id}/closure`, cast.secretariat, {
      lessonsLearned: 'Involve the airport authority early.',
      goodPractices: ['Joint training of police and customs officers.'],
    });
    expect(r.body.phase).toBe('completed');
    expect(r.body.closure).toMatchObject({
      lessonsLearned: 'Involve the airport authority early.',
      goodPractices: ['Joint training of police and customs officers.'],
      actionArea: 4,
    });
    expect(r.body.allowedActions).toEqual([]);
    expect(r.body.waitingFor).toBeNull();

    // The audit trail has every event, in order, with its actor.
    const events = await call(system, 'GET', `/requests/${id}/events`, cast.monitor);
    expect(events.body.items.map((e: { type: string }) => e.type)).toEqual([
      'submitted',
      'information_requested',
      'information_provided',
      'screening_accepted',
      'vote_recorded',
      'review_closed',
      'revision_requested',
      'revised',
      'screening_accepted',
      'vote_recorded',
      'review_closed',
      'approved',
      'activity_planned',
      'activity_planned',
      'condition_met',
      'activity_status_changed',
      'activity_status_changed',
      'activity_status_changed',
      'report_submitted',
      'implementation_completed',
      'report_submitted',
      'report_returned',
      'report_submitted',
      'report_accepted',
      'closed',
    ]);
    expect(events.body.items.map((e: { seq: number }) => e.seq)).toEqual([...Array(25).keys()].map((i) => i + 1));
    expect(events.body.items[1]).toMatchObject({ actorName: cast.secretariat.actor.name, actorRole: 'secretariat' });

    // The per-kind tables hold exactly what happened.
    expect(await count('review_votes', id)).toBe(2);
    expect(await count('decisions', id)).toBe(2);
    expect(await count('implementation_activities', id)).toBe(2);
    expect(await count('reports', id)).toBe(3);
    const { rows } = await system.database.pool.query(
      'select phase, version from requests where id = $1',
      [id],
    );
    expect(rows).toEqual([{ phase: 'completed', version: 25 }]);

    // The workflow itself has completed with the same state.
    const handle = system.client.workflow.getHandle(`capacity-request-${id}`);
    const result = await handle.result();
    expect(result.phase).toBe('completed');
    expect(result.version).toBe(25);
  });
});
