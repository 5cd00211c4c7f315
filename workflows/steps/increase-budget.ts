/** The Chair raises the approved budget during implementation. */
import { inEuros } from '../../i18n/localized';
import { approvedBudget } from '../budget';
import { holdsChairOffice } from './shared-rules';
import { defineStep } from './step-definition';
import { stamp, transition } from './transition';

export type IncreaseBudgetStep = { action: 'increase_budget'; approvedBudgetEur: number; rationale: string };

export const increaseBudget = defineStep<IncreaseBudgetStep>({
  action: 'increase_budget',
  rule: {
    phases: ['implementation'],
    roles: ['chair'],
    precondition: holdsChairOffice,
  },
  check: (state, _actor, step) => {
    const approved = approvedBudget(state);
    if (approved === null) return { kind: 'conflict', key: 'error.noApprovedBudget' };
    if (step.approvedBudgetEur <= approved) {
      return {
        kind: 'invalid',
        field: 'approvedBudgetEur',
        key: 'error.increaseTooSmall',
        values: { approved: inEuros(approved) },
      };
    }
    return null;
  },
  apply(state, actor, step, { now }) {
    const by = stamp(actor, now);
    const fromEur = approvedBudget(state) ?? 0;
    const increase = { ...by, fromEur, toEur: step.approvedBudgetEur, rationale: step.rationale };
    return transition(state, { ...state, budgetIncreases: [...(state.budgetIncreases ?? []), increase] }, actor, now, 'budget_increased', {
      fromEur,
      toEur: step.approvedBudgetEur,
      rationale: step.rationale,
    });
  },
});
