/** The Secretariat screens a request: accepts it for review, asks the partner for information, or rejects it. */
import type { Review } from '../request-model';
import { pauseClock, startInformationClock } from '../clocks';
import { defineStep } from './step-definition';
import { ended, stamp, transition } from './transition';

export type ScreenStep = { action: 'screen'; outcome: 'accept' | 'request_information' | 'reject'; note: string };

export const screen = defineStep<ScreenStep>({
  action: 'screen',
  rule: { phases: ['screening'], roles: ['secretariat'] },
  apply(state, actor, step, ctx) {
    const { now } = ctx;
    const by = stamp(actor, now);
    const payload = { outcome: step.outcome, note: step.note };
    if (step.outcome === 'accept') {
      if (!ctx.review) throw new Error('Opening review needs the reviewers and the deadline');
      const { reviewers, deadline, procedure, quorum, remindAt } = ctx.review;
      const review: Review = { openedAt: now, deadline, reviewers, votes: [], closedAt: null, closedBecause: null };
      if (procedure) Object.assign(review, { procedure, quorum: quorum ?? null, remindAt: remindAt ?? null, reminded: false, extensions: [], outcome: null });
      const screeningClock = state.screeningClock === undefined ? {} : { screeningClock: null };
      return transition(state, { ...state, ...screeningClock, phase: 'review', screeningNote: step.note, review }, actor, now, 'screening_accepted', {
        ...payload,
        reviewers,
        deadline,
        ...(procedure ? { procedure, quorum: quorum ?? null } : {}),
      });
    }
    if (step.outcome === 'request_information') {
      const clock = startInformationClock(now, state.policy);
      const exchange = { question: step.note, requested: by, response: null, responded: null, ...(clock ? { clock } : {}) };
      // Waiting for the partner pauses the screening clock, as service desks pause an SLA.
      const screeningClock = state.screeningClock ? { screeningClock: pauseClock(state.screeningClock, now) } : {};
      return transition(
        state,
        { ...state, ...screeningClock, phase: 'awaiting_information', informationExchanges: [...state.informationExchanges, exchange] },
        actor,
        now,
        'information_requested',
        payload,
      );
    }
    return transition(state, { ...ended(state, 'rejected', actor, now, step.note), screeningNote: step.note }, actor, now, 'screening_rejected', payload);
  },
});
