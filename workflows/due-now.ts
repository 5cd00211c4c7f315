import type { RequestState } from './request-model';

/**
 * What is due now, and by when: the one answer the workflow's timers (deadlines.ts), the read model's `due_at`
 * column and the `waitingFor` people read all take. Pure.
 *
 * The clock of the phase: screening (not while paused, waiting for the partner), the partner's answer, the
 * committee's review, the next report (progress during implementation, final after it). A clock that expired stays
 * what is due (the request is overdue until somebody acts); the timers skip it, having fired it already.
 */
export type DueKind = 'screening' | 'information' | 'review' | 'report';

export interface DueNow {
  kind: DueKind;
  /** The deadline. */
  by: string;
  /** When whoever must act is reminded, if that is still to come. */
  remindAt: string | null;
  /** The deadline has passed and fired (an escalation, an overdue report); a review closes at its deadline instead. */
  expired: boolean;
}

export function dueNow(state: RequestState): DueNow | null {
  switch (state.phase) {
    case 'screening': {
      const clock = state.screeningClock;
      return clock && !clock.pausedAt ? fromClock('screening', clock) : null;
    }
    case 'awaiting_information': {
      const clock = state.informationExchanges.at(-1)?.clock;
      return clock && !clock.pausedAt ? fromClock('information', clock) : null;
    }
    case 'review': {
      const review = state.review;
      if (!review) return null;
      const remindAt = review.remindAt && !review.reminded && review.remindAt < review.deadline ? review.remindAt : null;
      return { kind: 'review', by: review.deadline, remindAt, expired: false };
    }
    case 'implementation':
    case 'monitoring':
      return state.reportingClock ? fromClock('report', state.reportingClock) : null;
    default:
      return null;
  }
}

function fromClock(kind: DueKind, clock: { deadline: string; remindAt: string | null; reminded: boolean; expired: boolean }): DueNow {
  const remindAt = clock.remindAt && !clock.reminded && clock.remindAt < clock.deadline ? clock.remindAt : null;
  return { kind, by: clock.deadline, remindAt, expired: clock.expired };
}
