/**
 * What a step's payload must hold, beyond who may take it when (permissions.ts): the checks every step shares, then
 * the step's own (its module's `check`, steps/<action>.ts).
 */
import type { Actor, RequestState } from '../request-model';
import { stepDefinition, type Step } from '../steps';
import { dateOutOfBounds } from '../step-dates';
import { checkAction } from './permissions';
import type { Refusal, RuleOptions } from './refusal';

export { conditionList } from '../steps/decide';

/** May this actor take this exact step now? Adds the checks that depend on the payload. */
export function checkStep(state: RequestState, actor: Actor, step: Step, options: RuleOptions = {}): Refusal | null {
  const refusal = checkAction(state, actor, step.action, options);
  if (refusal) return refusal;
  const outOfBounds = options.dateBoundsNotApplied ? null : dateOutOfBounds(step);
  if (outOfBounds) return { kind: 'invalid', ...outOfBounds };
  return stepDefinition(step.action).check?.(state, actor, step, options) ?? null;
}
