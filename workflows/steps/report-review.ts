/**
 * What accepting a report (accept-report.ts) and returning it (return-report.ts) share: both review the report
 * that waits, by its index, and record the review on it; one event type each.
 */
import type { Actor, RequestState } from '../request-model';
import { startReportingClock } from '../clocks';
import type { Refusal } from '../rules/refusal';
import { stamp, transition, type Transition } from './transition';

export function awaitingReview(state: RequestState): Refusal | null {
  return state.reports.some((r) => r.status === 'submitted')
    ? null
    : { kind: 'conflict', key: 'error.noReportWaiting' };
}

export function reportReviewRefusal(state: RequestState, reportIndex: number): Refusal | null {
  const report = state.reports[reportIndex];
  if (!report) return { kind: 'not_found', field: 'reportIndex', key: 'error.noSuchReport', values: { reportIndex } };
  if (report.status !== 'submitted') {
    return { kind: 'conflict', key: 'error.reportReviewed', values: { reportIndex, status: report.status ?? 'none' } };
  }
  return null;
}

/** `comments` is null for an acceptance. */
export function reviewReport(state: RequestState, actor: Actor, now: string, reportIndex: number, accepted: boolean, comments: string | null): Transition {
  const by = stamp(actor, now);
  const reports = state.reports.map((r, i) =>
    i === reportIndex ? { ...r, status: accepted ? ('accepted' as const) : ('returned' as const), reviewed: { ...by, comments } } : r,
  );
  // A returned final report is due again: the partner answers it with a new one.
  const returnedFinal = !accepted && state.reports[reportIndex]?.kind === 'final' && state.reportingClock !== undefined;
  const reportingClock = returnedFinal ? { reportingClock: startReportingClock(now, 'final', state.policy) } : {};
  return transition(state, { ...state, ...reportingClock, reports }, actor, now, accepted ? 'report_accepted' : 'report_returned', {
    reportIndex,
    kind: state.reports[reportIndex]?.kind,
    comments,
  });
}
