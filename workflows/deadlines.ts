import type { EventType } from './event-types';
import { dueNow, type DueKind } from './due-now';
import { SYSTEM_ACTOR, type RequestState } from './request-model';
import { concludeReview, transition, type Transition } from './request-transitions';

/**
 * What the clock does to a request: reminders, escalations and expiries, each due once at a known moment.
 * `nextDeadline` says which comes next and when; the workflow sleeps until then (a durable timer) unless a step
 * changes the request first, and then `fireDeadline` says what happens. Pure.
 */

export type DeadlineKind =
  | 'screening_reminder'
  | 'screening_deadline'
  | 'information_reminder'
  | 'information_deadline'
  | 'review_reminder'
  | 'review_deadline'
  | 'report_reminder'
  | 'report_deadline';

export interface Deadline {
  kind: DeadlineKind;
  at: string;
}

const DEADLINE_KINDS: Record<DueKind, { reminder: DeadlineKind; expiry: DeadlineKind }> = {
  screening: { reminder: 'screening_reminder', expiry: 'screening_deadline' },
  information: { reminder: 'information_reminder', expiry: 'information_deadline' },
  review: { reminder: 'review_reminder', expiry: 'review_deadline' },
  report: { reminder: 'report_reminder', expiry: 'report_deadline' },
};

/** The next reminder or expiry of what is due now (due-now.ts), unless it has fired already. */
export function nextDeadline(state: RequestState): Deadline | null {
  const due = dueNow(state);
  if (!due || due.expired) return null;
  const kinds = DEADLINE_KINDS[due.kind];
  return due.remindAt ? { kind: kinds.reminder, at: due.remindAt } : { kind: kinds.expiry, at: due.by };
}

const system = (state: RequestState, next: RequestState, now: string, type: EventType, payload: Record<string, unknown>): Transition =>
  transition(state, next, SYSTEM_ACTOR, now, type, payload);

export function fireDeadline(state: RequestState, kind: DeadlineKind, now: string): Transition[] {
  switch (kind) {
    case 'screening_reminder': {
      const clock = state.screeningClock!;
      return [system(state, { ...state, screeningClock: { ...clock, reminded: true } }, now, 'screening_reminder', { deadline: clock.deadline, to: ['secretariat'] })];
    }
    case 'screening_deadline': {
      const clock = state.screeningClock!;
      // Screening is late: the Chair is told, and the request stays with the Secretariat.
      return [
        system(state, { ...state, screeningClock: { ...clock, expired: true } }, now, 'screening_escalated', {
          deadline: clock.deadline,
          to: ['chair', 'secretariat'],
        }),
      ];
    }
    case 'information_reminder': {
      const exchanges = state.informationExchanges.map((e, i, all) => (i === all.length - 1 && e.clock ? { ...e, clock: { ...e.clock, reminded: true } } : e));
      return [
        system(state, { ...state, informationExchanges: exchanges }, now, 'information_reminder', {
          deadline: exchanges.at(-1)?.clock?.deadline,
          to: [`partner:${state.submission.country}`],
        }),
      ];
    }
    case 'information_deadline': {
      const exchanges = state.informationExchanges.map((e, i, all) => (i === all.length - 1 && e.clock ? { ...e, clock: { ...e.clock, expired: true } } : e));
      const ending = { by: SYSTEM_ACTOR, at: now, reason: 'no_response' };
      return [
        system(state, { ...state, informationExchanges: exchanges, phase: 'withdrawn', ending }, now, 'withdrawn', {
          reason: 'no_response',
          deadline: exchanges.at(-1)?.clock?.deadline,
        }),
      ];
    }
    case 'review_reminder': {
      const review = state.review!;
      const voted = new Set(review.votes.map((v) => v.by.userId));
      const pending = review.reviewers.filter((r) => !r.conflicted && !voted.has(r.userId)).map((r) => r.name);
      return [system(state, { ...state, review: { ...review, reminded: true } }, now, 'review_reminder', { deadline: review.deadline, to: pending })];
    }
    case 'review_deadline':
      return concludeReview(state, 'deadline_passed', now);
    case 'report_reminder': {
      const clock = state.reportingClock!;
      return [
        system(state, { ...state, reportingClock: { ...clock, reminded: true } }, now, 'report_reminder', {
          kind: clock.kind,
          dueAt: clock.deadline,
          to: [`partner:${state.submission.country}`, 'secretariat'],
        }),
      ];
    }
    case 'report_deadline': {
      const clock = state.reportingClock!;
      // Overdue: on record and visible in the state until the report comes in.
      return [system(state, { ...state, reportingClock: { ...clock, expired: true } }, now, 'report_overdue', { kind: clock.kind, dueAt: clock.deadline })];
    }
  }
}
