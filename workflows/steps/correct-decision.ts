/** The Chair records a correction to the last decision; the decision itself is never edited. */
import { holdsChairOffice } from './shared-rules';
import { defineStep } from './step-definition';
import { stamp, transition } from './transition';

export type CorrectDecisionStep = { action: 'correct_decision'; note: string };

export const correctDecision = defineStep<CorrectDecisionStep>({
  action: 'correct_decision',
  rule: {
    phases: ['revision_requested', 'implementation', 'monitoring'],
    roles: ['chair'],
    precondition: holdsChairOffice,
  },
  apply(state, actor, step, { now }) {
    const by = stamp(actor, now);
    const last = state.decisions.at(-1)!;
    const corrected = { ...last, corrections: [...(last.corrections ?? []), { ...by, note: step.note }] };
    return transition(state, { ...state, decisions: [...state.decisions.slice(0, -1), corrected] }, actor, now, 'decision_corrected', {
      decision: last.decision,
      decidedAt: last.at,
      note: step.note,
    });
  },
});
