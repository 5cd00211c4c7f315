import { describe, expect, it } from 'vitest';
import type { ActivityStatus, Actor, RequestState } from '../../workflows/request-model';
import { allowedActions } from '../../workflows/request-rules';
import { checkAction, checkStep } from './refusals-in-english';
import type { Step } from '../../workflows/request-steps';
import { applyStep, submit } from '../../workflows/request-transitions';
import {
  DELIVERABLES,
  HELD,
  PARTICIPANTS,
  SUBMISSION,
  TO_APPROVAL,
  TO_IMPLEMENTATION,
  at,
  build,
  cancelActivity,
  complete,
  confirm,
  decide,
  deliver,
  hold,
  mark,
  meetCondition,
  partner,
  plan,
  postpone,
  secretariat,
  updateActivity,
  type ActivityDetails,
  type ActivityUpdate,
  type Fold,
  type Move,
} from './request-fixtures';

/**
 * The activity lifecycle (since 2026-11): planned → confirmed → held, or postponed (new dates and a reason) and
 * confirmed again, or cancelled (a reason). Held and cancelled are final. Steps from before it (status 'done', or
 * replayed under activityRulesNotApplied) keep their old rule: a planned activity becomes done (read as held) or
 * cancelled. Every expectation below is written by hand from that brief.
 */

const stampOf = (actor: Actor, when: string) => ({ by: { userId: actor.userId, name: actor.name, role: actor.role }, at: when });
const stateAfter = (...moves: Fold[]): RequestState => build(...moves).state;
const update = (status: ActivityUpdate['status'], details: ActivityDetails = {}, activityId = 'act-1'): Step => ({
  action: 'update_activity',
  activityId,
  status,
  ...details,
});

/** 'Training' (act-1) brought to each status; 'Workshop' (act-2) stays planned so that update_activity stays open. */
const TO_STATUS: Record<ActivityStatus, Move[]> = {
  planned: [],
  confirmed: [confirm('act-1')],
  held: deliver('act-1'),
  postponed: [postpone('act-1')],
  cancelled: [cancelActivity('act-1')],
};
const withActivityIn = (status: ActivityStatus): RequestState =>
  stateAfter(...TO_IMPLEMENTATION, plan('act-1', 'Training'), plan('act-2', 'Workshop', { budgetEur: 5_000 }), ...TO_STATUS[status]);

/** A complete, valid payload for each target status. */
const VALID: Record<Exclude<ActivityStatus, 'planned'>, ActivityDetails> = {
  confirmed: {},
  held: HELD,
  postponed: { startDate: '2025-06-02', endDate: '2025-06-13', reason: 'Trainers unavailable in May.' },
  cancelled: { reason: 'Venue unavailable.' },
};

const MAY_BECOME = (from: ActivityStatus, next: string) => `Activity 'Training' is ${from}; it can become ${next}.`;
const FINAL = (from: ActivityStatus) => `Activity 'Training' is ${from}; that is final.`;

// ---------------------------------------------------------------------------------------------------------------

describe('the status machine: from each status to each target', () => {
  const TABLE: Array<[ActivityStatus, Exclude<ActivityStatus, 'planned'>, string | null]> = [
    ['planned', 'confirmed', null],
    ['planned', 'held', MAY_BECOME('planned', 'confirmed, postponed or cancelled')],
    ['planned', 'postponed', null],
    ['planned', 'cancelled', null],
    ['confirmed', 'confirmed', MAY_BECOME('confirmed', 'held, postponed or cancelled')],
    ['confirmed', 'held', null],
    ['confirmed', 'postponed', null],
    ['confirmed', 'cancelled', null],
    ['postponed', 'confirmed', null],
    ['postponed', 'held', MAY_BECOME('postponed', 'confirmed, postponed or cancelled')],
    ['postponed', 'postponed', null],
    ['postponed', 'cancelled', null],
    ['held', 'confirmed', FINAL('held')],
    ['held', 'held', FINAL('held')],
    ['held', 'postponed', FINAL('held')],
    ['held', 'cancelled', FINAL('held')],
    ['cancelled', 'confirmed', FINAL('cancelled')],
    ['cancelled', 'held', FINAL('cancelled')],
    ['cancelled', 'postponed', FINAL('cancelled')],
    ['cancelled', 'cancelled', FINAL('cancelled')],
  ];

  it('covers every pair', () => {
    expect(TABLE).toHaveLength(5 * 4);
  });

  it.each(TABLE)('%s → %s', (from, to, refusal) => {
    const state = withActivityIn(from);
    expect(state.activities[0]!.status).toBe(from);
    const step = update(to, VALID[to]);
    if (refusal === null) {
      expect(checkStep(state, secretariat, step)).toBeNull();
      const next = applyStep(state, secretariat, step, { now: at(30) }).state;
      expect(next.activities[0]!.status).toBe(to);
      expect(next.activities[1]).toBe(state.activities[1]);
    } else {
      expect(checkStep(state, secretariat, step)).toEqual({ kind: 'conflict', message: refusal });
    }
  });

  it.each(['planned', 'confirmed', 'held', 'postponed', 'cancelled'] as ActivityStatus[])(
    'nothing goes back to planned (from %s)',
    (from) => {
      const step = { action: 'update_activity', activityId: 'act-1', status: 'planned' } as unknown as Step;
      const expected = {
        planned: MAY_BECOME('planned', 'confirmed, postponed or cancelled'),
        confirmed: MAY_BECOME('confirmed', 'held, postponed or cancelled'),
        postponed: MAY_BECOME('postponed', 'confirmed, postponed or cancelled'),
        held: FINAL('held'),
        cancelled: FINAL('cancelled'),
      }[from];
      expect(checkStep(withActivityIn(from), secretariat, step)).toEqual({ kind: 'conflict', message: expected });
    },
  );

  it('an unknown activity is not found, whatever the status asked', () => {
    expect(checkStep(withActivityIn('planned'), secretariat, update('confirmed', {}, 'act-404'))).toEqual({
      kind: 'not_found',
      field: 'activityId',
      message: 'This request has no activity act-404.',
    });
  });

  it('the whole road: planned → postponed → postponed → confirmed → held', () => {
    const run = build(
      ...TO_IMPLEMENTATION,
      plan('act-1', 'Training'),
      postpone('act-1', '2025-06-02', '2025-06-13', 'Trainers unavailable.'),
      postpone('act-1', '2025-09-01', '2025-09-12', 'Elections.'),
      confirm('act-1'),
      hold('act-1'),
      complete('Delivered in September.'),
    );
    expect(run.states.slice(4, 9).map((s) => s.activities[0]!.status)).toEqual(['planned', 'postponed', 'postponed', 'confirmed', 'held']);
    expect(run.state.phase).toBe('monitoring');
  });

  it('update_activity is open while some activity is not held or cancelled, and only the Secretariat takes it', () => {
    const refused = { kind: 'conflict', message: 'Every activity is already held or cancelled; plan a new one first.' };
    const base = [...TO_IMPLEMENTATION, plan('act-1', 'Training')];
    expect(checkAction(stateAfter(...base), secretariat, 'update_activity')).toBeNull();
    expect(checkAction(stateAfter(...base, confirm('act-1')), secretariat, 'update_activity')).toBeNull();
    expect(checkAction(stateAfter(...base, postpone('act-1')), secretariat, 'update_activity')).toBeNull();
    expect(checkAction(stateAfter(...base, ...deliver('act-1')), secretariat, 'update_activity')).toEqual(refused);
    expect(checkAction(stateAfter(...base, cancelActivity('act-1')), secretariat, 'update_activity')).toEqual(refused);
    expect(checkAction(stateAfter(...TO_IMPLEMENTATION), secretariat, 'update_activity')).toEqual(refused);
    expect(checkAction(stateAfter(...base), partner, 'update_activity')?.kind).toBe('forbidden');
    // A new activity opens it again.
    expect(allowedActions(stateAfter(...base, cancelActivity('act-1'), plan('act-2', 'Again')), secretariat)).toContain('update_activity');
  });
});

describe('what each status requires', () => {
  const planned = () => withActivityIn('planned');
  const confirmed = () => withActivityIn('confirmed');
  const invalid = (field: string, message: string) => ({ kind: 'invalid', field, message });
  const needsDates = invalid('startDate', 'A postponed activity needs its new start and end dates (startDate, endDate).');
  const postponeReason = invalid('reason', 'Say why the activity is postponed.');
  const cancelReason = invalid('reason', 'Say why the activity is cancelled.');

  it.each([
    ['no dates', { reason: 'Why.' }, needsDates],
    ['no startDate', { endDate: '2025-06-13', reason: 'Why.' }, needsDates],
    ['no endDate', { startDate: '2025-06-02', reason: 'Why.' }, needsDates],
    ['an empty startDate', { startDate: '', endDate: '2025-06-13', reason: 'Why.' }, needsDates],
    ['endDate before startDate', { startDate: '2025-06-13', endDate: '2025-06-12', reason: 'Why.' }, invalid('endDate', 'The end date (endDate) must be on or after the start date (startDate).')],
    ['no reason', { startDate: '2025-06-02', endDate: '2025-06-13' }, postponeReason],
    ['a null reason', { startDate: '2025-06-02', endDate: '2025-06-13', reason: null }, postponeReason],
    ['an empty reason', { startDate: '2025-06-02', endDate: '2025-06-13', reason: '' }, postponeReason],
    ['nothing at all', {}, needsDates],
  ] as Array<[string, ActivityDetails, object]>)('postponing with %s is refused', (_label, details, expected) => {
    expect(checkStep(planned(), secretariat, update('postponed', details))).toEqual(expected);
    expect(checkStep(confirmed(), secretariat, update('postponed', details))).toEqual(expected);
  });

  it('postponing to a single day (endDate = startDate) is fine', () => {
    expect(checkStep(planned(), secretariat, update('postponed', { startDate: '2025-06-02', endDate: '2025-06-02', reason: 'Why.' }))).toBeNull();
  });

  it.each([
    ['no reason', {}],
    ['a null reason', { reason: null }],
    ['an empty reason', { reason: '' }],
  ] as Array<[string, ActivityDetails]>)('cancelling with %s is refused, from every open status', (_label, details) => {
    for (const from of ['planned', 'confirmed', 'postponed'] as const) {
      expect(checkStep(withActivityIn(from), secretariat, update('cancelled', details))).toEqual(cancelReason);
    }
  });

  it.each([
    ['no participants', { spentEur: 100 }, invalid('participants', 'A held activity records its participants (total, women, men, institutions).')],
    [
      'women and men above the total',
      { participants: { total: 40, women: 25, men: 16, institutions: 2 }, spentEur: 100 },
      invalid('participants', 'Women (25) and men (16) add up to more than the total (40).'),
    ],
    ['no spentEur', { participants: PARTICIPANTS }, invalid('spentEur', 'A held activity records what it cost (spentEur).')],
    ['nothing at all', {}, invalid('participants', 'A held activity records its participants (total, women, men, institutions).')],
  ] as Array<[string, ActivityDetails, object]>)('holding with %s is refused', (_label, details, expected) => {
    expect(checkStep(confirmed(), secretariat, update('held', details))).toEqual(expected);
  });

  it('participants may add up to exactly the total, or fewer (some undisclosed); nothing spent is still a figure', () => {
    expect(checkStep(confirmed(), secretariat, update('held', { participants: { total: 40, women: 20, men: 20, institutions: 0 }, spentEur: 0 }))).toBeNull();
    expect(checkStep(confirmed(), secretariat, update('held', { participants: { total: 40, women: 10, men: 10, institutions: 1 }, spentEur: 5 }))).toBeNull();
  });

  it('deliverables are optional when holding', () => {
    expect(checkStep(confirmed(), secretariat, update('held', { participants: PARTICIPANTS, spentEur: 100 }))).toBeNull();
  });

  it('confirming needs nothing more', () => {
    expect(checkStep(planned(), secretariat, update('confirmed'))).toBeNull();
  });
});

describe('the conditions of the approval gate confirmation', () => {
  const CONDITIONS = ['Co-funding letter.', 'Participant list.'];
  const TO_CONDITIONAL = [...TO_APPROVAL, decide('approve', 'Relevant.', CONDITIONS)];
  const open = (...texts: string[]) => ({
    kind: 'conflict',
    message: `Implementation starts only once the approval's conditions are met; still open: ${texts.map((t) => `'${t}'`).join(', ')}. Mark each as met first.`,
  });

  it('no confirmation while a condition is open; the refusal names the open ones', () => {
    expect(checkStep(stateAfter(...TO_CONDITIONAL, plan('act-1', 'Training')), secretariat, update('confirmed'))).toEqual(
      open('Co-funding letter.', 'Participant list.'),
    );
    expect(checkStep(stateAfter(...TO_CONDITIONAL, plan('act-1', 'Training'), meetCondition(0)), secretariat, update('confirmed'))).toEqual(
      open('Participant list.'),
    );
    expect(
      checkStep(stateAfter(...TO_CONDITIONAL, plan('act-1', 'Training'), meetCondition(0), meetCondition(1)), secretariat, update('confirmed')),
    ).toBeNull();
  });

  it('postponing and cancelling are not gated; confirming after a postponement is', () => {
    const state = stateAfter(...TO_CONDITIONAL, plan('act-1', 'Training'));
    expect(checkStep(state, secretariat, update('postponed', VALID.postponed))).toBeNull();
    expect(checkStep(state, secretariat, update('cancelled', VALID.cancelled))).toBeNull();
    const postponed = stateAfter(...TO_CONDITIONAL, plan('act-1', 'Training'), postpone('act-1'));
    expect(checkStep(postponed, secretariat, update('confirmed'))).toEqual(open('Co-funding letter.', 'Participant list.'));
  });

  it('the status check comes before the conditions (a held activity is final, not waiting for conditions)', () => {
    const state = stateAfter(...TO_CONDITIONAL, plan('act-1', 'Training'), plan('act-2', 'Other'));
    expect(checkStep(state, secretariat, update('held', HELD))).toEqual({
      kind: 'conflict',
      message: MAY_BECOME('planned', 'confirmed, postponed or cancelled'),
    });
  });
});

describe('what each change records', () => {
  it('a reason sent with a later step never overwrites the postponement reason', () => {
    const run = build(
      ...TO_IMPLEMENTATION,
      plan('act-1', 'Training'),
      postpone('act-1', '2025-06-02', '2025-06-13', 'Trainers unavailable in May.'),
      updateActivity('act-1', 'confirmed', { reason: null }),
    );
    expect(run.state.activities[0]).toMatchObject({ status: 'confirmed', reason: 'Trainers unavailable in May.' });
  });

  it('postponement moves the dates and keeps the reason; confirming again keeps both', () => {
    const run = build(
      ...TO_IMPLEMENTATION,
      plan('act-1', 'Training'),
      postpone('act-1', '2025-06-02', '2025-06-13', 'Trainers unavailable in May.'),
      confirm('act-1'),
    );
    const planned = run.states[4]!.activities[0]!;
    const postponed = run.states[5]!.activities[0]!;
    expect(postponed).toEqual({
      ...planned,
      status: 'postponed',
      startDate: '2025-06-02',
      endDate: '2025-06-13',
      reason: 'Trainers unavailable in May.',
      updated: stampOf(secretariat, at(5)),
    });
    expect(run.events[5]).toMatchObject({ type: 'activity_status_changed', phaseBefore: 'implementation', phaseAfter: 'implementation' });
    expect(run.events[5]!.payload).toEqual({
      activityId: 'act-1',
      status: 'postponed',
      startDate: '2025-06-02',
      endDate: '2025-06-13',
      reason: 'Trainers unavailable in May.',
    });
    expect(run.state.activities[0]).toEqual({ ...postponed, status: 'confirmed', updated: stampOf(secretariat, at(6)) });
    expect(run.events[6]!.payload).toEqual({ activityId: 'act-1', status: 'confirmed' });
  });

  it('a second postponement moves the dates again and replaces the reason', () => {
    const state = stateAfter(
      ...TO_IMPLEMENTATION,
      plan('act-1', 'Training'),
      postpone('act-1', '2025-06-02', '2025-06-13', 'Trainers unavailable.'),
      postpone('act-1', '2025-09-01', '2025-09-12', 'Elections.'),
    );
    expect(state.activities[0]).toMatchObject({ status: 'postponed', startDate: '2025-09-01', endDate: '2025-09-12', reason: 'Elections.' });
  });

  it('cancelling records the reason and keeps the dates', () => {
    const run = build(...TO_IMPLEMENTATION, plan('act-1', 'Training'), cancelActivity('act-1', 'Venue lost.'));
    expect(run.state.activities[0]).toEqual({
      ...run.states[4]!.activities[0]!,
      status: 'cancelled',
      reason: 'Venue lost.',
      updated: stampOf(secretariat, at(5)),
    });
    expect(run.events[5]!.payload).toEqual({ activityId: 'act-1', status: 'cancelled', reason: 'Venue lost.' });
  });

  it('holding records participants, deliverables and what was spent', () => {
    const run = build(...TO_IMPLEMENTATION, plan('act-1', 'Training'), ...deliver('act-1'));
    expect(run.state.activities[0]).toEqual({
      ...run.states[5]!.activities[0]!,
      status: 'held',
      participants: { total: 40, women: 18, men: 21, institutions: 4 },
      deliverables: [{ title: 'Training curriculum', kind: 'curriculum', link: null }],
      spentEur: 19_250.5,
      updated: stampOf(secretariat, at(6)),
    });
    expect(run.state.activities[0]!.startDate).toBe('2025-05-05');
    expect(run.events[6]!.payload).toEqual({
      activityId: 'act-1',
      status: 'held',
      participants: PARTICIPANTS,
      deliverables: DELIVERABLES,
      spentEur: 19_250.5,
    });
  });

  it('holding without deliverables records an empty list', () => {
    const state = stateAfter(...TO_IMPLEMENTATION, plan('act-1', 'Training'), ...deliver('act-1', { participants: PARTICIPANTS, spentEur: 0 }));
    expect(state.activities[0]).toMatchObject({ status: 'held', participants: PARTICIPANTS, deliverables: [], spentEur: 0 });
  });

  it('only the named activity changes', () => {
    const run = build(...TO_IMPLEMENTATION, plan('act-1', 'A'), plan('act-2', 'B', { budgetEur: 5_000 }), confirm('act-2'));
    expect(run.state.activities[0]).toBe(run.states[5]!.activities[0]);
    expect(run.state.activities.map((a) => a.status)).toEqual(['planned', 'confirmed']);
  });
});

describe('steps from before the lifecycle', () => {
  const legacy = { activityRulesNotApplied: true } as const;

  it("'done' is recorded as held, with nothing else", () => {
    const run = build(...TO_IMPLEMENTATION, plan('act-1', 'Training'), mark('act-1', 'done'));
    const activity = run.state.activities[0]!;
    expect(activity).toEqual({ ...run.states[4]!.activities[0]!, status: 'held', updated: stampOf(secretariat, at(5)) });
    expect(activity).not.toHaveProperty('participants');
    expect(activity).not.toHaveProperty('spentEur');
    expect(activity).not.toHaveProperty('reason');
    expect(run.events[5]!.payload).toEqual({ activityId: 'act-1', status: 'done' });
  });

  it('under the old rule a planned activity becomes only done or cancelled', () => {
    for (const status of ['confirmed', 'held', 'postponed'] as const) {
      expect(checkStep(withActivityIn('planned'), secretariat, update(status), legacy)).toEqual({
        kind: 'invalid',
        field: 'status',
        message: 'Before the activity lifecycle an activity became done or cancelled.',
      });
    }
  });

  it("'done' changes only a planned activity, with or without the option", () => {
    for (const from of ['confirmed', 'postponed', 'held', 'cancelled'] as const) {
      const expected = { kind: 'conflict', message: `Activity 'Training' is already ${from}; only planned activities change status.` };
      expect(checkStep(withActivityIn(from), secretariat, update('done'))).toEqual(expected);
      expect(checkStep(withActivityIn(from), secretariat, update('done'), legacy)).toEqual(expected);
    }
    expect(checkStep(withActivityIn('planned'), secretariat, update('done'))).toBeNull();
  });

  it("'done' is still gated by the conditions, unless the procedures predate the step too", () => {
    const state = stateAfter(...TO_APPROVAL, decide('approve', 'Relevant.', ['Co-funding letter.']), plan('act-1', 'Training'));
    const gated = {
      kind: 'conflict',
      message: "Implementation starts only once the approval's conditions are met; still open: 'Co-funding letter.'. Mark each as met first.",
    };
    expect(checkStep(state, secretariat, update('done'))).toEqual(gated);
    expect(checkStep(state, secretariat, update('done'), legacy)).toEqual(gated);
    expect(checkStep(state, secretariat, update('done'), { ...legacy, proceduresNotApplied: true })).toBeNull();
    expect(checkStep(state, secretariat, update('done'), { proceduresNotApplied: true })).toBeNull();
    // Cancelling was never gated.
    expect(checkStep(state, secretariat, update('cancelled'), legacy)).toBeNull();
  });

  it('a legacy cancellation needs no reason and records none', () => {
    const run = build(...TO_IMPLEMENTATION, plan('act-1', 'Training'), mark('act-1', 'cancelled'));
    expect(run.state.activities[0]).toEqual({ ...run.states[4]!.activities[0]!, status: 'cancelled', updated: stampOf(secretariat, at(5)) });
    expect(run.state.activities[0]).not.toHaveProperty('reason');
    expect(run.events[5]!.payload).toEqual({ activityId: 'act-1', status: 'cancelled' });
  });

  it('under the option, only planned activities change', () => {
    expect(checkStep(withActivityIn('confirmed'), secretariat, update('cancelled'), legacy)).toEqual({
      kind: 'conflict',
      message: "Activity 'Training' is already confirmed; only planned activities change status.",
    });
    expect(checkStep(withActivityIn('planned'), secretariat, update('done', {}, 'act-404'), legacy)?.kind).toBe('not_found');
  });

  it('a legacy history completes: done and cancelled are both final', () => {
    const run = build(
      ...TO_IMPLEMENTATION,
      plan('act-1', 'A'),
      plan('act-2', 'B', { budgetEur: 5_000 }),
      mark('act-1', 'done'),
      mark('act-2', 'cancelled'),
      complete(),
    );
    expect(run.state.phase).toBe('monitoring');
    expect(run.state.activities.map((a) => a.status)).toEqual(['held', 'cancelled']);
  });
});

describe('completing implementation', () => {
  const completeStep: Step = { action: 'complete_implementation', note: null };

  it.each([
    ['planned', "Implementation cannot complete while activities are still planned, confirmed or postponed: 'Training' (planned). Record each as held or cancelled first."],
    ['confirmed', "Implementation cannot complete while activities are still planned, confirmed or postponed: 'Training' (confirmed). Record each as held or cancelled first."],
    ['postponed', "Implementation cannot complete while activities are still planned, confirmed or postponed: 'Training' (postponed). Record each as held or cancelled first."],
  ] as Array<[ActivityStatus, string]>)('waits for an activity that is %s', (status, message) => {
    const state = stateAfter(...TO_IMPLEMENTATION, plan('act-1', 'Training'), ...TO_STATUS[status]);
    expect(checkStep(state, secretariat, completeStep)).toEqual({ kind: 'conflict', message });
  });

  it.each([['held'], ['cancelled']] as Array<[ActivityStatus]>)('goes ahead once the only activity is %s', (status) => {
    const state = stateAfter(...TO_IMPLEMENTATION, plan('act-1', 'Training'), ...TO_STATUS[status]);
    expect(checkStep(state, secretariat, completeStep)).toBeNull();
  });

  it('every activity must be settled, not just one', () => {
    const state = stateAfter(...TO_IMPLEMENTATION, plan('act-1', 'Training'), plan('act-2', 'Workshop', { budgetEur: 5_000 }), ...deliver('act-1'));
    expect(checkStep(state, secretariat, completeStep)).toEqual({
      kind: 'conflict',
      message:
        "Implementation cannot complete while activities are still planned, confirmed or postponed: 'Workshop' (planned). Record each as held or cancelled first.",
    });
  });
});

describe('purity', () => {
  it.each([
    ['confirm', [], update('confirmed')],
    ['postpone', [], update('postponed', VALID.postponed)],
    ['cancel', [], update('cancelled', VALID.cancelled)],
    ['hold', [confirm('act-1')], update('held', HELD)],
    ['legacy done', [], update('done')],
  ] as Array<[string, Move[], Step]>)('%s leaves its input deep-equal to a clone taken before', (_label, extra, step) => {
    // Unfrozen, so that a mutation would go through silently and be caught by the comparison.
    let state = submit('req-1', SUBMISSION, partner, at(0)).state;
    [...TO_IMPLEMENTATION, plan('act-1', 'Training'), ...extra].forEach((m, i) => (state = m(state, at(i + 1)).state));
    const before = structuredClone(state);
    expect(checkStep(state, secretariat, step)).toBeNull();
    const after = applyStep(state, secretariat, step, { now: at(50) }).state;
    expect(state).toEqual(before);
    expect(after.activities).not.toBe(state.activities);
    expect(after.activities[0]).not.toBe(state.activities[0]);
  });

  it('the payload objects passed in are not mutated either', () => {
    const details = structuredClone(HELD);
    const state = withActivityIn('confirmed');
    applyStep(state, secretariat, update('held', details), { now: at(50) });
    expect(details).toEqual(HELD);
  });
});

describe('fixture updateActivity', () => {
  it('refuses an impossible history', () => {
    expect(() => build(...TO_IMPLEMENTATION, plan('act-1', 'Training'), updateActivity('act-1', 'held', HELD))).toThrow(
      "fixture: secretariat may not update_activity: Activity 'Training' is planned; it can become confirmed, postponed or cancelled.",
    );
  });
});

describe('where an activity takes place', () => {
  const planStep = (venue: { online: boolean; country: string | null; city: string | null }): Step => ({
    action: 'plan_activity',
    type: 'workshop',
    title: 'Workshop',
    startDate: '2025-05-05',
    endDate: '2025-05-06',
    location: 'Abidjan',
    budgetEur: 1_000,
    venue,
  });

  it('is a country and city, or online', () => {
    const state = build(...TO_IMPLEMENTATION).state;
    expect(checkStep(state, secretariat, planStep({ online: false, country: null, city: 'Abidjan' }))).toEqual({
      kind: 'invalid',
      field: 'venue.country',
      message: 'An activity that is not online takes place in a country: give venue.country.',
    });
    expect(checkStep(state, secretariat, planStep({ online: false, country: 'CI', city: 'Abidjan' }))).toBeNull();
    expect(checkStep(state, secretariat, planStep({ online: true, country: null, city: null }))).toBeNull();
  });

  it('is recorded as given', () => {
    const run = build(...TO_IMPLEMENTATION, plan('act-1', 'Workshop', { venue: { online: false, country: 'CI', city: 'Abidjan' } }));
    expect(run.state.activities[0]!.venue).toEqual({ online: false, country: 'CI', city: 'Abidjan' });
  });
});
