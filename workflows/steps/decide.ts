/** The Chair decides on a request: approves it (with conditions and a budget), rejects it, or asks for a revision. */
import type { Decision, DecisionValue } from '../request-model';
import { holdsChairOffice } from './shared-rules';
import { defineStep } from './step-definition';
import { ended, reportingFrom, stamp, transition } from './transition';

export type DecideStep = {
  action: 'decide';
  decision: DecisionValue;
  rationale: string;
  /** Items to meet before implementation starts; a single string in steps taken before 2026-11. */
  conditions: string[] | string | null;
  approvedBudgetEur: number | null;
  /** With request_revision: the points the partner must answer. */
  points?: string[];
  /** Set when the decision is one of a meeting's minutes (workflows/meeting-minutes.ts): which meeting took it. */
  meetingId?: string;
};

/** Conditions as items; steps taken before 2026-11 carried them as one text. */
export function conditionList(conditions: string[] | string | null | undefined): string[] {
  if (!conditions) return [];
  return typeof conditions === 'string' ? [conditions] : conditions;
}

export const decide = defineStep<DecideStep>({
  action: 'decide',
  rule: { phases: ['approval'], roles: ['chair'], precondition: holdsChairOffice },
  check: (_state, _actor, step, options) => {
    const conditions = conditionList(step.conditions);
    if (step.decision !== 'approve' && (step.approvedBudgetEur !== null || conditions.length > 0)) {
      return {
        kind: 'invalid',
        field: step.approvedBudgetEur !== null ? 'approvedBudgetEur' : 'conditions',
        key: 'error.approvalOnly',
      };
    }
    if (step.decision !== 'request_revision' && (step.points ?? []).length > 0) {
      return { kind: 'invalid', field: 'points', key: 'error.revisionOnlyPoints' };
    }
    if (step.decision === 'request_revision' && !options.proceduresNotApplied && (step.points ?? []).length === 0) {
      return { kind: 'invalid', field: 'points', key: 'error.listPoints' };
    }
    return null;
  },
  apply(state, actor, step, { now }) {
    const by = stamp(actor, now);
    const approve = step.decision === 'approve';
    const decision: Decision = {
      ...by,
      decision: step.decision,
      rationale: step.rationale,
      conditions: approve ? conditionList(step.conditions) : [],
      approvedBudgetEur: approve ? (step.approvedBudgetEur ?? state.submission.estimatedBudgetEur) : null,
      ...(step.decision === 'request_revision' && step.points?.length ? { points: step.points } : {}),
      ...(step.meetingId ? { meetingId: step.meetingId } : {}),
    };
    const decisions = [...state.decisions, decision];
    const payload = {
      decision: decision.decision,
      rationale: decision.rationale,
      conditions: decision.conditions,
      approvedBudgetEur: decision.approvedBudgetEur,
      ...(decision.points ? { points: decision.points } : {}),
      ...(decision.meetingId ? { meetingId: decision.meetingId } : {}),
    };
    if (approve) {
      const conditions = decision.conditions.map((text) => ({ text, met: null }));
      return transition(state, { ...state, ...reportingFrom(now, state), phase: 'implementation', decisions, conditions }, actor, now, 'approved', payload);
    }
    if (step.decision === 'reject') {
      return transition(state, { ...ended(state, 'rejected', actor, now, step.rationale), decisions }, actor, now, 'rejected', payload);
    }
    return transition(state, { ...state, phase: 'revision_requested', decisions }, actor, now, 'revision_requested', payload);
  },
});
