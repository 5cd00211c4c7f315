/** The Secretariat plans an activity of the approved request, within the approved budget. */
import type { ActivityType, BudgetLine, Venue } from '../request-model';
import { approvedBudget, euros, plannedBudget } from '../budget';
import { defineStep } from './step-definition';
import { stamp, transition } from './transition';

export type PlanActivityStep = {
  action: 'plan_activity';
  type: ActivityType;
  title: string;
  startDate: string;
  endDate: string;
  location: string;
  budgetEur: number;
  language?: string | null;
  experts?: string[];
  budgetLines?: BudgetLine[];
  venue?: Venue | null;
};

export const planActivity = defineStep<PlanActivityStep>({
  action: 'plan_activity',
  rule: { phases: ['implementation'], roles: ['secretariat'], describe: 'plan an activity' },
  check: (state, _actor, step, options) => {
    if (step.endDate < step.startDate) {
      return { kind: 'invalid', field: 'endDate', message: 'endDate must be on or after startDate.' };
    }
    if (step.venue && !step.venue.online && !step.venue.country) {
      return { kind: 'invalid', field: 'venue.country', message: 'An activity that is not online takes place in a country: give venue.country.' };
    }
    if (step.budgetLines?.length) {
      const lines = step.budgetLines.reduce((sum, line) => sum + line.amountEur, 0);
      if (Math.abs(lines - step.budgetEur) >= 0.005) {
        return { kind: 'invalid', field: 'budgetLines', message: `The budget lines add up to ${euros(lines)}, not the activity's ${euros(step.budgetEur)}.` };
      }
    }
    const approved = approvedBudget(state);
    const planned = plannedBudget(state.activities);
    if (!options.activityRulesNotApplied && approved !== null && planned + step.budgetEur > approved + 0.005) {
      return {
        kind: 'conflict',
        message:
          `Planning this activity (${euros(step.budgetEur)}) would bring the planned total to ${euros(planned + step.budgetEur)}, ` +
          `above the approved budget of ${euros(approved)} (${euros(planned)} already planned). ` +
          'Plan less, cancel an activity, or ask the Chair for a budget increase.',
      };
    }
    return null;
  },
  apply(state, actor, step, ctx) {
    const { now } = ctx;
    const by = stamp(actor, now);
    if (!ctx.activityId) throw new Error('Planning an activity needs its ID');
    const { action: _action, ...fields } = step;
    const activity = { activityId: ctx.activityId, ...fields, status: 'planned' as const, planned: by, updated: null };
    return transition(state, { ...state, activities: [...state.activities, activity] }, actor, now, 'activity_planned', { activity });
  },
});
