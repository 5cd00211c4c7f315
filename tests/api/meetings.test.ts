import { describe, expect, it } from 'vitest';
import { useTestSystem } from '../support/use-test-system';
import { advanceTo, call, submit } from '../support/cast';

const ctx = useTestSystem();

describe('Steering Committee meetings', () => {
  it('schedules a meeting with the requests in review and approval, and edits its agenda', async () => {
    const { system, cast } = ctx;
    const inReview = await submit(system, cast, { title: 'Workshop on labour mobility' });
    await advanceTo(system, cast, inReview, 'review');
    const inApproval = await submit(system, cast, { title: 'Study on remittances' });
    await advanceTo(system, cast, inApproval, 'approval');
    const inScreening = await submit(system, cast, { title: 'Still screening' });

    const scheduled = await call(system, 'POST', '/meetings', cast.secretariat, { title: 'SC meeting, Rabat, March 2027', scheduledFor: '2027-03-12T09:00:00Z' });
    expect(scheduled.status).toBe(201);
    const agendaIds = scheduled.body.agenda.map((i: { requestId: string }) => i.requestId);
    expect(agendaIds).toEqual(expect.arrayContaining([inReview, inApproval]));
    expect(agendaIds).not.toContain(inScreening);

    const edited = await call(system, 'PATCH', `/meetings/${scheduled.body.meetingId}/agenda`, cast.secretariat, { remove: [inReview], add: [inScreening] });
    expect(edited.status).toBe(200);
    expect(edited.body.refused).toEqual([inScreening]);
    expect(edited.body.meeting.agenda.map((i: { requestId: string }) => i.requestId)).not.toContain(inReview);
    expect((await call(system, 'PATCH', `/meetings/${scheduled.body.meetingId}/agenda`, cast.chair, { add: [inReview] })).status).toBe(403);
    expect((await call(system, 'POST', '/meetings', cast.partner, { title: 'x', scheduledFor: '2027-03-12T09:00:00Z' })).status).toBe(403);
    expect((await call(system, 'GET', `/meetings/${scheduled.body.meetingId}`, cast.partner)).status).toBe(403);
  });

  it('records the minutes in one call: each decision applied on its own, a refused one stops none of the others', async () => {
    const { system, cast } = ctx;
    const today = new Date().toISOString().slice(0, 10);
    await call(system, 'PUT', '/action-plans/meeting-plan', cast.admin, {
      title: 'Test plan',
      titleFr: 'Plan de test',
      startsOn: today,
      endsOn: '2100-12-31',
      areas: [1, 2, 3, 4, 5].map((area) => ({ area, title: `Area ${area} of the test plan`, titleFr: `Domaine ${area} du plan de test` })),
      objectives: [{ code: '3', area: 2, title: 'Labour mobility', titleFr: 'Mobilité de la main-d’œuvre' }],
    });
    const approveMe = await submit(system, cast, { title: 'Training for labour inspectors', domain: 2, objective: '3' });
    await advanceTo(system, cast, approveMe, 'approval');
    const stillInReview = await submit(system, cast, { title: 'Expert mission on reintegration' });
    await advanceTo(system, cast, stillInReview, 'review');
    const withdrawnMeanwhile = await submit(system, cast, { title: 'Peer exchange on asylum' });
    await advanceTo(system, cast, withdrawnMeanwhile, 'approval');

    const attached = await system.app.inject({
      method: 'POST',
      url: `/requests/${approveMe}/documents?name=concept-note.pdf&description=${encodeURIComponent('Concept note of the ministry')}`,
      headers: { authorization: `Bearer ${cast.partner.token}`, 'content-type': 'application/pdf' },
      payload: Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(3 * 1024 - 9, 0x20)]),
    });
    expect(attached.statusCode).toBe(201);
    const meeting = (await call(system, 'POST', '/meetings', cast.secretariat, { title: 'SC meeting, Dakar', scheduledFor: '2027-04-01T09:00:00Z' })).body;
    await call(system, 'POST', `/requests/${withdrawnMeanwhile}/withdrawal`, cast.partner, { reason: 'Funded bilaterally.' });

    const pack = await system.app.inject({ method: 'GET', url: `/meetings/${meeting.meetingId}/agenda-pack`, headers: { authorization: `Bearer ${cast.scMember.token}` } });
    expect(pack.statusCode).toBe(200);
    expect(pack.headers['content-type']).toMatch(/^text\/markdown/);
    expect(pack.body).toContain('## ');
    expect(pack.body).toContain('Training for labour inspectors');
    expect(pack.body).toContain(`${cast.scMember.actor.name} (ES): no objection`);
    expect(pack.body).toContain('**Screening note.** Complete and eligible.');
    expect(pack.body).toContain('**Documents.** concept-note.pdf (3 KiB): Concept note of the ministry');
    expect(pack.body).toContain('**Documents.** —');
    // Area and objective in the words of the action plan's reference data.
    expect(pack.body).toContain('- Action area 2: Area 2 of the test plan\n- Objective 3: Labour mobility (Test plan)\n- Kind of support');
    expect(pack.body).toContain('- Action area 4: Area 4 of the test plan\n- Kind of support');
    const html = await system.app.inject({ method: 'GET', url: `/meetings/${meeting.meetingId}/agenda-pack?format=html`, headers: { authorization: `Bearer ${cast.chair.token}` } });
    expect(html.headers['content-type']).toMatch(/^text\/html/);
    expect(html.body).toContain('<h2>');
    expect(html.body).toContain('<html lang="en">');
    // A francophone member reads it in French (their browser's language here): labels and money, not what people wrote.
    const inFrench = await system.app.inject({ method: 'GET', url: `/meetings/${meeting.meetingId}/agenda-pack?format=html`, headers: { authorization: `Bearer ${cast.scMember.token}`, 'accept-language': 'fr-FR,fr;q=0.9' } });
    expect(inFrench.body).toContain('<html lang="fr">');
    expect(inFrench.body).toMatch(/Réunion du Comité de pilotage, 2027-04-01T09:00:00(\.000)?Z\. Ordre du jour : \d+ demandes\./);
    expect(inFrench.body).toContain(`${cast.scMember.actor.name} (ES) : pas d’objection`);
    expect(inFrench.body).toContain('<strong>Note de l’examen préalable.</strong> Complete and eligible.');
    expect(inFrench.body).toMatch(/Budget demandé : [\d\u202f\u00a0]+[\s\u00a0]€/);
    expect(inFrench.body).toContain('Phase : Examen par le Comité de pilotage');
    // The plan's own French titles.
    expect(inFrench.body).toContain('Domaine d’action 2 : Domaine 2 du plan de test');
    expect(inFrench.body).toContain('Objectif 3 : Mobilité de la main-d’œuvre (Plan de test)');

    const minutes = await call(system, 'POST', `/meetings/${meeting.meetingId}/minutes`, cast.chair, {
      decisions: [
        { requestId: approveMe, decision: 'approve', rationale: 'Agreed at the meeting.', conditions: ['Co-fund 10%.'] },
        { requestId: stillInReview, decision: 'request_revision', rationale: 'Clarify the partners.', points: ['Which ministries?'] },
        { requestId: withdrawnMeanwhile, decision: 'approve', rationale: 'Agreed.' },
      ],
    });
    expect(minutes.status).toBe(200);
    expect(minutes.body.results).toEqual([
      { requestId: approveMe, status: 200, phase: 'implementation', message: null },
      { requestId: stillInReview, status: 200, phase: 'revision_requested', message: null },
      { requestId: withdrawnMeanwhile, status: 409, phase: 'withdrawn', message: expect.stringContaining("phase 'withdrawn'") },
    ]);
    const closedReview = (await call(system, 'GET', `/requests/${stillInReview}`, cast.monitor)).body.review;
    expect(closedReview).toMatchObject({ closedBecause: 'closed_by_chair' });

    const again = await call(system, 'POST', `/meetings/${meeting.meetingId}/minutes`, cast.chair, {
      decisions: [{ requestId: approveMe, decision: 'reject', rationale: 'Twice?' }],
    });
    expect(again.status).toBe(409);
    const stored = (await call(system, 'GET', `/meetings/${meeting.meetingId}`, cast.monitor)).body;
    expect(stored.minutes.map((r: { status: number }) => r.status)).toEqual([200, 200, 409]);
    expect(stored.minutesRecordedBy).toBe(cast.chair.actor.name);
    const listed = (await call(system, 'GET', '/meetings', cast.scMember)).body.items;
    expect(listed.map((m: { meetingId: string }) => m.meetingId)).toContain(meeting.meetingId);
    expect(listed.find((m: { meetingId: string }) => m.meetingId === meeting.meetingId).minutes).toHaveLength(3);
  });
});
