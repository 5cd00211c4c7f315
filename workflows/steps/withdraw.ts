/** The partner withdraws the request, any time before implementation. */
import { BEFORE_IMPLEMENTATION } from './shared-rules';
import { defineStep } from './step-definition';
import { ended, transition } from './transition';

export type WithdrawStep = { action: 'withdraw'; reason: string };

export const withdraw = defineStep<WithdrawStep>({
  action: 'withdraw',
  rule: {
    phases: BEFORE_IMPLEMENTATION,
    roles: ['partner'],
    ownCountryOnly: true,
  },
  apply: (state, actor, step, { now }) =>
    transition(state, ended(state, 'withdrawn', actor, now, step.reason), actor, now, 'withdrawn', { reason: step.reason }),
});
