import { describe, expect, it } from 'vitest';
import { approvedBudget, budgetSummary, plannedBudget, spentBudget } from '../../workflows/budget';
import { inEuros } from '../../i18n/localized';
import { render } from '../../i18n/messages';
import type { Actor, ImplementationActivity, RequestState } from '../../workflows/request-model';
import { allowedActions } from '../../workflows/request-rules';
import { checkAction, checkStep } from './refusals-in-english';
import type { Step } from '../../workflows/request-steps';
import { applyStep, submit } from '../../workflows/request-transitions';
import {
  HELD,
  SUBMISSION,
  TO_APPROVAL,
  TO_IMPLEMENTATION,
  TO_MONITORING,
  at,
  atMoment,
  build,
  cancelActivity,
  chair,
  confirm,
  decide,
  deliver,
  increaseBudget,
  partner,
  plan,
  postpone,
  secretariat,
  type Fold,
  type Move,
  type PlanStep,
} from './request-fixtures';

/**
 * The approved budget (the last approval's, as raised by the Chair's increases), what the activities plan
 * (everything but cancelled ones) and spend (held ones), and the rule that planning stays within the approved
 * budget. Every figure below is worked out by hand.
 */

const stampOf = (actor: Actor, when: string) => ({ by: { userId: actor.userId, name: actor.name, role: actor.role }, at: when });
const stateAfter = (...moves: Fold[]): RequestState => build(...moves).state;

/** Approved with a budget of €40,000 (the submission estimated €48,000). */
const TO_APPROVED_40K = [...TO_APPROVAL, decide('approve', 'Relevant.', null, 40_000)];

const planStep = (budgetEur: number, fields: Partial<PlanStep> = {}): Step => ({
  action: 'plan_activity',
  type: 'workshop',
  title: 'Regional workshop',
  startDate: '2025-06-10',
  endDate: '2025-06-12',
  location: 'Rabat',
  budgetEur,
  ...fields,
});
const over = (budget: string, total: string, approved: string, already: string) => ({
  kind: 'conflict',
  message:
    `Planning this activity (${budget}) would bring the planned total to ${total}, above the approved budget of ${approved} ` +
    `(${already} already planned). Plan less, cancel an activity, or ask the Chair for a budget increase.`,
});
const increase = (approvedBudgetEur: number, rationale = 'Second cohort.'): Step => ({ action: 'increase_budget', approvedBudgetEur, rationale });

const activity = (budgetEur: number, status: ImplementationActivity['status'], spentEur?: number): ImplementationActivity => ({
  activityId: `act-${budgetEur}-${status}`,
  type: 'training',
  title: 'T',
  startDate: '2025-05-05',
  endDate: '2025-05-05',
  location: 'online',
  budgetEur,
  status,
  planned: stampOf(secretariat, at(1)),
  updated: null,
  ...(spentEur === undefined ? {} : { spentEur }),
});

// ---------------------------------------------------------------------------------------------------------------

describe('approvedBudget', () => {
  it('is none before an approval', () => {
    expect(approvedBudget(stateAfter())).toBeNull();
    expect(approvedBudget(stateAfter(...TO_APPROVAL))).toBeNull();
  });

  it("is the approval's budget, or the estimate when the Chair approved without one", () => {
    expect(approvedBudget(stateAfter(...TO_APPROVED_40K))).toBe(40_000);
    expect(approvedBudget(stateAfter(...TO_IMPLEMENTATION))).toBe(48_000);
  });

  it('is raised by the latest increase', () => {
    expect(approvedBudget(stateAfter(...TO_APPROVED_40K, increaseBudget(45_000)))).toBe(45_000);
    expect(approvedBudget(stateAfter(...TO_APPROVED_40K, increaseBudget(45_000), increaseBudget(52_500.25)))).toBe(52_500.25);
  });

  it('ignores a rejection', () => {
    const rejected = stateAfter(...TO_APPROVAL, decide('reject', 'Out of scope.'));
    expect(approvedBudget(rejected)).toBeNull();
  });
});

describe('plannedBudget and spentBudget', () => {
  it('planned counts every activity but cancelled ones, at its planned budget', () => {
    expect(plannedBudget([])).toBe(0);
    expect(
      plannedBudget([activity(1_000, 'planned'), activity(2_000, 'confirmed'), activity(4_000, 'postponed'), activity(8_000, 'held', 3), activity(16_000, 'cancelled')]),
    ).toBe(15_000);
  });

  it('spent adds what the activities recorded as spent', () => {
    expect(spentBudget([])).toBe(0);
    expect(spentBudget([activity(1_000, 'held', 900.5), activity(2_000, 'planned'), activity(3_000, 'held', 0)])).toBe(900.5);
  });

  it('sums are rounded to the cent (0.1 + 0.2 is 0.3)', () => {
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(plannedBudget([activity(0.1, 'planned'), activity(0.2, 'confirmed')])).toBe(0.3);
    expect(spentBudget([activity(1, 'held', 0.1), activity(1, 'held', 0.2)])).toBe(0.3);
    expect(plannedBudget([activity(0.005, 'planned'), activity(0.001, 'planned')])).toBe(0.01);
  });
});

describe('budgetSummary', () => {
  it('before approval: nothing approved, nothing available', () => {
    expect(budgetSummary(stateAfter())).toEqual({ approvedEur: null, plannedEur: 0, spentEur: 0, availableEur: null });
  });

  it('during implementation: approved, planned (not cancelled), spent (held) and what is left to plan', () => {
    const state = stateAfter(
      ...TO_APPROVED_40K,
      plan('act-1', 'Training', { budgetEur: 20_000 }),
      plan('act-2', 'Workshop', { budgetEur: 7_500.5 }),
      plan('act-3', 'Visit', { budgetEur: 5_000 }),
      ...deliver('act-1', { ...HELD, spentEur: 18_999.99 }),
      cancelActivity('act-3'),
    );
    expect(budgetSummary(state)).toEqual({ approvedEur: 40_000, plannedEur: 27_500.5, spentEur: 18_999.99, availableEur: 12_499.5 });
  });

  it('rounds to the cent', () => {
    const state = stateAfter(...TO_APPROVAL, decide('approve', 'Relevant.', null, 1), plan('act-1', 'A', { budgetEur: 0.1 }), plan('act-2', 'B', { budgetEur: 0.2 }));
    expect(budgetSummary(state)).toEqual({ approvedEur: 1, plannedEur: 0.3, spentEur: 0, availableEur: 0.7 });
  });

  it('follows an increase', () => {
    const state = stateAfter(...TO_APPROVED_40K, plan('act-1', 'Training', { budgetEur: 40_000 }), increaseBudget(50_000));
    expect(budgetSummary(state)).toEqual({ approvedEur: 50_000, plannedEur: 40_000, spentEur: 0, availableEur: 10_000 });
  });

  it('does not touch its (frozen) input', () => {
    const run = build(...TO_MONITORING);
    expect(Object.isFrozen(run.state)).toBe(true);
    expect(budgetSummary(run.state)).toEqual({ approvedEur: 48_000, plannedEur: 20_000, spentEur: 19_250.5, availableEur: 28_000 });
  });
});

describe('amounts in refusals', () => {
  const worded = (language: 'en' | 'fr', amount: number) => render(language, { key: 'error.asWorded', values: { text: inEuros(amount) } });
  it.each([
    [48_000, '€48,000', '48\u202f000\u00a0€'],
    [0, '€0', '0\u00a0€'],
    [20_000.01, '€20,000.01', '20\u202f000,01\u00a0€'],
    [1_234_567.89, '€1,234,567.89', '1\u202f234\u202f567,89\u00a0€'],
    [0.1 + 0.2, '€0.3', '0,3\u00a0€'],
  ])('%s → %s, %s', (amount, english, french) => {
    expect(worded('en', amount)).toBe(english);
    expect(worded('fr', amount)).toBe(french);
  });
});

describe('plan_activity stays within the approved budget', () => {
  const planned20k = () => stateAfter(...TO_APPROVED_40K, plan('act-1', 'Training', { budgetEur: 20_000 }));

  it('planning up to exactly the approved budget is allowed', () => {
    expect(checkStep(planned20k(), secretariat, planStep(20_000))).toBeNull();
    expect(checkStep(stateAfter(...TO_APPROVED_40K), secretariat, planStep(40_000))).toBeNull();
  });

  it('one cent over is refused, and the refusal names the figures', () => {
    expect(checkStep(planned20k(), secretariat, planStep(20_000.01))).toEqual(over('€20,000.01', '€40,000.01', '€40,000', '€20,000'));
    expect(checkStep(stateAfter(...TO_APPROVED_40K), secretariat, planStep(40_000.01))).toEqual(
      over('€40,000.01', '€40,000.01', '€40,000', '€0'),
    );
  });

  it('once the budget is fully planned, even a cent is refused', () => {
    const full = stateAfter(...TO_APPROVED_40K, plan('act-1', 'A', { budgetEur: 20_000 }), plan('act-2', 'B', { budgetEur: 20_000 }));
    expect(checkStep(full, secretariat, planStep(0.01))).toEqual(over('€0.01', '€40,000.01', '€40,000', '€40,000'));
    expect(checkStep(full, secretariat, planStep(0))).toBeNull();
  });

  it('cents add up exactly: 0.1 + 0.2 planned under an approval of 0.3 leaves nothing', () => {
    const state = stateAfter(...TO_APPROVAL, decide('approve', 'Relevant.', null, 0.3), plan('act-1', 'A', { budgetEur: 0.1 }));
    expect(checkStep(state, secretariat, planStep(0.2))).toBeNull();
    expect(checkStep(state, secretariat, planStep(0.21))).toEqual(over('€0.21', '€0.31', '€0.3', '€0.1'));
  });

  it('cancelled activities do not count; held ones count at their planned budget, not what they spent', () => {
    const withCancelled = stateAfter(
      ...TO_APPROVED_40K,
      plan('act-1', 'A', { budgetEur: 20_000 }),
      plan('act-2', 'B', { budgetEur: 20_000 }),
      cancelActivity('act-2'),
    );
    expect(checkStep(withCancelled, secretariat, planStep(20_000))).toBeNull();
    expect(checkStep(withCancelled, secretariat, planStep(20_000.01))).toEqual(over('€20,000.01', '€40,000.01', '€40,000', '€20,000'));

    const withHeld = stateAfter(...TO_APPROVED_40K, plan('act-1', 'A', { budgetEur: 20_000 }), ...deliver('act-1', { ...HELD, spentEur: 5_000 }));
    expect(checkStep(withHeld, secretariat, planStep(20_000.01))).toEqual(over('€20,000.01', '€40,000.01', '€40,000', '€20,000'));
  });

  it('postponed and confirmed activities still count', () => {
    const state = stateAfter(
      ...TO_APPROVED_40K,
      plan('act-1', 'A', { budgetEur: 15_000 }),
      plan('act-2', 'B', { budgetEur: 15_000 }),
      postpone('act-1'),
      confirm('act-2'),
    );
    expect(checkStep(state, secretariat, planStep(10_000))).toBeNull();
    expect(checkStep(state, secretariat, planStep(10_000.01))).toEqual(over('€10,000.01', '€40,000.01', '€40,000', '€30,000'));
  });

  it('the fixture refuses to build an over-budget history', () => {
    expect(() => build(...TO_APPROVED_40K, plan('act-1', 'A', { budgetEur: 40_000.01 }))).toThrow(
      'fixture: secretariat may not plan_activity: Planning this activity (€40,000.01) would bring the planned total to €40,000.01',
    );
  });

  it('replaying a step from before the budget rule plans above the approved budget', () => {
    const state = stateAfter(...TO_APPROVED_40K, plan('act-1', 'A', { budgetEur: 40_000 }));
    expect(checkStep(state, secretariat, planStep(25_000), { activityRulesNotApplied: true })).toBeNull();
    const overPlanned = stateAfter(...TO_APPROVED_40K, plan('act-1', 'A', { budgetEur: 40_000 }), plan('act-2', 'B', { budgetEur: 25_000 }, { activityRulesNotApplied: true }));
    expect(budgetSummary(overPlanned)).toEqual({ approvedEur: 40_000, plannedEur: 65_000, spentEur: 0, availableEur: -25_000 });
    // The date check still holds under the option.
    expect(checkStep(state, secretariat, planStep(1, { endDate: '2025-06-09' }), { activityRulesNotApplied: true })).toEqual({
      kind: 'invalid',
      field: 'endDate',
      message: 'The end date (endDate) must be on or after the start date (startDate).',
    });
  });
});

describe('plan_activity budget lines', () => {
  const state = () => stateAfter(...TO_APPROVED_40K);
  const lines = (...amounts: number[]) => amounts.map((amountEur, i) => ({ label: `Line ${i + 1}`, amountEur }));

  it('lines that add up to the budget are fine, to the cent', () => {
    expect(checkStep(state(), secretariat, planStep(20_000, { budgetLines: lines(12_000, 8_000) }))).toBeNull();
    expect(checkStep(state(), secretariat, planStep(0.3, { budgetLines: lines(0.1, 0.2) }))).toBeNull();
  });

  it('no lines, or an empty list, is fine', () => {
    expect(checkStep(state(), secretariat, planStep(20_000, { budgetLines: [] }))).toBeNull();
  });

  it.each([
    [lines(12_000, 7_000), 20_000, 'The budget lines add up to €19,000, not the activity\'s €20,000.'],
    [lines(12_000, 8_000.01), 20_000, 'The budget lines add up to €20,000.01, not the activity\'s €20,000.'],
    [lines(12_000, 7_999.99), 20_000, 'The budget lines add up to €19,999.99, not the activity\'s €20,000.'],
    [lines(0.1, 0.2), 0.31, 'The budget lines add up to €0.3, not the activity\'s €0.31.'],
  ])('lines %j for a budget of %s are invalid', (budgetLines, budgetEur, message) => {
    expect(checkStep(state(), secretariat, planStep(budgetEur, { budgetLines }))).toEqual({ kind: 'invalid', field: 'budgetLines', message });
  });

  it('the lines are checked before the approved budget, and after the dates', () => {
    expect(checkStep(state(), secretariat, planStep(50_000, { budgetLines: lines(1) }))).toMatchObject({ field: 'budgetLines' });
    expect(checkStep(state(), secretariat, planStep(50_000, { budgetLines: lines(1), endDate: '2025-06-01' }))).toMatchObject({ field: 'endDate' });
  });

  it('the lines are kept on the activity', () => {
    const run = build(...TO_APPROVED_40K, plan('act-1', 'A', { budgetEur: 20_000, budgetLines: lines(12_000, 8_000), language: 'fr', experts: ['E. Expert'] }));
    expect(run.state.activities[0]).toMatchObject({ budgetEur: 20_000, budgetLines: lines(12_000, 8_000), language: 'fr', experts: ['E. Expert'] });
  });
});

describe('increase_budget', () => {
  it('the Chair in office may increase during implementation; nobody else, at no other time', () => {
    const implementation = stateAfter(...TO_APPROVED_40K);
    expect(checkStep(implementation, chair, increase(40_000.01))).toBeNull();
    expect(checkAction(implementation, secretariat, 'increase_budget')).toEqual({
      kind: 'forbidden',
      message: 'Only the Chair may increase the approved budget; you are signed in as the Secretariat.',
    });
    expect(checkAction(implementation, partner, 'increase_budget')?.kind).toBe('forbidden');
    expect(checkAction(stateAfter(...TO_MONITORING), chair, 'increase_budget')).toEqual({
      kind: 'conflict',
      message:
        "The request is in phase 'monitoring', where you cannot increase the approved budget (that happens in phase 'implementation'). " +
        'You may now: cancel, correct_decision.',
    });
    expect(checkAction(stateAfter(...TO_APPROVAL), chair, 'increase_budget')).toEqual({
      kind: 'conflict',
      message:
        "The request is in phase 'approval', where you cannot increase the approved budget (that happens in phase 'implementation'). " +
        'You may now: decide.',
    });
    expect(allowedActions(implementation, chair)).toEqual(['cancel', 'correct_decision', 'increase_budget']);
  });

  it("takes the Chair's office, like deciding", () => {
    const ended: Actor = { ...chair, chairTerm: { startsAt: '2024-01-01T00:00:00.000Z', endsAt: '2025-01-01T00:00:00.000Z' } };
    const state = stateAfter(...TO_APPROVED_40K);
    expect(atMoment('2025-03-01T09:00:00.000Z', () => checkStep(state, ended, increase(50_000)))).toEqual({
      kind: 'forbidden',
      message: 'Your term as Chair ended on 2025-01-01T00:00:00.000Z; the decision belongs to the current Chair.',
    });
    expect(atMoment('2025-03-01T09:00:00.000Z', () => checkStep(state, ended, increase(50_000), { chairTermNotRequired: true }))).toBeNull();
  });

  it.each([
    ['the same budget', 40_000],
    ['a lower budget', 39_999.99],
    ['nothing', 0],
  ])('must go up: %s is invalid', (_label, approvedBudgetEur) => {
    expect(checkStep(stateAfter(...TO_APPROVED_40K), chair, increase(approvedBudgetEur))).toEqual({
      kind: 'invalid',
      field: 'approvedBudgetEur',
      message: 'An increase must raise the approved budget above its current €40,000.',
    });
  });

  it('records from, to, rationale, who and when; the phase stays', () => {
    const run = build(...TO_APPROVED_40K, increaseBudget(50_000, 'A second cohort was requested.'));
    expect(run.state.phase).toBe('implementation');
    expect(run.state.budgetIncreases).toEqual([
      { ...stampOf(chair, at(4)), fromEur: 40_000, toEur: 50_000, rationale: 'A second cohort was requested.' },
    ]);
    expect(run.states[3]).not.toHaveProperty('budgetIncreases');
    expect(run.events[4]).toEqual({
      seq: 5,
      type: 'budget_increased',
      actor: { userId: 'u-chair', name: 'Chair Office 2025', role: 'chair' },
      at: at(4),
      phaseBefore: 'implementation',
      phaseAfter: 'implementation',
      payload: { fromEur: 40_000, toEur: 50_000, rationale: 'A second cohort was requested.' },
    });
    // The approval itself is not rewritten.
    expect(run.state.decisions).toEqual(run.states[3]!.decisions);
    expect(run.state.decisions.at(-1)?.approvedBudgetEur).toBe(40_000);
  });

  it('then more can be planned, up to the new budget exactly', () => {
    const full = [...TO_APPROVED_40K, plan('act-1', 'A', { budgetEur: 40_000 })];
    expect(checkStep(stateAfter(...full), secretariat, planStep(10_000))).toEqual(over('€10,000', '€50,000', '€40,000', '€40,000'));
    const raised = stateAfter(...full, increaseBudget(50_000));
    expect(checkStep(raised, secretariat, planStep(10_000))).toBeNull();
    expect(checkStep(raised, secretariat, planStep(10_000.01))).toEqual(over('€10,000.01', '€50,000.01', '€50,000', '€40,000'));
  });

  it('increases chain from the latest one', () => {
    const once = stateAfter(...TO_APPROVED_40K, increaseBudget(50_000));
    expect(checkStep(once, chair, increase(50_000))).toEqual({
      kind: 'invalid',
      field: 'approvedBudgetEur',
      message: 'An increase must raise the approved budget above its current €50,000.',
    });
    expect(checkStep(once, chair, increase(45_000))?.kind).toBe('invalid');
    const run = build(...TO_APPROVED_40K, increaseBudget(50_000, 'Second cohort.'), increaseBudget(60_000.5, 'Interpretation.'));
    expect(run.state.budgetIncreases).toEqual([
      { ...stampOf(chair, at(4)), fromEur: 40_000, toEur: 50_000, rationale: 'Second cohort.' },
      { ...stampOf(chair, at(5)), fromEur: 50_000, toEur: 60_000.5, rationale: 'Interpretation.' },
    ]);
    expect(approvedBudget(run.state)).toBe(60_000.5);
    expect(run.events[5]!.payload).toEqual({ fromEur: 50_000, toEur: 60_000.5, rationale: 'Interpretation.' });
  });

  it('leaves its input deep-equal to a clone taken before', () => {
    let state = submit('req-1', SUBMISSION, partner, at(0)).state;
    const path: Move[] = [...TO_APPROVED_40K, increaseBudget(45_000)];
    path.forEach((m, i) => (state = m(state, at(i + 1)).state));
    const before = structuredClone(state);
    const after = applyStep(state, chair, increase(50_000), { now: at(50) }).state;
    expect(state).toEqual(before);
    expect(after.budgetIncreases).not.toBe(state.budgetIncreases);
    expect(after.budgetIncreases).toHaveLength(2);
    expect(state.budgetIncreases).toHaveLength(1);
  });
});
