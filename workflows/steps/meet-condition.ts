/** The Secretariat marks a condition of the approval as met; implementation starts once all are. */
import { defineStep } from './step-definition';
import { stamp, transition } from './transition';

export type MeetConditionStep = { action: 'meet_condition'; conditionIndex: number; note: string };

export const meetCondition = defineStep<MeetConditionStep>({
  action: 'meet_condition',
  rule: {
    phases: ['implementation'],
    roles: ['secretariat'],
    describe: 'mark a condition of the approval as met',
    precondition: (state) =>
      (state.conditions ?? []).some((c) => c.met === null)
        ? null
        : { kind: 'conflict', message: 'Every condition of the approval is already met (or there were none).' },
  },
  check: (state, _actor, step) => {
    const condition = (state.conditions ?? [])[step.conditionIndex];
    if (!condition) {
      return { kind: 'not_found', field: 'conditionIndex', message: `The approval has no condition number ${step.conditionIndex}.` };
    }
    if (condition.met) {
      return { kind: 'conflict', message: `Condition '${condition.text}' was already marked met on ${condition.met.at}.` };
    }
    return null;
  },
  apply(state, actor, step, { now }) {
    const by = stamp(actor, now);
    const conditions = (state.conditions ?? []).map((condition, index) =>
      index === step.conditionIndex ? { ...condition, met: { ...by, note: step.note } } : condition,
    );
    return transition(state, { ...state, conditions }, actor, now, 'condition_met', {
      conditionIndex: step.conditionIndex,
      condition: conditions[step.conditionIndex]?.text,
      note: step.note,
    });
  },
});
