import { PHASES, TERMINAL_PHASES, type Actor, type Phase, type RequestState, type Role } from '../request-model';
import { ACTIONS, type Action } from '../request-steps';
import { FINAL_ACTIVITY_STATUSES } from './activity-status';
import type { Refusal, RuleOptions } from './refusal';

/**
 * Who may take which action, in which phase, whatever its payload (`ACTION_RULES`, one entry per action), and so
 * what a person may do now (`allowedActions`). Pure: the workflow's validators and the API use the same words.
 */

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

interface ActionRule {
  phases: readonly Phase[];
  roles: readonly Role[];
  /** Partners act only on their own country's requests. */
  ownCountryOnly?: boolean;
  describe: string;
  /** Does not move the request on (attaching or removing a document): left out of the advice on what to do instead. */
  ancillary?: true;
  /** Extra conditions that depend on the request and the actor but not on the step's payload. */
  precondition?: (state: RequestState, actor: Actor, options: RuleOptions) => Refusal | null;
}

/**
 * Authority belongs to the office for its term, not to the person: a chair decides only while a term covers
 * the moment. `new Date()` is the workflow's own deterministic clock when this runs in a validator.
 */
function holdsChairOffice(_state: RequestState, actor: Actor, options: RuleOptions): Refusal | null {
  if (options.chairTermNotRequired) return null;
  const term = actor.chairTerm;
  const now = new Date().toISOString();
  if (!term) {
    return { kind: 'forbidden', message: 'You do not hold the Chair office now: no term of yours covers this moment. An administrator hands the office over.' };
  }
  if (now < term.startsAt) {
    return { kind: 'forbidden', message: `Your term as Chair starts on ${term.startsAt}; until then the decision belongs to the current Chair.` };
  }
  if (now >= term.endsAt) {
    return { kind: 'forbidden', message: `Your term as Chair ended on ${term.endsAt}; the decision belongs to the current Chair.` };
  }
  return null;
}

function awaitingReview(state: RequestState): Refusal | null {
  return state.reports.some((r) => r.status === 'submitted')
    ? null
    : { kind: 'conflict', message: 'No report is waiting for review.' };
}

const BEFORE_IMPLEMENTATION: readonly Phase[] = [
  'screening',
  'awaiting_information',
  'review',
  'approval',
  'revision_requested',
];

/** A request keeps at most this many documents, so that its state (carried in every step's answer) stays small. */
export const MAX_DOCUMENTS = 100;

const IN_PROGRESS: readonly Phase[] = PHASES.filter((phase) => !TERMINAL_PHASES.includes(phase));

export const ACTION_RULES: Record<Action, ActionRule> = {
  screen: { phases: ['screening'], roles: ['secretariat'], describe: 'screen the request' },
  provide_information: {
    phases: ['awaiting_information'],
    roles: ['partner'],
    ownCountryOnly: true,
    describe: 'answer the Secretariat’s request for information',
  },
  vote: {
    phases: ['review'],
    roles: ['sc_member'],
    describe: 'record a vote in the Steering Committee review',
    precondition: (state, actor) => {
      const reviewer = state.review?.reviewers.find((r) => r.userId === actor.userId);
      if (!reviewer) {
        return {
          kind: 'forbidden',
          message: 'You were not a Steering Committee member when this review opened, so you cannot vote on it.',
        };
      }
      if (reviewer.conflicted) {
        return {
          kind: 'forbidden',
          message: `This request comes from ${state.submission.country}, the country you represent; to avoid a conflict of interest you do not review it.`,
        };
      }
      // Members may change their vote until the review closes; the last one counts and all stay on record.
      return null;
    },
  },
  decide: { phases: ['approval'], roles: ['chair'], describe: 'decide on the request', precondition: holdsChairOffice },
  extend_review: {
    phases: ['review'],
    roles: ['chair'],
    describe: 'extend the review deadline',
    precondition: holdsChairOffice,
  },
  close_review: {
    phases: ['review'],
    roles: ['chair'],
    describe: 'close the review early and decide',
    precondition: holdsChairOffice,
  },
  correct_decision: {
    phases: ['revision_requested', 'implementation', 'monitoring'],
    roles: ['chair'],
    describe: 'record a correction to the last decision',
    precondition: holdsChairOffice,
  },
  extend_information_deadline: {
    phases: ['awaiting_information'],
    roles: ['secretariat'],
    describe: 'extend the partner’s deadline to answer',
    precondition: (state) =>
      state.informationExchanges.at(-1)?.clock
        ? null
        : { kind: 'conflict', message: 'This request has no deadline for the partner’s answer to extend.' },
  },
  meet_condition: {
    phases: ['implementation'],
    roles: ['secretariat'],
    describe: 'mark a condition of the approval as met',
    precondition: (state) =>
      (state.conditions ?? []).some((c) => c.met === null)
        ? null
        : { kind: 'conflict', message: 'Every condition of the approval is already met (or there were none).' },
  },
  revise: {
    phases: ['revision_requested'],
    roles: ['partner'],
    ownCountryOnly: true,
    describe: 'revise the request as the Chair asked',
  },
  plan_activity: { phases: ['implementation'], roles: ['secretariat'], describe: 'plan an activity' },
  update_activity: {
    phases: ['implementation'],
    roles: ['secretariat'],
    describe: 'update an activity’s status',
    precondition: (state) =>
      state.activities.some((a) => !FINAL_ACTIVITY_STATUSES.includes(a.status))
        ? null
        : { kind: 'conflict', message: 'Every activity is already held or cancelled; plan a new one first.' },
  },
  increase_budget: {
    phases: ['implementation'],
    roles: ['chair'],
    describe: 'increase the approved budget',
    precondition: holdsChairOffice,
  },
  complete_implementation: {
    phases: ['implementation'],
    roles: ['secretariat'],
    describe: 'complete implementation',
    precondition: (state) => {
      if (state.activities.length === 0) {
        return { kind: 'conflict', message: 'Plan at least one activity before completing implementation.' };
      }
      const open = state.activities.filter((a) => !FINAL_ACTIVITY_STATUSES.includes(a.status));
      if (open.length > 0) {
        return {
          kind: 'conflict',
          message: `Implementation cannot complete while activities are still planned, confirmed or postponed: ${open
            .map((a) => `'${a.title}' (${a.status})`)
            .join(', ')}. Record each as held or cancelled first.`,
        };
      }
      return null;
    },
  },
  submit_report: {
    phases: ['implementation', 'monitoring'],
    roles: ['partner', 'secretariat'],
    ownCountryOnly: true,
    describe: 'submit a report',
  },
  close: {
    phases: ['monitoring'],
    roles: ['secretariat'],
    describe: 'close the request with lessons learned',
    precondition: (state, _actor, options) => {
      if (!state.reports.some((r) => r.kind === 'final')) {
        return { kind: 'conflict', message: 'A request closes only after its final report; submit a report of kind "final" first.' };
      }
      if (!options.reportReviewsNotApplied && !state.reports.some((r) => r.kind === 'final' && r.status === 'accepted')) {
        return { kind: 'conflict', message: 'A request closes only once its final report is accepted; accept it (or return it for changes) first.' };
      }
      return null;
    },
  },
  accept_report: {
    phases: ['implementation', 'monitoring'],
    roles: ['secretariat'],
    describe: 'accept a report',
    precondition: awaitingReview,
  },
  return_report: {
    phases: ['implementation', 'monitoring'],
    roles: ['secretariat'],
    describe: 'return a report with comments',
    precondition: awaitingReview,
  },
  attach_document: {
    phases: IN_PROGRESS,
    roles: ['partner', 'secretariat'],
    ownCountryOnly: true,
    describe: 'attach a document',
    ancillary: true,
    precondition: (state) =>
      (state.documents ?? []).length < MAX_DOCUMENTS
        ? null
        : { kind: 'conflict', message: `This request already has ${MAX_DOCUMENTS} documents, the most one request keeps. Combine documents into one file.` },
  },
  remove_document: {
    phases: IN_PROGRESS,
    roles: ['partner', 'secretariat'],
    ownCountryOnly: true,
    describe: 'remove a document',
    ancillary: true,
    precondition: (state) =>
      (state.documents ?? []).some((d) => !d.removed) ? null : { kind: 'conflict', message: 'This request has no documents to remove.' },
  },
  withdraw: {
    phases: BEFORE_IMPLEMENTATION,
    roles: ['partner'],
    ownCountryOnly: true,
    describe: 'withdraw the request',
  },
  cancel: {
    phases: ['implementation', 'monitoring'],
    roles: ['chair'],
    describe: 'cancel the request',
    precondition: holdsChairOffice,
  },
};

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
