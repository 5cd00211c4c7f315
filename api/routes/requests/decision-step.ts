import type { Static } from '@sinclair/typebox';
import { conditionList } from '../../../workflows/request-rules';
import type { Step } from '../../../workflows/request-steps';
import type { DecisionBody } from '../../schemas/request-schemas';

/** The Chair's decision as a workflow step, from the body the decision route and the minutes share. */
export function decisionStep(body: Static<typeof DecisionBody>): Extract<Step, { action: 'decide' }> {
  return {
    action: 'decide',
    decision: body.decision,
    rationale: body.rationale,
    conditions: conditionList(body.conditions),
    approvedBudgetEur: body.approvedBudgetEur ?? null,
    points: body.points ?? [],
  };
}

