/**
 * The registry of human steps: one module per step, listed here in the order of ACTIONS — the order `allowedActions`
 * answers in and the workflow registers its updates in, so it must not change. Everything else about the steps
 * (the union of payloads, the list of actions, the rules by action, the lookup that checks and applies a step) is
 * derived from this list. A new step is a module of its own and one line here.
 */
import type { ActionRule, StepDefinition, StepOf } from './step-definition';
import { screen } from './screen';
import { provideInformation } from './provide-information';
import { vote } from './vote';
import { decide } from './decide';
import { revise } from './revise';
import { planActivity } from './plan-activity';
import { updateActivity } from './update-activity';
import { completeImplementation } from './complete-implementation';
import { submitReport } from './submit-report';
import { close } from './close';
import { withdraw } from './withdraw';
import { cancel } from './cancel';
import { extendInformationDeadline } from './extend-information-deadline';
import { extendReview } from './extend-review';
import { closeReviewEarly } from './close-review';
import { meetCondition } from './meet-condition';
import { correctDecision } from './correct-decision';
import { increaseBudget } from './increase-budget';
import { acceptReport } from './accept-report';
import { returnReport } from './return-report';
import { attachDocument } from './attach-document';
import { removeDocument } from './remove-document';

export const STEPS = [
  screen,
  provideInformation,
  vote,
  decide,
  revise,
  planActivity,
  updateActivity,
  completeImplementation,
  submitReport,
  close,
  withdraw,
  cancel,
  extendInformationDeadline,
  extendReview,
  closeReviewEarly,
  meetCondition,
  correctDecision,
  increaseBudget,
  acceptReport,
  returnReport,
  attachDocument,
  removeDocument,
] as const;

/**
 * Every human step on a request, as one discriminated union. The API builds these from HTTP bodies; the
 * workflow validates and applies them; the rules say who may take which, when.
 */
export type Step = StepOf<(typeof STEPS)[number]>;
export type Action = Step['action'];
/** The payload of one action. */
export type StepFor<A extends Action> = Extract<Step, { action: A }>;

export const ACTIONS: readonly Action[] = STEPS.map((definition) => definition.action);
if (new Set(ACTIONS).size !== ACTIONS.length) throw new Error(`Two step modules are registered for one action: ${ACTIONS.join(', ')}`);

type Definitions = { [A in Action]: StepDefinition<StepFor<A>> };
// Each definition is keyed by its own action (and each action is registered once, as checked above).
const DEFINITIONS = Object.fromEntries(STEPS.map((definition) => [definition.action, definition])) as Definitions;

/** The module of an action: its rule, its payload check, its transition. */
export function stepDefinition<A extends Action>(action: A): StepDefinition<StepFor<A>> {
  return DEFINITIONS[action];
}

export const ACTION_RULES: Record<Action, ActionRule> = Object.fromEntries(STEPS.map((definition) => [definition.action, definition.rule])) as Record<
  Action,
  ActionRule
>;

export type { ActionRule, StepDefinition } from './step-definition';
export type { StepContext, Transition } from './transition';
