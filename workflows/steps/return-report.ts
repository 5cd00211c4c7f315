/** The Secretariat returns a submitted report with comments; the partner answers it with a new one. */
import { awaitingReview, reportReviewRefusal, reviewReport } from './report-review';
import { defineStep } from './step-definition';

export type ReturnReportStep = { action: 'return_report'; reportIndex: number; comments: string };

export const returnReport = defineStep<ReturnReportStep>({
  action: 'return_report',
  rule: {
    phases: ['implementation', 'monitoring'],
    roles: ['secretariat'],
    precondition: awaitingReview,
  },
  check: (state, _actor, step) => reportReviewRefusal(state, step.reportIndex),
  apply: (state, actor, step, { now }) => reviewReport(state, actor, now, step.reportIndex, false, step.comments),
});
