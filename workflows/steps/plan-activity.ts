/** The Secretariat plans an activity of the approved request, within the approved budget. */
import type { ActivityType, BudgetLine, Venue } from '../request-model';
import { inEuros } from '../../i18n/localized';
import { approvedBudget, plannedBudget } from '../budget';
import type { Refusal } from '../rules/refusal';
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
  rule: { phases: ['implementation'], roles: ['secretariat'] },
  check: (state, _actor, step, options): Refusal | null => {
    if (step.endDate < step.startDate) {
      return { kind: 'invalid', field: 'endDate', key: 'error.endBeforeStart' };
    }
    if (step.venue && !step.venue.online && !step.venue.country) {
      return { kind: 'invalid', field: 'venue.country', key: 'error.venueCountry' };
    }
    if (step.budgetLines?.length) {
      const lines = step.budgetLines.reduce((sum, line) => sum + line.amountEur, 0);
      if (Math.abs(lines - step.budgetEur) >= 0.005) {
        return { kind: 'invalid', field: 'budgetLines', key: 'error.budgetLinesSum', values: { lines: inEuros(lines), budget: inEuros(step.budgetEur) } };
      }
    }
    const approved = approvedBudget(state);
    const planned = plannedBudget(state.activities);
    if (!options.activityRulesNotApplied && approved !== null && planned + step.budgetEur > approved + 0.005) {
      return {
        kind: 'conflict',
        key: 'error.overApprovedBudget',
        values: { budget: inEuros(step.budgetEur), total: inEuros(planned + step.budgetEur), approved: inEuros(approved), planned: inEuros(planned) },
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
