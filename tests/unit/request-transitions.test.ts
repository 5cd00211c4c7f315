import { describe, expect, it } from 'vitest';
import type { Actor, Phase, Reviewer, SubmissionChanges } from '../../workflows/request-model';
import { applyStep, submit, type Transition } from '../../workflows/request-transitions';
import {
  DEADLINE,
  PATHS,
  SUBMISSION,
  TO_APPROVAL,
  TO_IMPLEMENTATION,
  TO_MONITORING,
  accept,
  act,
  at,
  build,
  chair,
  complete,
  decide,
  endReview,
  mark,
  partner,
  plan,
  report,
  requestInfo,
  scEs,
  scFr,
  scMa,
  scSn,
  secretariat,
  vote,
  type Move,
  type Run,
} from './request-fixtures';

// ---------------------------------------------------------------------------------------------------------------
// Fixtures: the shared ones (tests/unit/request-fixtures.ts), plus those only the transitions need.
// ---------------------------------------------------------------------------------------------------------------

const scIt: Actor = { userId: 'u-sc-it', name: 'Luca Bianchi', role: 'sc_member', country: 'IT' };

/** A larger review snapshot than REVIEWERS: four eligible members, so that one tally holds every kind of vote, and the conflicted one. */
const PANEL: Reviewer[] = [
  { userId: scEs.userId, name: scEs.name, country: 'ES', conflicted: false },
  { userId: scFr.userId, name: scFr.name, country: 'FR', conflicted: false },
  { userId: scIt.userId, name: scIt.name, country: 'IT', conflicted: false },
  { userId: scMa.userId, name: scMa.name, country: 'MA', conflicted: false },
  { userId: scSn.userId, name: scSn.name, country: 'SN', conflicted: true },
];

/** The submission time of every fold: at(0), spelt out. */
const T0 = '2025-01-06T09:00:00.000Z';

/** Applies one more step to a (frozen) state at a given time, returning the transition. */
function then(run: Run, move: Move, now = '2025-02-01T12:00:00.000Z'): Transition {
  return move(run.state, now);
}

const provideInfo = (response = 'Dakar airport and Rosso.'): Move => act(partner, { action: 'provide_information', response });

const stampOf = (actor: Actor, when: string) => ({
  by: { userId: actor.userId, name: actor.name, role: actor.role },
  at: when,
});

// ---------------------------------------------------------------------------------------------------------------

describe('submit', () => {
  it('opens screening at version 1 with one content version', () => {
    const { state, event } = submit('req-42', SUBMISSION, partner, T0);
    expect(state).toEqual({
      requestId: 'req-42',
      version: 1,
      phase: 'screening',
      submission: SUBMISSION,
      submissionVersions: [{ submission: SUBMISSION, by: { userId: 'u-nfp-sn', name: 'Awa Diop', role: 'partner' }, at: T0 }],
      submitted: { by: { userId: 'u-nfp-sn', name: 'Awa Diop', role: 'partner' }, at: T0 },
      screeningNote: null,
      informationExchanges: [],
      review: null,
      decisions: [],
      activities: [],
      implementationCompleted: null,
      reports: [],
      closure: null,
      ending: null,
      updatedAt: T0,
    });
    expect(event).toEqual({
      seq: 1,
      type: 'submitted',
      actor: { userId: 'u-nfp-sn', name: 'Awa Diop', role: 'partner' },
      at: T0,
      phaseBefore: 'screening',
      phaseAfter: 'screening',
      payload: { submission: SUBMISSION },
    });
  });

  it('stamps carry no country (only who, by role, and when)', () => {
    const { state, event } = submit('req-42', SUBMISSION, partner, T0);
    expect(state.submitted.by).not.toHaveProperty('country');
    expect(event.actor).not.toHaveProperty('country');
  });
});

describe('a full history', () => {
  const run = build(
    requestInfo(),
    provideInfo(),
    accept(),
    vote(scEs, 'no_objection'),
    vote(scFr, 'objection', 'Overlaps with an EU project.'),
    endReview('deadline_passed'),
    decide('approve'),
    plan('act-1', 'Training'),
    mark('act-1', 'done'),
    complete('Delivered.'),
    report('final'),
    act(secretariat, { action: 'close', lessonsLearned: 'Start the visa process early.' }),
  );

  it('produces the expected events, phase by phase', () => {
    expect(run.events.map((e) => [e.type, e.phaseBefore, e.phaseAfter])).toEqual([
      ['submitted', 'screening', 'screening'],
      ['information_requested', 'screening', 'awaiting_information'],
      ['information_provided', 'awaiting_information', 'screening'],
      ['screening_accepted', 'screening', 'review'],
      ['vote_recorded', 'review', 'review'],
      ['vote_recorded', 'review', 'review'],
      ['review_closed', 'review', 'approval'],
      ['approved', 'approval', 'implementation'],
      ['activity_planned', 'implementation', 'implementation'],
      ['activity_status_changed', 'implementation', 'implementation'],
      ['implementation_completed', 'implementation', 'monitoring'],
      ['report_submitted', 'monitoring', 'monitoring'],
      ['closed', 'monitoring', 'completed'],
    ]);
  });

  it('increments the version by one per event, and each event carries the version it produced', () => {
    expect(run.states.map((s) => s.version)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    expect(run.events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
  });

  it('chains phases: each event starts where the previous state ended', () => {
    run.events.slice(1).forEach((event, i) => {
      expect(event.phaseBefore).toBe(run.states[i]!.phase);
      expect(event.phaseAfter).toBe(run.states[i + 1]!.phase);
    });
  });

  it('stamps each state and event with the step’s time and actor', () => {
    expect(run.states.map((s) => s.updatedAt)).toEqual([T0, ...Array.from({ length: 12 }, (_, i) => at(i + 1))]);
    expect(run.events.map((e) => e.at)).toEqual([T0, ...Array.from({ length: 12 }, (_, i) => at(i + 1))]);
    expect(run.events.map((e) => e.actor.userId)).toEqual([
      'u-nfp-sn',
      'u-sec',
      'u-nfp-sn',
      'u-sec',
      'u-sc-es',
      'u-sc-fr',
      'system',
      'u-chair',
      'u-sec',
      'u-sec',
      'u-sec',
      'u-sec',
      'u-sec',
    ]);
  });

  it('ends completed with the closure and no ending', () => {
    expect(run.state.phase).toBe('completed');
    expect(run.state.closure).toEqual({ ...stampOf(secretariat, at(12)), lessonsLearned: 'Start the visa process early.' });
    expect(run.state.ending).toBeNull();
    expect(run.events.at(-1)!.payload).toEqual({ lessonsLearned: 'Start the visa process early.' });
  });

  it('keeps the history in the state (exchanges, review with votes, decision, activity, report)', () => {
    expect(run.state.informationExchanges).toHaveLength(1);
    expect(run.state.review?.votes.map((v) => v.vote)).toEqual(['no_objection', 'objection']);
    expect(run.state.decisions.map((d) => d.decision)).toEqual(['approve']);
    expect(run.state.activities.map((a) => a.status)).toEqual(['done']);
    expect(run.state.reports.map((r) => r.kind)).toEqual(['final']);
  });
});

describe('information exchange', () => {
  it('request_information opens an exchange and waits for the partner', () => {
    const { state, events } = build(requestInfo('Which border posts?'));
    expect(state.phase).toBe('awaiting_information');
    expect(state.informationExchanges).toEqual([
      { question: 'Which border posts?', requested: stampOf(secretariat, at(1)), response: null, responded: null },
    ]);
    expect(events[1]!.payload).toEqual({ outcome: 'request_information', note: 'Which border posts?' });
  });

  it('provide_information fills the last exchange and returns to screening', () => {
    const { state, events } = build(requestInfo('Q1?'), provideInfo('A1.'), requestInfo('Q2?'), provideInfo('A2.'));
    expect(state.phase).toBe('screening');
    expect(state.informationExchanges).toEqual([
      { question: 'Q1?', requested: stampOf(secretariat, at(1)), response: 'A1.', responded: stampOf(partner, at(2)) },
      { question: 'Q2?', requested: stampOf(secretariat, at(3)), response: 'A2.', responded: stampOf(partner, at(4)) },
    ]);
    expect(events[4]).toMatchObject({
      type: 'information_provided',
      phaseBefore: 'awaiting_information',
      phaseAfter: 'screening',
      payload: { response: 'A2.' },
    });
  });

  it('only the last exchange is answered; earlier ones are left as they were', () => {
    const { states } = build(requestInfo('Q1?'), provideInfo('A1.'), requestInfo('Q2?'));
    const pending = states[3]!;
    expect(pending.informationExchanges[0]).toBe(states[2]!.informationExchanges[0]);
    expect(pending.informationExchanges[1]?.response).toBeNull();
  });
});

describe('screening', () => {
  it('accept opens review with the given reviewers and deadline', () => {
    const { state, events } = build(accept(PANEL));
    expect(state.phase).toBe('review');
    expect(state.screeningNote).toBe('Eligible.');
    expect(state.review).toEqual({
      openedAt: at(1),
      deadline: DEADLINE,
      reviewers: PANEL,
      votes: [],
      closedAt: null,
      closedBecause: null,
    });
    expect(events[1]).toEqual({
      seq: 2,
      type: 'screening_accepted',
      actor: { userId: 'u-sec', name: 'Sofia Rossi', role: 'secretariat' },
      at: at(1),
      phaseBefore: 'screening',
      phaseAfter: 'review',
      payload: { outcome: 'accept', note: 'Eligible.', reviewers: PANEL, deadline: DEADLINE },
    });
  });

  it('accept without reviewers and deadline is a programming error', () => {
    const { state } = build();
    expect(() =>
      applyStep(state, secretariat, { action: 'screen', outcome: 'accept', note: 'Eligible.' }, { now: at(1) }),
    ).toThrow('Opening review needs the reviewers and the deadline');
  });

  it('reject ends the request with the note as reason', () => {
    const { state, events } = build(act(secretariat, { action: 'screen', outcome: 'reject', note: 'Not a capacity-building request.' }));
    expect(state.phase).toBe('rejected');
    expect(state.screeningNote).toBe('Not a capacity-building request.');
    expect(state.ending).toEqual({ ...stampOf(secretariat, at(1)), reason: 'Not a capacity-building request.' });
    expect(events[1]).toMatchObject({
      type: 'screening_rejected',
      phaseBefore: 'screening',
      phaseAfter: 'rejected',
      payload: { outcome: 'reject', note: 'Not a capacity-building request.' },
    });
  });
});

describe('review', () => {
  it('a vote is appended with who, when, what and why', () => {
    const { state, events } = build(accept(), vote(scEs, 'no_objection'), vote(scFr, 'objection', 'Overlap.'));
    expect(state.phase).toBe('review');
    expect(state.review?.votes).toEqual([
      { ...stampOf(scEs, at(2)), vote: 'no_objection', comment: null },
      { ...stampOf(scFr, at(3)), vote: 'objection', comment: 'Overlap.' },
    ]);
    expect(events[3]!.payload).toEqual({ vote: 'objection', comment: 'Overlap.' });
  });

  it('closeReview tallies the votes and moves to approval', () => {
    const run = build(
      accept(PANEL),
      vote(scEs, 'no_objection'),
      vote(scFr, 'objection'),
      vote(scIt, 'no_objection'),
      vote(scMa, 'abstain'),
      endReview('all_voted'),
    );
    expect(run.state.phase).toBe('approval');
    expect(run.state.review).toMatchObject({ openedAt: at(1), closedAt: at(6), closedBecause: 'all_voted' });
    expect(run.state.review?.votes).toHaveLength(4);
    expect(run.events[6]).toEqual({
      seq: 7,
      type: 'review_closed',
      actor: { userId: 'system', name: 'system', role: 'system' },
      at: at(6),
      phaseBefore: 'review',
      phaseAfter: 'approval',
      payload: { because: 'all_voted', tally: { no_objection: 2, objection: 1, abstain: 1 } },
    });
  });

  it('a deadline with no votes closes with an empty tally (silence is consent)', () => {
    const run = build(accept(), endReview('deadline_passed'));
    expect(run.state.review).toMatchObject({ closedAt: at(2), closedBecause: 'deadline_passed', votes: [] });
    expect(run.events[2]!.payload).toEqual({
      because: 'deadline_passed',
      tally: { no_objection: 0, objection: 0, abstain: 0 },
    });
  });
});

describe('decision', () => {
  it('approve without a budget approves the estimated budget', () => {
    const { state, events } = build(...TO_APPROVAL, decide('approve', 'Relevant.'));
    expect(state.phase).toBe('implementation');
    expect(state.decisions).toEqual([
      { ...stampOf(chair, at(3)), decision: 'approve', rationale: 'Relevant.', conditions: null, approvedBudgetEur: 48_000 },
    ]);
    expect(events[3]).toMatchObject({
      type: 'approved',
      phaseBefore: 'approval',
      phaseAfter: 'implementation',
      payload: { decision: 'approve', rationale: 'Relevant.', conditions: null, approvedBudgetEur: 48_000 },
    });
  });

  it('approve keeps an explicit budget and conditions', () => {
    const { state } = build(...TO_APPROVAL, decide('approve', 'Relevant.', 'Co-fund 10%.', 40_000));
    expect(state.decisions[0]).toMatchObject({ conditions: 'Co-fund 10%.', approvedBudgetEur: 40_000 });
    expect(state.ending).toBeNull();
  });

  it('approve with a budget of 0 keeps 0 (not the estimate)', () => {
    const { state } = build(...TO_APPROVAL, decide('approve', 'Symbolic.', null, 0));
    expect(state.decisions[0]?.approvedBudgetEur).toBe(0);
  });

  it('reject ends the request with the rationale as reason', () => {
    const { state, events } = build(...TO_APPROVAL, decide('reject', 'Duplicates an ongoing project.'));
    expect(state.phase).toBe('rejected');
    expect(state.ending).toEqual({ ...stampOf(chair, at(3)), reason: 'Duplicates an ongoing project.' });
    expect(state.decisions).toEqual([
      { ...stampOf(chair, at(3)), decision: 'reject', rationale: 'Duplicates an ongoing project.', conditions: null, approvedBudgetEur: null },
    ]);
    expect(events[3]).toMatchObject({ type: 'rejected', phaseBefore: 'approval', phaseAfter: 'rejected' });
  });

  it('request_revision hands the request back to the partner', () => {
    const { state, events } = build(...TO_APPROVAL, decide('request_revision', 'Add a participant list.'));
    expect(state.phase).toBe('revision_requested');
    expect(state.ending).toBeNull();
    expect(state.decisions[0]).toMatchObject({ decision: 'request_revision', approvedBudgetEur: null });
    expect(events[3]).toMatchObject({ type: 'revision_requested', phaseBefore: 'approval', phaseAfter: 'revision_requested' });
  });
});

describe('revise', () => {
  const revise = (changes: SubmissionChanges): Move => act(partner, { action: 'revise', changes });
  const TO_REVISION = [...TO_APPROVAL, decide('request_revision', 'Add a participant list.')];

  it('merges the changes, keeps the other fields, clears the review and returns to screening', () => {
    const { state, events, states } = build(
      ...TO_REVISION,
      revise({ expectedOutcomes: '40 officers trained, 15 of them women.', estimatedBudgetEur: 52_000 }),
    );
    expect(state.phase).toBe('screening');
    expect(state.submission).toEqual({
      ...SUBMISSION,
      expectedOutcomes: '40 officers trained, 15 of them women.',
      estimatedBudgetEur: 52_000,
    });
    expect(state.submission.country).toBe('SN');
    expect(state.submission.title).toBe('Training on document fraud detection');
    expect(state.review).toBeNull();
    expect(state.screeningNote).toBeNull();
    // The decision that asked for the revision stays in the record.
    expect(state.decisions).toEqual(states[3]!.decisions);
    expect(events[4]).toMatchObject({
      type: 'revised',
      phaseBefore: 'revision_requested',
      phaseAfter: 'screening',
      payload: {
        changes: { expectedOutcomes: '40 officers trained, 15 of them women.', estimatedBudgetEur: 52_000 },
        contentVersion: 2,
      },
    });
  });

  it('appends a content version and leaves the earlier ones unchanged', () => {
    const run = build(
      ...TO_REVISION,
      revise({ title: 'Revised title' }),
      accept(),
      endReview('deadline_passed'),
      decide('request_revision', 'Once more.'),
      revise({ estimatedBudgetEur: 30_000 }),
    );
    expect(run.state.submissionVersions).toEqual([
      { submission: SUBMISSION, ...stampOf(partner, T0) },
      { submission: { ...SUBMISSION, title: 'Revised title' }, ...stampOf(partner, at(4)) },
      { submission: { ...SUBMISSION, title: 'Revised title', estimatedBudgetEur: 30_000 }, ...stampOf(partner, at(8)) },
    ]);
    expect(run.state.submission).toEqual(run.state.submissionVersions[2]!.submission);
    expect(run.events.at(-1)!.payload).toMatchObject({ contentVersion: 3 });
    expect(run.state.decisions.map((d) => d.decision)).toEqual(['request_revision', 'request_revision']);
  });
});

describe('implementation and monitoring', () => {
  it('plan_activity adds a planned activity with the workflow-generated ID', () => {
    const { state, events } = build(...TO_IMPLEMENTATION, plan('act-7', 'Training in Dakar'));
    const expected = {
      activityId: 'act-7',
      type: 'training',
      title: 'Training in Dakar',
      startDate: '2025-05-05',
      endDate: '2025-05-16',
      location: 'Dakar',
      budgetEur: 20_000,
      status: 'planned',
      planned: stampOf(secretariat, at(4)),
      updated: null,
    };
    expect(state.activities).toEqual([expected]);
    expect(state.activities[0]).not.toHaveProperty('action');
    expect(events[4]).toMatchObject({ type: 'activity_planned', payload: { activity: expected } });
  });

  it('plan_activity without an ID is a programming error', () => {
    const { state } = build(...TO_IMPLEMENTATION);
    expect(() =>
      applyStep(
        state,
        secretariat,
        {
          action: 'plan_activity',
          type: 'study',
          title: 'Study',
          startDate: '2025-05-05',
          endDate: '2025-05-16',
          location: 'Rabat',
          budgetEur: 1,
        },
        { now: at(9) },
      ),
    ).toThrow('Planning an activity needs its ID');
  });

  it('update_activity changes only the named activity', () => {
    const { state, events, states } = build(...TO_IMPLEMENTATION, plan('act-1', 'A'), plan('act-2', 'B'), mark('act-2', 'cancelled'));
    expect(state.activities[0]).toBe(states[5]!.activities[0]);
    expect(state.activities[1]).toMatchObject({ activityId: 'act-2', status: 'cancelled', updated: stampOf(secretariat, at(6)) });
    expect(events[6]).toMatchObject({
      type: 'activity_status_changed',
      payload: { activityId: 'act-2', status: 'cancelled' },
    });
  });

  it('complete_implementation moves to monitoring with the note', () => {
    const { state, events } = build(...TO_IMPLEMENTATION, plan('act-1', 'A'), mark('act-1', 'done'), complete('All delivered.'));
    expect(state.phase).toBe('monitoring');
    expect(state.implementationCompleted).toEqual({ ...stampOf(secretariat, at(6)), note: 'All delivered.' });
    expect(events[6]).toMatchObject({ type: 'implementation_completed', payload: { note: 'All delivered.' } });
  });

  it('submit_report appends the report', () => {
    const { state, events } = build(...TO_IMPLEMENTATION, report('progress', partner));
    expect(state.phase).toBe('implementation');
    expect(state.reports).toEqual([
      { ...stampOf(partner, at(4)), kind: 'progress', summary: 'progress report', indicators: { trained: 40, women: 15 } },
    ]);
    expect(events[4]!.payload).toEqual({ kind: 'progress', summary: 'progress report', indicators: { trained: 40, women: 15 } });
  });
});

describe('early endings', () => {
  it.each([['screening'], ['awaiting_information'], ['review'], ['approval'], ['revision_requested']] as Array<[Phase]>)(
    'withdraw from %s sets the ending with the reason',
    (phase) => {
      const run = build(...PATHS[phase]);
      const { state, event } = then(run, act(partner, { action: 'withdraw', reason: 'Funded by another donor.' }));
      expect(state.phase).toBe('withdrawn');
      expect(state.ending).toEqual({ ...stampOf(partner, '2025-02-01T12:00:00.000Z'), reason: 'Funded by another donor.' });
      expect(event).toMatchObject({
        type: 'withdrawn',
        phaseBefore: phase,
        phaseAfter: 'withdrawn',
        payload: { reason: 'Funded by another donor.' },
        seq: run.state.version + 1,
      });
      expect(state.version).toBe(run.state.version + 1);
    },
  );

  it.each([['implementation'], ['monitoring']] as Array<[Phase]>)('cancel from %s sets the ending with the reason', (phase) => {
    const run = build(...(phase === 'implementation' ? TO_IMPLEMENTATION : TO_MONITORING));
    const { state, event } = then(run, act(chair, { action: 'cancel', reason: 'Security situation.' }));
    expect(state.phase).toBe('cancelled');
    expect(state.ending).toEqual({ ...stampOf(chair, '2025-02-01T12:00:00.000Z'), reason: 'Security situation.' });
    expect(event).toMatchObject({ type: 'cancelled', phaseBefore: phase, phaseAfter: 'cancelled', payload: { reason: 'Security situation.' } });
  });
});

describe('purity', () => {
  it('never mutates the input state (every state in these folds is deep-frozen)', () => {
    // Reaching here means no transition above threw on a frozen input; check one fold explicitly too.
    const run = build(...TO_MONITORING, report('final'));
    expect(run.states.every((s) => Object.isFrozen(s) && Object.isFrozen(s.activities))).toBe(true);
  });

  it.each([
    ['screen accept', [], accept()],
    ['request information', [], requestInfo()],
    ['provide information', [requestInfo()], provideInfo()],
    ['vote', [accept()], vote(scEs, 'objection', 'No.')],
    ['close review', [accept(), vote(scEs, 'abstain')], endReview('all_voted')],
    ['approve', TO_APPROVAL, decide('approve')],
    ['revise', [...TO_APPROVAL, decide('request_revision')], act(partner, { action: 'revise', changes: { title: 'New' } })],
    ['plan', TO_IMPLEMENTATION, plan('act-9', 'X')],
    ['update activity', [...TO_IMPLEMENTATION, plan('act-9', 'X')], mark('act-9', 'done')],
    ['report', TO_IMPLEMENTATION, report('progress')],
    ['withdraw', [], act(partner, { action: 'withdraw', reason: 'r' })],
  ] as Array<[string, Move[], Move]>)('%s leaves its input deep-equal to a clone taken before', (_label, path, move) => {
    // Build unfrozen so that a mutation would go through silently and be caught by the comparison.
    let state = submit('req-1', SUBMISSION, partner, T0).state;
    path.forEach((m, i) => (state = m(state, at(i + 1)).state));
    const before = structuredClone(state);
    const after = move(state, at(50)).state;
    expect(state).toEqual(before);
    expect(after).not.toBe(state);
    expect(after.version).toBe(before.version + 1);
  });
});
