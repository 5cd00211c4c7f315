import type { Actor, RequestState, Role } from '../request-model';
import { ACTION_RULES, ACTIONS, type Action } from '../steps';
import type { Refusal, RuleOptions } from './refusal';

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
  if (actor.role !== 'partner') return { kind: 'forbidden', message: 'Only a National Focal Point (partner) submits requests.' };
  if (actor.country !== country) {
    return { kind: 'forbidden', field: 'body.country', message: `You speak for ${actor.country}; you cannot submit a request for ${country}.` };
  }
  return null;
}

const ROLE_NAMES: Record<Role, string> = {
  partner: 'a National Focal Point (partner)',
  secretariat: 'the Secretariat',
  sc_member: 'a Steering Committee member',
  chair: 'the Chair',
  monitor: 'a monitor',
  admin: 'an administrator',
};

function listRoles(roles: readonly Role[]): string {
  return roles.map((r) => ROLE_NAMES[r]).join(' or ');
}

/** The rule checks without advice; kept apart so that advice (which lists allowed actions) can use it. */
function firstRefusal(
  state: RequestState,
  actor: Actor,
  action: Action,
  options: RuleOptions = {},
): (Refusal & { wrongPhase?: true }) | null {
  const rule = ACTION_RULES[action];
  if (!rule.roles.includes(actor.role)) {
    return {
      kind: 'forbidden',
      message: `Only ${listRoles(rule.roles)} may ${rule.describe}; you are signed in as ${ROLE_NAMES[actor.role]}.`,
    };
  }
  if (rule.ownCountryOnly && actor.role === 'partner' && actor.country !== state.submission.country) {
    return { kind: 'forbidden', message: `Only ${state.submission.country}'s focal point may ${rule.describe}.` };
  }
  if (!rule.phases.includes(state.phase)) {
    return {
      kind: 'conflict',
      wrongPhase: true,
      message:
        `The request is in phase '${state.phase}', where you cannot ${rule.describe} ` +
        `(that happens in phase ${rule.phases.map((p) => `'${p}'`).join(' or ')}).`,
    };
  }
  return rule.precondition?.(state, actor, options) ?? null;
}

/** May this actor take this action on this request now, whatever the payload? A refusal says what to do instead. */
export function checkAction(state: RequestState, actor: Actor, action: Action, options: RuleOptions = {}): Refusal | null {
  const refusal = firstRefusal(state, actor, action, options);
  if (!refusal?.wrongPhase) return refusal;
  const allowed = allowedActions(state, actor).filter((allowedAction) => !ACTION_RULES[allowedAction].ancillary);
  const advice = allowed.length > 0 ? ` You may now: ${allowed.join(', ')}.` : ' There is nothing for you to do on it now.';
  return { kind: refusal.kind, message: refusal.message + advice };
}

export function allowedActions(state: RequestState, actor: Actor): Action[] {
  return ACTIONS.filter((action) => firstRefusal(state, actor, action) === null);
}
