/** The partner answers the Secretariat's request for information; screening resumes. */
import { resumeClock } from '../clocks';
import { defineStep } from './step-definition';
import { stamp, transition } from './transition';

export type ProvideInformationStep = { action: 'provide_information'; response: string };

export const provideInformation = defineStep<ProvideInformationStep>({
  action: 'provide_information',
  rule: {
    phases: ['awaiting_information'],
    roles: ['partner'],
    ownCountryOnly: true,
  },
  apply(state, actor, step, { now }) {
    const by = stamp(actor, now);
    const exchanges = state.informationExchanges.map((exchange, index, all) =>
      index === all.length - 1 ? { ...exchange, response: step.response, responded: by } : exchange,
    );
    const screeningClock = state.screeningClock ? { screeningClock: resumeClock(state.screeningClock, now) } : {};
    return transition(state, { ...state, ...screeningClock, phase: 'screening', informationExchanges: exchanges }, actor, now, 'information_provided', {
      response: step.response,
    });
  },
});
