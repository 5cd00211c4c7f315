/**
 * The shape of one human step's module (workflows/steps/<action>.ts): its name, who may take it when, what its
 * payload must hold, and what it does to the request — one object, so that a step is written in one place and the
 * registry (index.ts) derives the union of steps, the list of actions and the rules from the modules.
 */
import type { Actor, Phase, RequestState, Role } from '../request-model';
import type { Refusal, RuleOptions } from '../rules/refusal';
import type { StepContext, Transition } from './transition';

/**
 * Who may take an action, in which phase, whatever its payload. Refusals name the action with the catalog's
 * `error.action.<action>` ("screen the request"), in the reader's language.
 */
export interface ActionRule {
  phases: readonly Phase[];
  roles: readonly Role[];
  /** Partners act only on their own country's requests. */
  ownCountryOnly?: boolean;
  /** Does not move the request on (attaching or removing a document): left out of the advice on what to do instead. */
  ancillary?: true;
  /** Extra conditions that depend on the request and the actor but not on the step's payload. */
  precondition?: (state: RequestState, actor: Actor, options: RuleOptions) => Refusal | null;
}

export interface StepDefinition<S extends { action: string }> {
  action: S['action'];
  rule: ActionRule;
  /**
   * What the payload must hold, beyond the rule. Runs after the rule and the date bounds (rules/step-checks.ts);
   * absent when the payload's shape (checked by the API's schema) is all there is to it.
   */
  check?: (state: RequestState, actor: Actor, step: S, options: RuleOptions) => Refusal | null;
  /** The next state and the event that explains it. Pure: the workflow persists the event. */
  apply: (state: RequestState, actor: Actor, step: S, ctx: StepContext) => Transition;
}

/** Types a step's module by its payload: `defineStep<VoteStep>({ action: 'vote', … })`. */
export function defineStep<S extends { action: string }>(definition: StepDefinition<S>): StepDefinition<S> {
  return definition;
}

/** The payload type a definition is for. Distributes over a union of definitions. */
export type StepOf<D> = D extends StepDefinition<infer S> ? S : never;
