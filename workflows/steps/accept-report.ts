/** The Secretariat accepts a submitted report (an accepted final report lets the request close). */
import { awaitingReview, reportReviewRefusal, reviewReport } from './report-review';
import { defineStep } from './step-definition';

export type AcceptReportStep = { action: 'accept_report'; reportIndex: number };

export const acceptReport = defineStep<AcceptReportStep>({
  action: 'accept_report',
  rule: {
    phases: ['implementation', 'monitoring'],
    roles: ['secretariat'],
    precondition: awaitingReview,
  },
  check: (state, _actor, step) => reportReviewRefusal(state, step.reportIndex),
  apply: (state, actor, step, { now }) => reviewReport(state, actor, now, step.reportIndex, true, null),
});
