import type { Actor, RequestState } from '../request-model';
import { ACTION_RULES, ACTIONS, type Action } from '../steps';
import { anyOf, commaList } from '../../i18n/localized';
import { anyOfRoles, roleNamed, type Refusal, type RuleOptions } from './refusal';

/**
 * Who may take which action, in which phase, whatever its payload, and so what a person may do now
 * (`allowedActions`). Each action's rule is written in its step's module (steps/<action>.ts, `rule`); the
 * registry collects them as `ACTION_RULES`. Pure: the workflow's validators and the API use the same words.
 */

export { ACTION_RULES } from '../steps';
export { MAX_DOCUMENTS } from '../steps/attach-document';

/**
 * Who may submit a request: a National Focal Point, for their own country. The API refuses early with it; the
 * workflow holds it too, so that a request no one could submit is never recorded.
 */
export function submissionRefusal(actor: Actor, country: string): Refusal | null {
  if (actor.role !== 'partner') return { kind: 'forbidden', key: 'error.submitOnlyPartner' };
  if (actor.country !== country) {
    return { kind: 'forbidden', field: 'body.country', key: 'error.submitOwnCountry', values: { own: String(actor.country), country } };
  }
  return null;
}

/** The rule checks without advice; kept apart so that advice (which lists allowed actions) can use it. */
function firstRefusal(
  state: RequestState,
  actor: Actor,
  action: Action,
  options: RuleOptions = {},
): (Refusal & { wrongPhase?: true }) | null {
  const rule = ACTION_RULES[action];
  const what = { key: `error.action.${action}` } as const;
  if (!rule.roles.includes(actor.role)) {
    return { kind: 'forbidden', key: 'error.onlyRolesMay', values: { roles: anyOfRoles(rule.roles), action: what, role: roleNamed(actor.role) } };
  }
  if (rule.ownCountryOnly && actor.role === 'partner' && actor.country !== state.submission.country) {
    return { kind: 'forbidden', key: 'error.onlyOwnFocalPoint', values: { country: state.submission.country, action: what } };
  }
  if (!rule.phases.includes(state.phase)) {
    return {
      kind: 'conflict',
      wrongPhase: true,
      key: 'error.wrongPhase',
      // `advice` (what to do instead) is checkAction's to fill in: it needs allowedActions, which calls this.
      values: { phase: state.phase, action: what, phases: anyOf(rule.phases.map((p) => `'${p}'`)), advice: '' },
    };
  }
  return rule.precondition?.(state, actor, options) ?? null;
}

/** May this actor take this action on this request now, whatever the payload? A refusal says what to do instead. */
export function checkAction(state: RequestState, actor: Actor, action: Action, options: RuleOptions = {}): Refusal | null {
  const refusal = firstRefusal(state, actor, action, options);
  if (!refusal?.wrongPhase) return refusal;
  const allowed = allowedActions(state, actor).filter((allowedAction) => !ACTION_RULES[allowedAction].ancillary);
  const advice = allowed.length > 0 ? { key: 'error.youMayNow', values: { actions: commaList(allowed) } } as const : { key: 'error.nothingToDo' } as const;
  return { kind: refusal.kind, key: refusal.key, values: { ...refusal.values, advice } };
}

export function allowedActions(state: RequestState, actor: Actor): Action[] {
  return ACTIONS.filter((action) => firstRefusal(state, actor, action) === null);
}
