/** The Chair raises the approved budget during implementation. */
import { approvedBudget, euros } from '../budget';
import { holdsChairOffice } from './shared-rules';
import { defineStep } from './step-definition';
import { stamp, transition } from './transition';

export type IncreaseBudgetStep = { action: 'increase_budget'; approvedBudgetEur: number; rationale: string };

export const increaseBudget = defineStep<IncreaseBudgetStep>({
  action: 'increase_budget',
  rule: {
    phases: ['implementation'],
    roles: ['chair'],
    describe: 'increase the approved budget',
    precondition: holdsChairOffice,
  },
  check: (state, _actor, step) => {
    const approved = approvedBudget(state);
    if (approved === null) return { kind: 'conflict', message: 'This request has no approved budget to increase.' };
    if (step.approvedBudgetEur <= approved) {
      return {
        kind: 'invalid',
        field: 'approvedBudgetEur',
        message: `An increase must raise the approved budget above its current ${euros(approved)}.`,
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
