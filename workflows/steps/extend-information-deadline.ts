/** The Secretariat gives the partner more time to answer its request for information. */
import { extendClock } from '../clocks';
import { extensionRefusal } from './deadline-extension';
import { defineStep } from './step-definition';
import { stamp, transition } from './transition';

export type ExtendInformationDeadlineStep = { action: 'extend_information_deadline'; until: string; reason: string };

export const extendInformationDeadline = defineStep<ExtendInformationDeadlineStep>({
  action: 'extend_information_deadline',
  rule: {
    phases: ['awaiting_information'],
    roles: ['secretariat'],
    precondition: (state) =>
      state.informationExchanges.at(-1)?.clock
        ? null
        : { kind: 'conflict', key: 'error.noInformationDeadline' },
  },
  check: (state, _actor, step) => extensionRefusal(state.informationExchanges.at(-1)?.clock?.deadline, step.until),
  apply(state, actor, step, { now }) {
    const by = stamp(actor, now);
    const exchanges = state.informationExchanges.map((exchange, index, all) =>
      index === all.length - 1 && exchange.clock
        ? { ...exchange, clock: extendClock(exchange.clock, step.until, state.policy?.informationReminderLead, { ...by, deadline: step.until, reason: step.reason }) }
        : exchange,
    );
    return transition(state, { ...state, informationExchanges: exchanges }, actor, now, 'information_deadline_extended', {
      until: step.until,
      reason: step.reason,
    });
  },
});
