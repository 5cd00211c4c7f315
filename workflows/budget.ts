import type { ImplementationActivity, RequestState } from './request-model';

/** Approved, planned and spent money of a request: derived from its state, never stored twice. Pure. */

export interface BudgetSummary {
  approvedEur: number | null;
  plannedEur: number;
  spentEur: number;
  /** What can still be planned: approved minus planned. */
  availableEur: number | null;
}

/** The budget of the approval, as raised by any increases the Chair granted since. */
export function approvedBudget(state: RequestState): number | null {
  const increase = state.budgetIncreases?.at(-1);
  if (increase) return increase.toEur;
  const approval = [...state.decisions].reverse().find((d) => d.decision === 'approve');
  return approval?.approvedBudgetEur ?? null;
}

/** Money committed to activities that still count: everything but cancelled ones. */
export const plannedBudget = (activities: ImplementationActivity[]): number =>
  cents(activities.filter((a) => a.status !== 'cancelled').reduce((sum, a) => sum + a.budgetEur, 0));

export const spentBudget = (activities: ImplementationActivity[]): number =>
  cents(activities.reduce((sum, a) => sum + (a.spentEur ?? 0), 0));

export function budgetSummary(state: RequestState): BudgetSummary {
  const approvedEur = approvedBudget(state);
  const plannedEur = plannedBudget(state.activities);
  return {
    approvedEur,
    plannedEur,
    spentEur: spentBudget(state.activities),
    availableEur: approvedEur === null ? null : cents(approvedEur - plannedEur),
  };
}

/** Sums of euro amounts, rounded to the cent (0.1 + 0.2 is 0.30, not 0.30000000000000004). */
function cents(amount: number): number {
  return Math.round(amount * 100) / 100;
}
