/** The Chair cancels an approved request, during implementation or monitoring. */
import { holdsChairOffice } from './shared-rules';
import { defineStep } from './step-definition';
import { ended, transition } from './transition';

export type CancelStep = { action: 'cancel'; reason: string };

export const cancel = defineStep<CancelStep>({
  action: 'cancel',
  rule: {
    phases: ['implementation', 'monitoring'],
    roles: ['chair'],
    precondition: holdsChairOffice,
  },
  apply: (state, actor, step, { now }) =>
    transition(state, ended(state, 'cancelled', actor, now, step.reason), actor, now, 'cancelled', { reason: step.reason }),
});
