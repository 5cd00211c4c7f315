import { describe, expect, it } from 'vitest';
import { nextDeadline } from '../../workflows/deadlines';
import type { Actor, ReviewProcedure, Reviewer } from '../../workflows/request-model';
import { allowedActions } from '../../workflows/request-rules';
import { waitingFor } from '../../read-model/waiting-for';
import {
  POLICY,
  accept,
  act,
  build,
  buildUnder,
  chair,
  DEADLINE,
  fire,
  partner,
  requestInfo,
  scEs,
  scFr,
  scSn,
  secretariat,
  timed,
  vote,
  type Fold,
} from './request-fixtures';

// ---------------------------------------------------------------------------------------------------------------
// A request submitted on Monday 2025-01-06 at 09:00 under POLICY. Every move below happens at a moment written
// out by hand; the expected deadlines are counted by hand too (working days skip Saturdays and Sundays, reminder
// leads and pauses are elapsed time).
// ---------------------------------------------------------------------------------------------------------------


/** Screening: ten working days from Monday 2025-01-06 09:00, reminder three days before. */
const SCREENING_DEADLINE = '2025-01-20T09:00:00.000Z';
const SCREENING_REMINDER = '2025-01-17T09:00:00.000Z';

const SYSTEM = { userId: 'system', name: 'system', role: 'system' };
const ref = (actor: Actor) => ({ userId: actor.userId, name: actor.name, role: actor.role });

const scIt: Actor = { userId: 'u-sc-it', name: 'Luca Bianchi', role: 'sc_member', country: 'IT' };
/** Three eligible members and the conflicted one. */
const PANEL: Reviewer[] = [
  { userId: scEs.userId, name: scEs.name, country: 'ES', conflicted: false },
  { userId: scFr.userId, name: scFr.name, country: 'FR', conflicted: false },
  { userId: scIt.userId, name: scIt.name, country: 'IT', conflicted: false },
  { userId: scSn.userId, name: scSn.name, country: 'SN', conflicted: true },
];

const run = (...moves: Fold[]) => buildUnder(POLICY, ...moves);
const fireAt = (when: string, kind: Parameters<typeof fire>[0]) => timed(when, fire(kind));
const askAt = (when: string) => timed(when, requestInfo('Which border posts?'));
const answerAt = (when: string) => timed(when, act(partner, { action: 'provide_information', response: 'Dakar airport and Rosso.' }));
const extendInformationAt = (when: string, until: string) =>
  timed(when, act(secretariat, { action: 'extend_information_deadline', until, reason: 'Elections in Senegal.' }));

/**
 * Review opened on Monday 2025-01-13 09:00 as the workflow opens it under POLICY: fourteen days (elapsed), the
 * reminder two days before.
 */
const REVIEW_DEADLINE = '2025-01-27T09:00:00.000Z';
const REVIEW_REMINDER = '2025-01-25T09:00:00.000Z';
const openReview = (procedure: ReviewProcedure, quorum: number | null = null) =>
  timed('2025-01-13T09:00:00.000Z', accept(PANEL, { deadline: REVIEW_DEADLINE, procedure, quorum, remindAt: REVIEW_REMINDER }));
const voteAt = (when: string, ...args: Parameters<typeof vote>) => timed(when, vote(...args));

describe('screening deadline', () => {
  it('the reminder is due before the deadline', () => {
    const { state } = run();
    expect(state.screeningClock).toMatchObject({ deadline: SCREENING_DEADLINE, remindAt: SCREENING_REMINDER });
    expect(nextDeadline(state)).toEqual({ kind: 'screening_reminder', at: SCREENING_REMINDER });
  });

  it('the reminder goes to the Secretariat once; then the deadline is next', () => {
    const { state, events } = run(fireAt(SCREENING_REMINDER, 'screening_reminder'));
    expect(events).toHaveLength(2);
    expect(events[1]).toEqual({
      seq: 2,
      type: 'screening_reminder',
      actor: SYSTEM,
      at: SCREENING_REMINDER,
      phaseBefore: 'screening',
      phaseAfter: 'screening',
      payload: { deadline: SCREENING_DEADLINE, to: ['secretariat'] },
    });
    expect(state.screeningClock).toMatchObject({ reminded: true, expired: false, deadline: SCREENING_DEADLINE });
    expect(nextDeadline(state)).toEqual({ kind: 'screening_deadline', at: SCREENING_DEADLINE });
  });

  it('the deadline escalates to the Chair, leaves the request with the Secretariat, and is not due again', () => {
    const { state, events } = run(fireAt(SCREENING_REMINDER, 'screening_reminder'), fireAt(SCREENING_DEADLINE, 'screening_deadline'));
    expect(events[2]).toEqual({
      seq: 3,
      type: 'screening_escalated',
      actor: SYSTEM,
      at: SCREENING_DEADLINE,
      phaseBefore: 'screening',
      phaseAfter: 'screening',
      payload: { deadline: SCREENING_DEADLINE, to: ['chair', 'secretariat'] },
    });
    expect(state.phase).toBe('screening');
    expect(state.screeningClock).toMatchObject({ expired: true, reminded: true, deadline: SCREENING_DEADLINE });
    expect(nextDeadline(state)).toBeNull();
    expect(allowedActions(state, secretariat)).toEqual(['screen', 'attach_document']);
    expect(waitingFor(state)).toEqual({ roles: ['secretariat'], what: 'The Secretariat screens the request.', deadline: SCREENING_DEADLINE });
  });

  it('once expired, a reminder that never fired is not due any more', () => {
    const { state } = run(fireAt(SCREENING_DEADLINE, 'screening_deadline'));
    expect(state.screeningClock).toMatchObject({ expired: true, reminded: false });
    expect(nextDeadline(state)).toBeNull();
  });

  it('without a reminder lead, the deadline itself is next', () => {
    const { state } = buildUnder({ reviewPeriod: 'P14D', screeningPeriod: 'P10D' });
    expect(nextDeadline(state)).toEqual({ kind: 'screening_deadline', at: SCREENING_DEADLINE });
  });

  it('a request submitted without such a policy has no deadline in screening', () => {
    expect(nextDeadline(build().state)).toBeNull();
    expect(nextDeadline(buildUnder({ reviewPeriod: 'P14D' }).state)).toBeNull();
  });
});

describe('screening paused while the partner answers', () => {
  // Asked on Wednesday 2025-01-08 10:00: the partner has five working days, to Wednesday 2025-01-15 10:00.
  const ASKED = '2025-01-08T10:00:00.000Z';

  it('asking pauses the screening clock and starts the partner’s: only the partner’s is due', () => {
    const { state } = run(askAt(ASKED));
    expect(state.phase).toBe('awaiting_information');
    expect(state.screeningClock).toEqual({
      deadline: SCREENING_DEADLINE,
      remindAt: SCREENING_REMINDER,
      reminded: false,
      expired: false,
      pausedAt: ASKED,
      extensions: [],
    });
    expect(state.informationExchanges.at(-1)?.clock).toEqual({
      deadline: '2025-01-15T10:00:00.000Z',
      remindAt: '2025-01-14T10:00:00.000Z',
      reminded: false,
      expired: false,
      pausedAt: null,
      extensions: [],
    });
    expect(nextDeadline(state)).toEqual({ kind: 'information_reminder', at: '2025-01-14T10:00:00.000Z' });
  });

  it('no screening reminder or deadline is due while paused, even past them', () => {
    // The partner's deadline is extended past both the screening reminder (17th) and deadline (20th).
    const { state, states } = run(
      askAt(ASKED),
      fireAt('2025-01-14T10:00:00.000Z', 'information_reminder'),
      extendInformationAt('2025-01-14T12:00:00.000Z', '2025-01-24T10:00:00.000Z'),
      fireAt('2025-01-23T10:00:00.000Z', 'information_reminder'),
    );
    expect(nextDeadline(states[3]!)).toEqual({ kind: 'information_reminder', at: '2025-01-23T10:00:00.000Z' });
    expect(nextDeadline(state)).toEqual({ kind: 'information_deadline', at: '2025-01-24T10:00:00.000Z' });
    expect(state.screeningClock).toMatchObject({ pausedAt: ASKED, reminded: false, expired: false, deadline: SCREENING_DEADLINE });
  });

  it('the answer resumes screening: deadline and reminder move by exactly the time paused', () => {
    // Paused from Wednesday 10:00 to Friday 2025-01-10 15:30: 2 days 5 h 30 min.
    const { state, events } = run(askAt(ASKED), answerAt('2025-01-10T15:30:00.000Z'));
    expect(events[2]).toMatchObject({ type: 'information_provided', phaseAfter: 'screening' });
    expect(state.screeningClock).toEqual({
      deadline: '2025-01-22T14:30:00.000Z',
      remindAt: '2025-01-19T14:30:00.000Z',
      reminded: false,
      expired: false,
      pausedAt: null,
      extensions: [],
    });
    expect(nextDeadline(state)).toEqual({ kind: 'screening_reminder', at: '2025-01-19T14:30:00.000Z' });
    expect(waitingFor(state)?.deadline).toBe('2025-01-22T14:30:00.000Z');
  });

  it('a reminder already sent is not sent again after the pause', () => {
    // Reminded on the 17th, asked an hour later, answered three days later: only the deadline moves.
    const { state } = run(
      fireAt(SCREENING_REMINDER, 'screening_reminder'),
      askAt('2025-01-17T10:00:00.000Z'),
      answerAt('2025-01-20T10:00:00.000Z'),
    );
    expect(state.screeningClock).toMatchObject({ deadline: '2025-01-23T09:00:00.000Z', remindAt: SCREENING_REMINDER, reminded: true });
    expect(nextDeadline(state)).toEqual({ kind: 'screening_deadline', at: '2025-01-23T09:00:00.000Z' });
  });

  it('two rounds of questions add up', () => {
    const { state } = run(
      askAt(ASKED),
      answerAt('2025-01-09T10:00:00.000Z'), // one day
      askAt('2025-01-13T09:00:00.000Z'),
      answerAt('2025-01-13T21:00:00.000Z'), // twelve hours
    );
    expect(state.screeningClock?.deadline).toBe('2025-01-21T21:00:00.000Z');
    expect(state.informationExchanges).toHaveLength(2);
  });
});

describe('the partner’s deadline', () => {
  const ASKED = '2025-01-08T10:00:00.000Z';
  const INFO_DEADLINE = '2025-01-15T10:00:00.000Z';

  it('reminds the partner once, then withdraws the request for no response, as the system', () => {
    const { state, states, events } = run(
      askAt(ASKED),
      fireAt('2025-01-14T10:00:00.000Z', 'information_reminder'),
      fireAt(INFO_DEADLINE, 'information_deadline'),
    );
    expect(events[2]).toEqual({
      seq: 3,
      type: 'information_reminder',
      actor: SYSTEM,
      at: '2025-01-14T10:00:00.000Z',
      phaseBefore: 'awaiting_information',
      phaseAfter: 'awaiting_information',
      payload: { deadline: INFO_DEADLINE, to: ['partner:SN'] },
    });
    expect(states[2]!.informationExchanges.at(-1)?.clock).toMatchObject({ reminded: true, expired: false });
    expect(nextDeadline(states[2]!)).toEqual({ kind: 'information_deadline', at: INFO_DEADLINE });

    expect(events[3]).toEqual({
      seq: 4,
      type: 'withdrawn',
      actor: SYSTEM,
      at: INFO_DEADLINE,
      phaseBefore: 'awaiting_information',
      phaseAfter: 'withdrawn',
      payload: { reason: 'no_response', deadline: INFO_DEADLINE },
    });
    expect(state.phase).toBe('withdrawn');
    expect(state.ending).toEqual({ by: SYSTEM, at: INFO_DEADLINE, reason: 'no_response' });
    expect(state.informationExchanges.at(-1)?.clock).toMatchObject({ expired: true });
    expect(state.informationExchanges.at(-1)?.response).toBeNull();
    expect(nextDeadline(state)).toBeNull();
    expect(waitingFor(state)).toBeNull();
    expect(allowedActions(state, partner)).toEqual([]);
  });

  it('an extension by the Secretariat moves the deadline and re-arms the reminder', () => {
    const { state, events } = run(
      askAt(ASKED),
      fireAt('2025-01-14T10:00:00.000Z', 'information_reminder'),
      extendInformationAt('2025-01-14T12:00:00.000Z', '2025-01-22T10:00:00.000Z'),
    );
    expect(events[3]).toEqual({
      seq: 4,
      type: 'information_deadline_extended',
      actor: ref(secretariat),
      at: '2025-01-14T12:00:00.000Z',
      phaseBefore: 'awaiting_information',
      phaseAfter: 'awaiting_information',
      payload: { until: '2025-01-22T10:00:00.000Z', reason: 'Elections in Senegal.' },
    });
    expect(state.informationExchanges.at(-1)?.clock).toEqual({
      deadline: '2025-01-22T10:00:00.000Z',
      remindAt: '2025-01-21T10:00:00.000Z',
      reminded: false,
      expired: false,
      pausedAt: null,
      extensions: [
        { by: ref(secretariat), at: '2025-01-14T12:00:00.000Z', deadline: '2025-01-22T10:00:00.000Z', reason: 'Elections in Senegal.' },
      ],
    });
    expect(nextDeadline(state)).toEqual({ kind: 'information_reminder', at: '2025-01-21T10:00:00.000Z' });
    expect(waitingFor(state)?.deadline).toBe('2025-01-22T10:00:00.000Z');
  });

  it('after an extension the reminder fires again, once, for the new deadline; an answer then ends the clock', () => {
    const { state, events, states } = run(
      askAt(ASKED),
      fireAt('2025-01-14T10:00:00.000Z', 'information_reminder'),
      extendInformationAt('2025-01-14T12:00:00.000Z', '2025-01-22T10:00:00.000Z'),
      fireAt('2025-01-21T10:00:00.000Z', 'information_reminder'),
      answerAt('2025-01-21T16:00:00.000Z'),
    );
    expect(events[4]!.payload).toEqual({ deadline: '2025-01-22T10:00:00.000Z', to: ['partner:SN'] });
    expect(nextDeadline(states[4]!)).toEqual({ kind: 'information_deadline', at: '2025-01-22T10:00:00.000Z' });
    expect(state.phase).toBe('screening');
    // Back in screening, only the (shifted) screening clock counts: paused 13 days 6 hours, and the Sunday deadline rolls on to Monday.
    expect(state.screeningClock?.deadline).toBe('2025-02-03T15:00:00.000Z');
    expect(nextDeadline(state)).toEqual({ kind: 'screening_reminder', at: '2025-01-30T15:00:00.000Z' });
  });
});

describe('review deadline', () => {
  it('the reminder comes first, and lists exactly the eligible members who have not voted', () => {
    const { state, states, events } = run(
      openReview('no_objection'),
      voteAt('2025-01-14T09:00:00.000Z', scEs, 'no_objection'),
      voteAt('2025-01-15T09:00:00.000Z', scEs, 'abstain', 'On reflection.'),
      fireAt(REVIEW_REMINDER, 'review_reminder'),
    );
    expect(states[1]!.screeningClock).toBeNull();
    expect(nextDeadline(states[3]!)).toEqual({ kind: 'review_reminder', at: REVIEW_REMINDER });
    expect(events[4]).toEqual({
      seq: 5,
      type: 'review_reminder',
      actor: SYSTEM,
      at: REVIEW_REMINDER,
      phaseBefore: 'review',
      phaseAfter: 'review',
      // Not Ana García (voted, twice), not Fatou Ndiaye (conflicted).
      payload: { deadline: REVIEW_DEADLINE, to: ['Jean Dupont', 'Luca Bianchi'] },
    });
    expect(state.review).toMatchObject({ reminded: true, deadline: REVIEW_DEADLINE });
    expect(nextDeadline(state)).toEqual({ kind: 'review_deadline', at: REVIEW_DEADLINE });
  });

  it('no_objection, nobody voted: the deadline closes the review and approves the estimated budget by procedure', () => {
    const { state, states, events } = run(
      openReview('no_objection'),
      fireAt(REVIEW_REMINDER, 'review_reminder'),
      fireAt(REVIEW_DEADLINE, 'review_deadline'),
    );
    const reason = 'No objection was recorded: approved by the written no-objection procedure.';
    expect(events.slice(3)).toEqual([
      {
        seq: 4,
        type: 'review_closed',
        actor: SYSTEM,
        at: REVIEW_DEADLINE,
        phaseBefore: 'review',
        phaseAfter: 'approval',
        payload: {
          because: 'deadline_passed',
          tally: { no_objection: 0, objection: 0, abstain: 0 },
          procedure: 'no_objection',
          outcome: { result: 'approved_by_procedure', reason },
          objections: [],
        },
      },
      {
        seq: 5,
        type: 'approved',
        actor: SYSTEM,
        at: REVIEW_DEADLINE,
        phaseBefore: 'approval',
        phaseAfter: 'implementation',
        payload: {
          decision: 'approve',
          rationale: reason,
          conditions: [],
          approvedBudgetEur: 48_000,
          byProcedure: true,
          procedure: 'no_objection',
          informed: ['chair'],
        },
      },
    ]);
    expect(states[3]!.phase).toBe('approval');
    expect(state.phase).toBe('implementation');
    expect(state.decisions).toEqual([
      { by: SYSTEM, at: REVIEW_DEADLINE, decision: 'approve', rationale: reason, conditions: [], approvedBudgetEur: 48_000, byProcedure: true },
    ]);
    expect(state.review).toMatchObject({ closedAt: REVIEW_DEADLINE, closedBecause: 'deadline_passed', outcome: { result: 'approved_by_procedure', reason } });
    expect(nextDeadline(state)).toBeNull();
  });

  it('majority with one vote of three and a quorum of two: the deadline hands the request to the Chair', () => {
    const { state, events } = run(
      openReview('majority', 2),
      voteAt('2025-01-14T09:00:00.000Z', scEs, 'no_objection'),
      fireAt(REVIEW_DEADLINE, 'review_deadline'),
    );
    expect(events).toHaveLength(4);
    expect(events[3]).toEqual({
      seq: 4,
      type: 'review_closed',
      actor: SYSTEM,
      at: REVIEW_DEADLINE,
      phaseBefore: 'review',
      phaseAfter: 'approval',
      payload: {
        because: 'deadline_passed',
        tally: { no_objection: 1, objection: 0, abstain: 0 },
        procedure: 'majority',
        outcome: { result: 'to_chair', reason: 'Quorum missed: 1 vote(s) cast, 2 needed.' },
        objections: [],
      },
    });
    expect(state.phase).toBe('approval');
    expect(state.decisions).toEqual([]);
    expect(waitingFor(state)?.roles).toEqual(['chair']);
    expect(allowedActions(state, chair)).toEqual(['decide']);
    expect(nextDeadline(state)).toBeNull();
  });

  it('extend_review by the Chair moves the deadline and re-arms the reminder', () => {
    const EXTENDED = '2025-02-03T09:00:00.000Z';
    const { state, events } = run(
      openReview('no_objection'),
      fireAt(REVIEW_REMINDER, 'review_reminder'),
      timed('2025-01-26T10:00:00.000Z', act(chair, { action: 'extend_review', until: EXTENDED, reason: 'Members asked for time.' })),
    );
    expect(events[3]).toEqual({
      seq: 4,
      type: 'review_extended',
      actor: ref(chair),
      at: '2025-01-26T10:00:00.000Z',
      phaseBefore: 'review',
      phaseAfter: 'review',
      payload: { from: REVIEW_DEADLINE, until: EXTENDED, reason: 'Members asked for time.' },
    });
    expect(state.review).toMatchObject({
      deadline: EXTENDED,
      remindAt: '2025-02-01T09:00:00.000Z',
      reminded: false,
      closedAt: null,
      extensions: [{ by: ref(chair), at: '2025-01-26T10:00:00.000Z', deadline: EXTENDED, reason: 'Members asked for time.' }],
    });
    expect(nextDeadline(state)).toEqual({ kind: 'review_reminder', at: '2025-02-01T09:00:00.000Z' });
    expect(waitingFor(state)?.deadline).toBe(EXTENDED);
  });

  it('after an extension the reminder and the deadline happen at the new times', () => {
    const EXTENDED = '2025-02-03T09:00:00.000Z';
    const { state, events } = run(
      openReview('no_objection'),
      fireAt(REVIEW_REMINDER, 'review_reminder'),
      timed('2025-01-26T10:00:00.000Z', act(chair, { action: 'extend_review', until: EXTENDED, reason: 'Members asked for time.' })),
      fireAt('2025-02-01T09:00:00.000Z', 'review_reminder'),
      fireAt(EXTENDED, 'review_deadline'),
    );
    expect(events[4]!.payload).toEqual({ deadline: EXTENDED, to: ['Ana García', 'Jean Dupont', 'Luca Bianchi'] });
    expect(events.slice(5).map((e) => [e.type, e.at])).toEqual([
      ['review_closed', EXTENDED],
      ['approved', EXTENDED],
    ]);
    expect(state.phase).toBe('implementation');
  });

  it('close_review by the Chair closes it at once, with the Chair’s reason as the outcome, to the Chair’s decision', () => {
    const { state, events } = run(
      openReview('majority', 2),
      voteAt('2025-01-14T09:00:00.000Z', scEs, 'no_objection'),
      voteAt('2025-01-15T09:00:00.000Z', scFr, 'objection', 'Overlaps with an EU project.'),
      timed('2025-01-20T10:00:00.000Z', act(chair, { action: 'close_review', reason: 'Urgent: the training starts in March.' })),
    );
    const outcome = { result: 'to_chair', reason: 'Urgent: the training starts in March.' };
    expect(events[4]).toEqual({
      seq: 5,
      type: 'review_closed',
      actor: ref(chair),
      at: '2025-01-20T10:00:00.000Z',
      phaseBefore: 'review',
      phaseAfter: 'approval',
      payload: {
        because: 'closed_by_chair',
        tally: { no_objection: 1, objection: 1, abstain: 0 },
        procedure: 'majority',
        outcome,
        objections: [{ member: 'Jean Dupont', comment: 'Overlaps with an EU project.' }],
      },
    });
    expect(state.phase).toBe('approval');
    expect(state.review).toMatchObject({ closedAt: '2025-01-20T10:00:00.000Z', closedBecause: 'closed_by_chair', outcome });
    expect(state.decisions).toEqual([]);
    expect(nextDeadline(state)).toBeNull();
    expect(allowedActions(state, chair)).toEqual(['decide']);
  });

  it('a review opened before procedures has no reminder: only its deadline is due', () => {
    expect(nextDeadline(build(accept()).state)).toEqual({ kind: 'review_deadline', at: DEADLINE });
  });
});

describe('phases without a clock', () => {
  it.each([
    ['approval', [openReview('majority', 2), fireAt(REVIEW_DEADLINE, 'review_deadline')]],
    ['implementation', [openReview('no_objection'), fireAt(REVIEW_DEADLINE, 'review_deadline')]],
  ] as Array<[string, Fold[]]>)('%s: nothing is due', (phase, moves) => {
    const { state } = run(...moves);
    expect(state.phase).toBe(phase);
    expect(nextDeadline(state)).toBeNull();
  });
});
