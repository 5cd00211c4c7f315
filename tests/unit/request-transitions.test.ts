import { describe, expect, it } from 'vitest';
import type { Actor, Phase, Reviewer, SubmissionChanges } from '../../workflows/request-model';
import { checkStep } from './refusals-in-english';
import type { Step } from '../../workflows/request-steps';
import { applyStep, submit, type Transition } from '../../workflows/request-transitions';
import {
  POLICY,
  returnReport,
  acceptReport,
  DEADLINE,
  PATHS,
  REVIEWERS,
  SUBMISSION,
  TO_APPROVAL,
  TO_IMPLEMENTATION,
  TO_MONITORING,
  accept,
  act,
  askRevision,
  at,
  build,
  buildUnder,
  cancelActivity,
  chair,
  complete,
  conclude,
  confirm,
  decide,
  deliver,
  endReview,
  hold,
  increaseBudget,
  mark,
  meetCondition,
  partner,
  plan,
  postpone,
  report,
  requestInfo,
  scEs,
  scFr,
  scMa,
  scSn,
  secretariat,
  timed,
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
    confirm('act-1'),
    hold('act-1'),
    complete('Delivered.'),
    report('final'),
    acceptReport(0),
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
      ['activity_status_changed', 'implementation', 'implementation'],
      ['implementation_completed', 'implementation', 'monitoring'],
      ['report_submitted', 'monitoring', 'monitoring'],
      ['report_accepted', 'monitoring', 'monitoring'],
      ['closed', 'monitoring', 'completed'],
    ]);
  });

  it('increments the version by one per event, and each event carries the version it produced', () => {
    expect(run.states.map((s) => s.version)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
    expect(run.events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
  });

  it('chains phases: each event starts where the previous state ended', () => {
    run.events.slice(1).forEach((event, i) => {
      expect(event.phaseBefore).toBe(run.states[i]!.phase);
      expect(event.phaseAfter).toBe(run.states[i + 1]!.phase);
    });
  });

  it('stamps each state and event with the step’s time and actor', () => {
    expect(run.states.map((s) => s.updatedAt)).toEqual([T0, ...Array.from({ length: 14 }, (_, i) => at(i + 1))]);
    expect(run.events.map((e) => e.at)).toEqual([T0, ...Array.from({ length: 14 }, (_, i) => at(i + 1))]);
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
      'u-sec',
      'u-sec',
    ]);
  });

  it('ends completed with the closure and no ending', () => {
    expect(run.state.phase).toBe('completed');
    expect(run.state.closure).toEqual({ ...stampOf(secretariat, at(14)), lessonsLearned: 'Start the visa process early.' });
    expect(run.state.ending).toBeNull();
    expect(run.events.at(-1)!.payload).toEqual({ lessonsLearned: 'Start the visa process early.' });
  });

  it('keeps the history in the state (exchanges, review with votes, decision, activity, report)', () => {
    expect(run.state.informationExchanges).toHaveLength(1);
    expect(run.state.review?.votes.map((v) => v.vote)).toEqual(['no_objection', 'objection']);
    expect(run.state.decisions.map((d) => d.decision)).toEqual(['approve']);
    expect(run.state.activities.map((a) => a.status)).toEqual(['held']);
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
      { ...stampOf(chair, at(3)), decision: 'approve', rationale: 'Relevant.', conditions: [], approvedBudgetEur: 48_000 },
    ]);
    expect(state.conditions).toEqual([]);
    expect(events[3]).toEqual({
      seq: 4,
      type: 'approved',
      actor: { userId: 'u-chair', name: 'Chair Office 2025', role: 'chair' },
      at: at(3),
      phaseBefore: 'approval',
      phaseAfter: 'implementation',
      payload: { decision: 'approve', rationale: 'Relevant.', conditions: [], approvedBudgetEur: 48_000 },
    });
  });

  it('approve keeps an explicit budget and conditions, each condition an item to meet', () => {
    const { state, events } = build(
      ...TO_APPROVAL,
      decide('approve', 'Relevant.', ['Co-fund 10%.', 'Gender-balanced participant list.'], 40_000),
    );
    expect(state.decisions).toEqual([
      {
        ...stampOf(chair, at(3)),
        decision: 'approve',
        rationale: 'Relevant.',
        conditions: ['Co-fund 10%.', 'Gender-balanced participant list.'],
        approvedBudgetEur: 40_000,
      },
    ]);
    expect(state.conditions).toEqual([
      { text: 'Co-fund 10%.', met: null },
      { text: 'Gender-balanced participant list.', met: null },
    ]);
    expect(events[3]!.payload).toEqual({
      decision: 'approve',
      rationale: 'Relevant.',
      conditions: ['Co-fund 10%.', 'Gender-balanced participant list.'],
      approvedBudgetEur: 40_000,
    });
    expect(state.ending).toBeNull();
  });

  it('a single text condition (as steps before 2026-11 carried them) becomes one item', () => {
    const { state, events } = build(...TO_APPROVAL, decide('approve', 'Relevant.', 'Co-fund 10%.', 40_000));
    expect(state.decisions[0]).toMatchObject({ conditions: ['Co-fund 10%.'], approvedBudgetEur: 40_000 });
    expect(state.conditions).toEqual([{ text: 'Co-fund 10%.', met: null }]);
    expect(events[3]!.payload).toMatchObject({ conditions: ['Co-fund 10%.'] });
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
      { ...stampOf(chair, at(3)), decision: 'reject', rationale: 'Duplicates an ongoing project.', conditions: [], approvedBudgetEur: null },
    ]);
    expect(state).not.toHaveProperty('conditions');
    expect(events[3]).toMatchObject({ type: 'rejected', phaseBefore: 'approval', phaseAfter: 'rejected' });
  });

  it('request_revision hands the request back to the partner with the points to address', () => {
    const { state, events } = build(
      ...TO_APPROVAL,
      askRevision(['Add a participant list.', 'Break the budget down per activity.'], 'Promising, but incomplete.'),
    );
    expect(state.phase).toBe('revision_requested');
    expect(state.ending).toBeNull();
    expect(state.decisions).toEqual([
      {
        ...stampOf(chair, at(3)),
        decision: 'request_revision',
        rationale: 'Promising, but incomplete.',
        conditions: [],
        approvedBudgetEur: null,
        points: ['Add a participant list.', 'Break the budget down per activity.'],
      },
    ]);
    expect(events[3]).toMatchObject({
      type: 'revision_requested',
      phaseBefore: 'approval',
      phaseAfter: 'revision_requested',
      payload: {
        decision: 'request_revision',
        rationale: 'Promising, but incomplete.',
        conditions: [],
        approvedBudgetEur: null,
        points: ['Add a participant list.', 'Break the budget down per activity.'],
      },
    });
  });

  it('a request for revision replayed from before the procedures carries no points', () => {
    const { state, events } = build(...TO_APPROVAL, decide('request_revision', 'Add a list.', null, null, { proceduresNotApplied: true }));
    expect(state.decisions[0]).not.toHaveProperty('points');
    expect(events[3]!.payload).toEqual({ decision: 'request_revision', rationale: 'Add a list.', conditions: [], approvedBudgetEur: null });
  });
});

describe('revise', () => {
  const POINT = 'Add a participant list.';
  const revise = (changes: SubmissionChanges, answer = 'List attached.'): Move =>
    act(partner, { action: 'revise', changes, answers: [answer] });
  const TO_REVISION = [...TO_APPROVAL, askRevision([POINT])];

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
        answers: [{ point: POINT, answer: 'List attached.' }],
      },
    });
  });

  it('appends a content version and leaves the earlier ones unchanged', () => {
    const run = build(
      ...TO_REVISION,
      revise({ title: 'Revised title' }, 'List attached.'),
      accept(),
      endReview('deadline_passed'),
      askRevision(['Lower the budget.'], 'Once more.'),
      revise({ estimatedBudgetEur: 30_000 }, 'Lowered to 30 000.'),
    );
    expect(run.state.submissionVersions).toEqual([
      { submission: SUBMISSION, ...stampOf(partner, T0) },
      {
        submission: { ...SUBMISSION, title: 'Revised title' },
        answers: [{ point: POINT, answer: 'List attached.' }],
        ...stampOf(partner, at(4)),
      },
      {
        submission: { ...SUBMISSION, title: 'Revised title', estimatedBudgetEur: 30_000 },
        answers: [{ point: 'Lower the budget.', answer: 'Lowered to 30 000.' }],
        ...stampOf(partner, at(8)),
      },
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
    const { state, events, states } = build(...TO_IMPLEMENTATION, plan('act-1', 'A'), plan('act-2', 'B'), cancelActivity('act-2', 'Venue lost.'));
    expect(state.activities[0]).toBe(states[5]!.activities[0]);
    expect(state.activities[1]).toMatchObject({
      activityId: 'act-2',
      status: 'cancelled',
      reason: 'Venue lost.',
      updated: stampOf(secretariat, at(6)),
    });
    expect(events[6]).toMatchObject({
      type: 'activity_status_changed',
      payload: { activityId: 'act-2', status: 'cancelled', reason: 'Venue lost.' },
    });
    expect(events[6]!.payload).toEqual({ activityId: 'act-2', status: 'cancelled', reason: 'Venue lost.' });
  });

  it('a legacy update (before the lifecycle) changes only the status, and done is recorded as held', () => {
    const { state, events, states } = build(...TO_IMPLEMENTATION, plan('act-1', 'A'), plan('act-2', 'B'), mark('act-2', 'done'));
    expect(state.activities[0]).toBe(states[5]!.activities[0]);
    expect(state.activities[1]).toEqual({ ...states[5]!.activities[1], status: 'held', updated: stampOf(secretariat, at(6)) });
    // The event keeps the step as it was taken.
    expect(events[6]).toMatchObject({ type: 'activity_status_changed', payload: { activityId: 'act-2', status: 'done' } });
    expect(events[6]!.payload).toEqual({ activityId: 'act-2', status: 'done' });
  });

  it('complete_implementation moves to monitoring with the note', () => {
    const { state, events } = build(...TO_IMPLEMENTATION, plan('act-1', 'A'), ...deliver('act-1'), complete('All delivered.'));
    expect(state.phase).toBe('monitoring');
    expect(state.implementationCompleted).toEqual({ ...stampOf(secretariat, at(7)), note: 'All delivered.' });
    expect(events[7]).toMatchObject({ type: 'implementation_completed', payload: { note: 'All delivered.' } });
  });

  it('submit_report appends the report', () => {
    const { state, events } = build(...TO_IMPLEMENTATION, report('progress', partner));
    expect(state.phase).toBe('implementation');
    expect(state.reports).toEqual([
      { ...stampOf(partner, at(4)), kind: 'progress', summary: 'progress report', indicators: { trained: 40, women: 15 }, status: 'submitted', reviewed: null },
    ]);
    expect(events[4]!.payload).toEqual({ kind: 'progress', summary: 'progress report', indicators: { trained: 40, women: 15 } });
  });

  it('the Secretariat accepts or returns a report, with comments, on record', () => {
    const { state, events } = build(...TO_IMPLEMENTATION, report('progress', partner), report('progress', partner), acceptReport(0), returnReport(1, 'Add the indicators.'));
    expect(state.reports.map((r) => [r.status, r.reviewed?.comments ?? null])).toEqual([
      ['accepted', null],
      ['returned', 'Add the indicators.'],
    ]);
    expect(state.reports[1]!.reviewed).toEqual({ ...stampOf(secretariat, at(7)), comments: 'Add the indicators.' });
    expect(events.slice(-2).map((e) => [e.type, e.payload])).toEqual([
      ['report_accepted', { reportIndex: 0, kind: 'progress', comments: null }],
      ['report_returned', { reportIndex: 1, kind: 'progress', comments: 'Add the indicators.' }],
    ]);
  });

  it('closing with good practices tags them with the action area', () => {
    const { state, events } = build(...TO_MONITORING, report('final'), acceptReport(0), act(secretariat, { action: 'close', lessonsLearned: 'L.', goodPractices: ['Joint training.'] }));
    expect(state.closure).toMatchObject({ lessonsLearned: 'L.', goodPractices: ['Joint training.'], actionArea: SUBMISSION.domain });
    expect(events.at(-1)!.payload).toEqual({ lessonsLearned: 'L.', goodPractices: ['Joint training.'], actionArea: SUBMISSION.domain });
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

const SYSTEM = { userId: 'system', name: 'system', role: 'system' };

describe('submit under a policy', () => {
  it('keeps the policy and starts the screening clock: ten working days, reminder three days before', () => {
    // T0 is Monday 2025-01-06 09:00; ten working days later is Monday 2025-01-20.
    const { state, event } = submit('req-42', SUBMISSION, partner, T0, POLICY);
    expect(state.policy).toEqual(POLICY);
    expect(state.screeningClock).toEqual({
      deadline: '2025-01-20T09:00:00.000Z',
      remindAt: '2025-01-17T09:00:00.000Z',
      reminded: false,
      expired: false,
      pausedAt: null,
      extensions: [],
    });
    expect(event.payload).toEqual({ submission: SUBMISSION });
  });

  it('a policy without a screening period gives no screening clock; no policy gives neither field', () => {
    expect(submit('req-42', SUBMISSION, partner, T0, { reviewPeriod: 'P14D' }).state).toMatchObject({
      policy: { reviewPeriod: 'P14D' },
      screeningClock: null,
    });
    const legacy = submit('req-42', SUBMISSION, partner, T0).state;
    expect(legacy).not.toHaveProperty('policy');
    expect(legacy).not.toHaveProperty('screeningClock');
  });

  it('accepting for review stops the screening clock', () => {
    const { state } = buildUnder(POLICY, accept());
    expect(state.screeningClock).toBeNull();
  });
});

describe('review under a procedure', () => {
  it('accept records the procedure, the quorum and the reminder', () => {
    const { state, events } = build(accept(PANEL, { procedure: 'majority', quorum: 2, remindAt: '2025-01-18T09:00:00.000Z' }));
    expect(state.review).toEqual({
      openedAt: at(1),
      deadline: DEADLINE,
      reviewers: PANEL,
      votes: [],
      closedAt: null,
      closedBecause: null,
      procedure: 'majority',
      quorum: 2,
      remindAt: '2025-01-18T09:00:00.000Z',
      reminded: false,
      extensions: [],
      outcome: null,
    });
    expect(events[1]!.payload).toEqual({
      outcome: 'accept',
      note: 'Eligible.',
      reviewers: PANEL,
      deadline: DEADLINE,
      procedure: 'majority',
      quorum: 2,
    });
  });

  it('a member who changes their vote leaves both votes on record; the tally counts the last', () => {
    const run = build(
      accept(PANEL),
      vote(scEs, 'objection', 'Too costly.'),
      vote(scFr, 'no_objection'),
      vote(scEs, 'no_objection', 'Budget clarified.'),
      endReview('deadline_passed'),
    );
    expect(run.state.review?.votes).toEqual([
      { ...stampOf(scEs, at(2)), vote: 'objection', comment: 'Too costly.' },
      { ...stampOf(scFr, at(3)), vote: 'no_objection', comment: null },
      { ...stampOf(scEs, at(4)), vote: 'no_objection', comment: 'Budget clarified.' },
    ]);
    expect(run.events[4]).toMatchObject({ type: 'vote_recorded', payload: { vote: 'no_objection', comment: 'Budget clarified.' } });
    expect(run.events[5]!.payload).toEqual({ because: 'deadline_passed', tally: { no_objection: 2, objection: 0, abstain: 0 } });
  });

  it('closing under majority attaches the procedure, the outcome, the tally by last vote and the objections that stand', () => {
    const run = build(
      accept(PANEL, { procedure: 'majority', quorum: 2 }),
      vote(scEs, 'objection', 'Too costly.'),
      vote(scFr, 'no_objection'),
      vote(scIt, 'abstain'),
      vote(scMa, 'objection', 'Not a priority for area 4.'),
      vote(scEs, 'no_objection', 'Budget clarified.'),
      vote(scFr, 'objection', 'Overlaps with an EU project.'),
      conclude('all_voted'),
    );
    expect(run.events).toHaveLength(9);
    expect(run.events[8]).toEqual({
      seq: 9,
      type: 'review_closed',
      actor: SYSTEM,
      at: at(8),
      phaseBefore: 'review',
      phaseAfter: 'approval',
      payload: {
        because: 'all_voted',
        tally: { no_objection: 1, objection: 2, abstain: 1 },
        procedure: 'majority',
        outcome: { result: 'to_chair', reason: 'No majority for approval: 1 of 4 votes cast had no objection.' },
        objections: [
          { member: 'Jean Dupont', comment: 'Overlaps with an EU project.' },
          { member: 'Youssef Alaoui', comment: 'Not a priority for area 4.' },
        ],
      },
    });
    expect(run.state.phase).toBe('approval');
    expect(run.state.review).toMatchObject({
      closedAt: at(8),
      closedBecause: 'all_voted',
      outcome: { result: 'to_chair', reason: 'No majority for approval: 1 of 4 votes cast had no objection.' },
    });
    expect(run.state.decisions).toEqual([]);
  });

  it('an objection under no objection ends the silence and goes to the Chair', () => {
    const run = build(accept(PANEL, { procedure: 'no_objection', quorum: null }), vote(scFr, 'objection', 'Overlaps with an EU project.'), conclude('objection_raised'));
    expect(run.events).toHaveLength(4);
    expect(run.events[3]).toMatchObject({
      type: 'review_closed',
      actor: SYSTEM,
      phaseAfter: 'approval',
      payload: {
        because: 'objection_raised',
        tally: { no_objection: 0, objection: 1, abstain: 0 },
        procedure: 'no_objection',
        outcome: { result: 'to_chair', reason: '1 objection(s) ended the silence procedure.' },
        objections: [{ member: 'Jean Dupont', comment: 'Overlaps with an EU project.' }],
      },
    });
    expect(run.state.phase).toBe('approval');
  });

  it('a majority that approves records two events: the review closes, then the system approves the estimated budget', () => {
    const run = build(
      accept(PANEL, { procedure: 'majority', quorum: 2 }),
      vote(scEs, 'no_objection'),
      vote(scFr, 'no_objection'),
      vote(scIt, 'objection', 'Costly.'),
      conclude('deadline_passed'),
    );
    const reason = 'Approved by majority: 2 of 3 votes cast had no objection.';
    expect(run.events.slice(5)).toEqual([
      {
        seq: 6,
        type: 'review_closed',
        actor: SYSTEM,
        at: at(5),
        phaseBefore: 'review',
        phaseAfter: 'approval',
        payload: {
          because: 'deadline_passed',
          tally: { no_objection: 2, objection: 1, abstain: 0 },
          procedure: 'majority',
          outcome: { result: 'approved_by_procedure', reason },
          objections: [{ member: 'Luca Bianchi', comment: 'Costly.' }],
        },
      },
      {
        seq: 7,
        type: 'approved',
        actor: SYSTEM,
        at: at(5),
        phaseBefore: 'approval',
        phaseAfter: 'implementation',
        payload: {
          decision: 'approve',
          rationale: reason,
          conditions: [],
          approvedBudgetEur: 48_000,
          byProcedure: true,
          procedure: 'majority',
          informed: ['chair'],
        },
      },
    ]);
    expect(run.state.phase).toBe('implementation');
    expect(run.state.version).toBe(7);
    expect(run.state.decisions).toEqual([
      { by: SYSTEM, at: at(5), decision: 'approve', rationale: reason, conditions: [], approvedBudgetEur: 48_000, byProcedure: true },
    ]);
    expect(run.state.conditions).toEqual([]);
    expect(run.state.review).toMatchObject({ closedBecause: 'deadline_passed', outcome: { result: 'approved_by_procedure', reason } });
    // The intermediate state (review closed, not yet approved) is in the fold too.
    expect(run.states[5]).toMatchObject({ phase: 'approval', version: 6, decisions: [] });
  });

  it('chair_decides goes to the Chair even when every member had no objection', () => {
    const run = build(accept(REVIEWERS, { procedure: 'chair_decides', quorum: null }), vote(scEs), vote(scFr), conclude('all_voted'));
    expect(run.events).toHaveLength(5);
    expect(run.events[4]!.payload).toEqual({
      because: 'all_voted',
      tally: { no_objection: 2, objection: 0, abstain: 0 },
      procedure: 'chair_decides',
      outcome: { result: 'to_chair', reason: 'The Chair decides after the review.' },
      objections: [],
    });
  });

  it('a review opened before procedures existed closes to the Chair with the old payload, silence or not', () => {
    const run = build(accept(), conclude('deadline_passed'));
    expect(run.events).toHaveLength(3);
    expect(run.events[2]!.payload).toEqual({ because: 'deadline_passed', tally: { no_objection: 0, objection: 0, abstain: 0 } });
    expect(run.state.phase).toBe('approval');
    expect(run.state.review).not.toHaveProperty('outcome');
  });
});

describe('revision points and answers', () => {
  const POINTS = ['Add a gender-balanced participant list.', 'Break the budget down per activity.'];
  const ANSWERS = ['List attached: 20 women, 20 men.', 'Budget per activity attached.'];

  it('records one answer per point in the new content version and the event', () => {
    const run = build(...TO_APPROVAL, askRevision(POINTS), act(partner, { action: 'revise', changes: { estimatedBudgetEur: 45_000 }, answers: ANSWERS }));
    const answers = [
      { point: 'Add a gender-balanced participant list.', answer: 'List attached: 20 women, 20 men.' },
      { point: 'Break the budget down per activity.', answer: 'Budget per activity attached.' },
    ];
    expect(run.state.submissionVersions[1]).toEqual({
      submission: { ...SUBMISSION, estimatedBudgetEur: 45_000 },
      answers,
      ...stampOf(partner, at(4)),
    });
    expect(run.events[4]!.payload).toEqual({ changes: { estimatedBudgetEur: 45_000 }, contentVersion: 2, answers });
  });

  it('a revision under a policy starts a new screening round with its own clock', () => {
    // Revised on Monday 2025-02-03 09:00: screening is due ten working days later, on Monday 2025-02-17.
    const run = buildUnder(
      POLICY,
      accept(),
      endReview(),
      askRevision(POINTS),
      timed('2025-02-03T09:00:00.000Z', act(partner, { action: 'revise', changes: { title: 'Revised' }, answers: ANSWERS })),
    );
    expect(run.states[1]!.screeningClock).toBeNull();
    expect(run.state.phase).toBe('screening');
    expect(run.state.screeningClock).toEqual({
      deadline: '2025-02-17T09:00:00.000Z',
      remindAt: '2025-02-14T09:00:00.000Z',
      reminded: false,
      expired: false,
      pausedAt: null,
      extensions: [],
    });
  });

  it('a revision without a policy starts no clock', () => {
    const run = build(...TO_APPROVAL, askRevision(POINTS), act(partner, { action: 'revise', changes: { title: 'Revised' }, answers: ANSWERS }));
    expect(run.state).not.toHaveProperty('screeningClock');
  });

  it('a revision replayed from before the procedures records no answers', () => {
    const run = build(
      ...TO_APPROVAL,
      decide('request_revision', 'Add a list.', null, null, { proceduresNotApplied: true }),
      act(partner, { action: 'revise', changes: { title: 'Revised' } }, {}, { proceduresNotApplied: true }),
    );
    expect(run.state.submissionVersions[1]).not.toHaveProperty('answers');
    expect(run.events[4]!.payload).toEqual({ changes: { title: 'Revised' }, contentVersion: 2 });
  });
});

describe('conditions to meet', () => {
  const CONDITIONS = ['Co-funding letter from the ministry.', 'Gender-balanced participant list.'];
  const TO_CONDITIONAL = [...TO_APPROVAL, decide('approve', 'Relevant.', CONDITIONS)];
  const done: Step = { action: 'update_activity', activityId: 'act-1', status: 'done' };

  it('meet_condition marks the one condition met, with who, when and the note', () => {
    const run = build(...TO_CONDITIONAL, meetCondition(1, 'List received on 10 February.'));
    expect(run.state.conditions).toEqual([
      { text: 'Co-funding letter from the ministry.', met: null },
      { text: 'Gender-balanced participant list.', met: { ...stampOf(secretariat, at(4)), note: 'List received on 10 February.' } },
    ]);
    expect(run.events[4]).toEqual({
      seq: 5,
      type: 'condition_met',
      actor: { userId: 'u-sec', name: 'Sofia Rossi', role: 'secretariat' },
      at: at(4),
      phaseBefore: 'implementation',
      phaseAfter: 'implementation',
      payload: { conditionIndex: 1, condition: 'Gender-balanced participant list.', note: 'List received on 10 February.' },
    });
  });

  it('an activity is done only once every condition is met', () => {
    const planned = build(...TO_CONDITIONAL, plan('act-1', 'Training'), meetCondition(0));
    expect(checkStep(planned.state, secretariat, done)?.kind).toBe('conflict');
    expect(() => build(...TO_CONDITIONAL, plan('act-1', 'Training'), meetCondition(0), mark('act-1', 'done'))).toThrow(
      /^fixture: secretariat may not update_activity: Implementation starts only once/,
    );
    const met = build(...TO_CONDITIONAL, plan('act-1', 'Training'), meetCondition(0), meetCondition(1), mark('act-1', 'done'));
    expect(met.state.activities.map((a) => a.status)).toEqual(['held']);
    // Under the lifecycle the same gate stands on confirming.
    expect(() => build(...TO_CONDITIONAL, plan('act-1', 'Training'), meetCondition(0), confirm('act-1'))).toThrow(
      /^fixture: secretariat may not update_activity: Implementation starts only once/,
    );
    const confirmed = build(...TO_CONDITIONAL, plan('act-1', 'Training'), meetCondition(0), meetCondition(1), confirm('act-1'));
    expect(confirmed.state.activities.map((a) => a.status)).toEqual(['confirmed']);
  });

  it('a history from before the procedures replays: the activity is done with conditions open', () => {
    const run = build(...TO_CONDITIONAL, plan('act-1', 'Training'), mark('act-1', 'done', { proceduresNotApplied: true }), complete());
    expect(run.state.phase).toBe('monitoring');
    expect(run.state.conditions?.map((c) => c.met)).toEqual([null, null]);
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
    ['revise', [...TO_APPROVAL, askRevision(['Retitle.'])], act(partner, { action: 'revise', changes: { title: 'New' }, answers: ['Done.'] })],
    ['plan', TO_IMPLEMENTATION, plan('act-9', 'X')],
    ['update activity (legacy done)', [...TO_IMPLEMENTATION, plan('act-9', 'X')], mark('act-9', 'done')],
    ['confirm activity', [...TO_IMPLEMENTATION, plan('act-9', 'X')], confirm('act-9')],
    ['hold activity', [...TO_IMPLEMENTATION, plan('act-9', 'X'), confirm('act-9')], hold('act-9')],
    ['postpone activity', [...TO_IMPLEMENTATION, plan('act-9', 'X')], postpone('act-9')],
    ['cancel activity', [...TO_IMPLEMENTATION, plan('act-9', 'X')], cancelActivity('act-9')],
    ['increase budget', [...TO_APPROVAL, decide('approve', 'R.', null, 40_000)], increaseBudget(50_000)],
    ['report', TO_IMPLEMENTATION, report('progress')],
    ['withdraw', [], act(partner, { action: 'withdraw', reason: 'r' })],
    ['meet condition', [...TO_APPROVAL, decide('approve', 'R.', ['A.', 'B.'])], meetCondition(0)],
    ['close review', [accept(PANEL, { procedure: 'majority', quorum: 2 }), vote(scEs)], act(chair, { action: 'close_review', reason: 'Urgent.' })],
    ['extend review', [accept(PANEL, { procedure: 'majority', quorum: 2 })], act(chair, { action: 'extend_review', until: '2025-01-27T09:00:00.000Z', reason: 'Time.' })],
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
