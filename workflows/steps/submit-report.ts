/** A progress report during implementation, or the final one after it; the Secretariat then reviews it. */
import type { Indicators, ReportKind } from '../request-model';
import { startReportingClock } from '../clocks';
import { defineStep } from './step-definition';
import { stamp, transition } from './transition';

export type SubmitReportStep = { action: 'submit_report'; kind: ReportKind; summary: string; indicators: Indicators | null };

export const submitReport = defineStep<SubmitReportStep>({
  action: 'submit_report',
  rule: {
    phases: ['implementation', 'monitoring'],
    roles: ['partner', 'secretariat'],
    ownCountryOnly: true,
  },
  check: (state, _actor, step) => {
    if (step.kind === 'final' && state.phase !== 'monitoring') {
      return { kind: 'conflict', key: 'error.finalReportTooEarly' };
    }
    return null;
  },
  apply(state, actor, step, { now }) {
    const by = stamp(actor, now);
    const report = { ...by, kind: step.kind, summary: step.summary, indicators: step.indicators, status: 'submitted' as const, reviewed: null };
    // A report answers the report that was due; the next progress report falls due one interval later.
    const reportingClock =
      state.reportingClock === undefined
        ? {}
        : { reportingClock: step.kind === 'final' ? null : state.phase === 'implementation' ? startReportingClock(now, 'progress', state.policy) : state.reportingClock };
    return transition(state, { ...state, ...reportingClock, reports: [...state.reports, report] }, actor, now, 'report_submitted', {
      kind: step.kind,
      summary: step.summary,
      indicators: step.indicators,
    });
  },
});
