/** The Secretariat marks a condition of the approval as met; implementation starts once all are. */
import type { Refusal } from '../rules/refusal';
import { defineStep } from './step-definition';
import { stamp, transition } from './transition';

export type MeetConditionStep = { action: 'meet_condition'; conditionIndex: number; note: string };

export const meetCondition = defineStep<MeetConditionStep>({
  action: 'meet_condition',
  rule: {
    phases: ['implementation'],
    roles: ['secretariat'],
    precondition: (state) =>
      (state.conditions ?? []).some((c) => c.met === null)
        ? null
        : { kind: 'conflict', key: 'error.allConditionsMet' },
  },
  check: (state, _actor, step): Refusal | null => {
    const condition = (state.conditions ?? [])[step.conditionIndex];
    if (!condition) {
      return { kind: 'not_found', field: 'conditionIndex', key: 'error.noSuchCondition', values: { conditionIndex: step.conditionIndex } };
    }
    if (condition.met) {
      return { kind: 'conflict', key: 'error.conditionAlreadyMet', values: { condition: condition.text, at: condition.met.at } };
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
