import { PHASES, TERMINAL_PHASES, type ActivityStatus, type Actor, type Phase, type RequestState, type Role } from './request-model';
import { ACTIONS, type Action, type Step } from './request-steps';
import { approvedBudget, euros, plannedBudget } from './budget';
import { dateOutOfBounds } from './step-dates';

/**
 * Who may take which step, in which phase. Pure: the workflow's update validators enforce it, and the API
 * uses it to answer `allowedActions` and to refuse early with the same words.
 */

export type RefusalKind = 'forbidden' | 'conflict' | 'invalid' | 'not_found';

export interface Refusal {
  kind: RefusalKind;
  message: string;
  /** The request field or body field the refusal is about, when there is one. */
  field?: string;
}

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

export interface RuleOptions {
  /**
   * For replaying steps taken before the Chair became an office with a term: their actors carry no term.
   * The workflow sets it only where `patched()` says the history predates that rule.
   */
  chairTermNotRequired?: boolean;
  /**
   * For replaying steps taken before the committee procedures (revision points and answers, conditions to meet
   * before implementation): the workflow sets it only where `patched()` says the history predates them.
   */
  proceduresNotApplied?: boolean;
  /**
   * For replaying steps taken before the activity lifecycle and the budget rule (2026-11): activities went
   * straight from planned to done or cancelled, and planning was not checked against the approved budget.
   */
  activityRulesNotApplied?: boolean;
  /** For replaying closures from before report reviews (2026-11): any final report sufficed. */
  reportReviewsNotApplied?: boolean;
  /** For replaying steps from before dates were held to the dialogue's lifetime (2026-12, date-bounds.ts). */
  dateBoundsNotApplied?: boolean;
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

const FINAL_ACTIVITY_STATUSES: readonly ActivityStatus[] = ['held', 'cancelled'];

/** Where an activity may go from each status. */
const NEXT_STATUSES: Record<ActivityStatus, readonly ActivityStatus[]> = {
  planned: ['confirmed', 'postponed', 'cancelled'],
  confirmed: ['held', 'postponed', 'cancelled'],
  postponed: ['confirmed', 'postponed', 'cancelled'],
  held: [],
  cancelled: [],
};

function checkActivityUpdate(state: RequestState, step: Extract<Step, { action: 'update_activity' }>, options: RuleOptions): Refusal | null {
  const activity = state.activities.find((a) => a.activityId === step.activityId);
  if (!activity) {
    return { kind: 'not_found', field: 'activityId', message: `This request has no activity ${step.activityId}.` };
  }
  const unmet = (state.conditions ?? []).filter((c) => c.met === null);
  const conditionsOpen = (): Refusal => ({
    kind: 'conflict',
    message: `Implementation starts only once the approval's conditions are met; still open: ${unmet
      .map((c) => `'${c.text}'`)
      .join(', ')}. Mark each as met first.`,
  });
  if (options.activityRulesNotApplied || step.status === 'done') {
    // The rule before the lifecycle: planned activities became done or cancelled, nothing else.
    if (activity.status !== 'planned') {
      return { kind: 'conflict', message: `Activity '${activity.title}' is already ${activity.status}; only planned activities change status.` };
    }
    if (step.status !== 'done' && step.status !== 'cancelled') {
      return { kind: 'invalid', field: 'status', message: 'Before the activity lifecycle an activity became done or cancelled.' };
    }
    if (step.status === 'done' && unmet.length > 0 && !options.proceduresNotApplied) return conditionsOpen();
    return null;
  }
  if (!NEXT_STATUSES[activity.status].includes(step.status)) {
    const next = NEXT_STATUSES[activity.status];
    return {
      kind: 'conflict',
      message: `Activity '${activity.title}' is ${activity.status}; ` + (next.length ? `it can become ${next.join(', ')}.` : 'that is final.'),
    };
  }
  switch (step.status) {
    case 'confirmed':
      return unmet.length > 0 ? conditionsOpen() : null;
    case 'postponed':
      if (!step.startDate || !step.endDate) return { kind: 'invalid', field: 'startDate', message: 'A postponed activity needs its new startDate and endDate.' };
      if (step.endDate < step.startDate) return { kind: 'invalid', field: 'endDate', message: 'endDate must be on or after startDate.' };
      return step.reason ? null : { kind: 'invalid', field: 'reason', message: 'Say why the activity is postponed.' };
    case 'cancelled':
      return step.reason ? null : { kind: 'invalid', field: 'reason', message: 'Say why the activity is cancelled.' };
    case 'held': {
      const p = step.participants;
      if (!p) return { kind: 'invalid', field: 'participants', message: 'A held activity records its participants (total, women, men, institutions).' };
      if (p.women + p.men > p.total) {
        return { kind: 'invalid', field: 'participants', message: `Women (${p.women}) and men (${p.men}) add up to more than the total (${p.total}).` };
      }
      return step.spentEur === undefined ? { kind: 'invalid', field: 'spentEur', message: 'A held activity records what it cost (spentEur).' } : null;
    }
  }
}

/** Conditions as items; steps taken before 2026-11 carried them as one text. */
export function conditionList(conditions: string[] | string | null | undefined): string[] {
  if (!conditions) return [];
  return typeof conditions === 'string' ? [conditions] : conditions;
}

/** May this actor take this exact step now? Adds the checks that depend on the payload. */
export function checkStep(state: RequestState, actor: Actor, step: Step, options: RuleOptions = {}): Refusal | null {
  const refusal = checkAction(state, actor, step.action, options);
  if (refusal) return refusal;
  const outOfBounds = options.dateBoundsNotApplied ? null : dateOutOfBounds(step);
  if (outOfBounds) return { kind: 'invalid', ...outOfBounds };
  switch (step.action) {
    case 'plan_activity': {
      if (step.endDate < step.startDate) {
        return { kind: 'invalid', field: 'endDate', message: 'endDate must be on or after startDate.' };
      }
      if (step.venue && !step.venue.online && !step.venue.country) {
        return { kind: 'invalid', field: 'venue.country', message: 'An activity that is not online takes place in a country: give venue.country.' };
      }
      if (step.budgetLines?.length) {
        const lines = step.budgetLines.reduce((sum, line) => sum + line.amountEur, 0);
        if (Math.abs(lines - step.budgetEur) >= 0.005) {
          return { kind: 'invalid', field: 'budgetLines', message: `The budget lines add up to ${euros(lines)}, not the activity's ${euros(step.budgetEur)}.` };
        }
      }
      const approved = approvedBudget(state);
      const planned = plannedBudget(state.activities);
      if (!options.activityRulesNotApplied && approved !== null && planned + step.budgetEur > approved + 0.005) {
        return {
          kind: 'conflict',
          message:
            `Planning this activity (${euros(step.budgetEur)}) would bring the planned total to ${euros(planned + step.budgetEur)}, ` +
            `above the approved budget of ${euros(approved)} (${euros(planned)} already planned). ` +
            'Plan less, cancel an activity, or ask the Chair for a budget increase.',
        };
      }
      return null;
    }
    case 'update_activity':
      return checkActivityUpdate(state, step, options);
    case 'remove_document': {
      const document = state.documents?.find((d) => d.documentId === step.documentId);
      if (!document) return { kind: 'not_found', field: 'documentId', message: `This request has no document ${step.documentId}.` };
      if (document.removed) return { kind: 'conflict', message: `'${document.name}' was already removed on ${document.removed.at} by ${document.removed.by.name}.` };
      if (actor.role === 'partner' && document.attached.by.userId !== actor.userId) {
        return { kind: 'forbidden', message: `You may remove only documents you attached; ask the Secretariat to remove '${document.name}'.` };
      }
      return null;
    }
    case 'attach_document': {
      // The API stores the bytes under this key before it sends the step: a document is never recorded without them.
      if (!/^[0-9a-f]{64}$/.test(step.document.sha256)) {
        return { kind: 'invalid', field: 'sha256', message: 'A document is attached with the SHA-256 of its stored bytes.' };
      }
      // The same file twice is a double click or a mix-up, not a second document.
      const twin = state.documents?.find((d) => d.sha256 === step.document.sha256 && !d.removed);
      return twin
        ? { kind: 'conflict', message: `This file is already attached to the request, as '${twin.name}' (on ${twin.attached.at}, by ${twin.attached.by.name}).` }
        : null;
    }
    case 'increase_budget': {
      const approved = approvedBudget(state);
      if (approved === null) return { kind: 'conflict', message: 'This request has no approved budget to increase.' };
      if (step.approvedBudgetEur <= approved) {
        return {
          kind: 'invalid',
          field: 'approvedBudgetEur',
          message: `An increase must raise the approved budget above its current ${euros(approved)}.`,
        };
      }
      return null;
    }
    case 'decide': {
      const conditions = conditionList(step.conditions);
      if (step.decision !== 'approve' && (step.approvedBudgetEur !== null || conditions.length > 0)) {
        return {
          kind: 'invalid',
          field: step.approvedBudgetEur !== null ? 'approvedBudgetEur' : 'conditions',
          message: 'Conditions and an approved budget belong only to an approval.',
        };
      }
      if (step.decision !== 'request_revision' && (step.points ?? []).length > 0) {
        return { kind: 'invalid', field: 'points', message: 'Points to address belong only to a request for revision.' };
      }
      if (step.decision === 'request_revision' && !options.proceduresNotApplied && (step.points ?? []).length === 0) {
        return { kind: 'invalid', field: 'points', message: 'List the points the partner must address in the revision.' };
      }
      return null;
    }
    case 'accept_report':
    case 'return_report': {
      const report = state.reports[step.reportIndex];
      if (!report) return { kind: 'not_found', field: 'reportIndex', message: `This request has no report number ${step.reportIndex}.` };
      if (report.status !== 'submitted') {
        return { kind: 'conflict', message: `Report ${step.reportIndex} was already ${report.status ?? 'taken as it was'}; a returned report is answered by a new one.` };
      }
      return null;
    }
    case 'submit_report':
      if (step.kind === 'final' && state.phase !== 'monitoring') {
        return {
          kind: 'conflict',
          message: 'The final report comes after implementation is completed; during implementation submit progress reports.',
        };
      }
      return null;
    case 'revise': {
      if (Object.keys(step.changes).length === 0) {
        return { kind: 'invalid', field: 'body', message: 'A revision must change at least one field of the request.' };
      }
      const points = state.decisions.at(-1)?.points ?? [];
      const answers = step.answers ?? [];
      if (!options.proceduresNotApplied && points.length === 0 && answers.length > 0) {
        return { kind: 'invalid', field: 'answers', message: 'The Chair listed no points for this revision: send no answers.' };
      }
      if (!options.proceduresNotApplied && answers.length !== points.length) {
        return {
          kind: 'invalid',
          field: 'answers',
          message: `The Chair asked for ${points.length} point(s) to be addressed; give one answer for each, in order: ${points
            .map((p, i) => `${i + 1}. ${p}`)
            .join(' ')}`,
        };
      }
      return null;
    }
    case 'extend_information_deadline':
    case 'extend_review': {
      const current = step.action === 'extend_review' ? state.review?.deadline : state.informationExchanges.at(-1)?.clock?.deadline;
      if (current && step.until <= current) {
        return { kind: 'invalid', field: 'until', message: `An extension must move the deadline later than ${current}.` };
      }
      if (step.until <= new Date().toISOString()) {
        return { kind: 'invalid', field: 'until', message: 'The new deadline must be in the future.' };
      }
      return null;
    }
    case 'meet_condition': {
      const condition = (state.conditions ?? [])[step.conditionIndex];
      if (!condition) {
        return { kind: 'not_found', field: 'conditionIndex', message: `The approval has no condition number ${step.conditionIndex}.` };
      }
      if (condition.met) {
        return { kind: 'conflict', message: `Condition '${condition.text}' was already marked met on ${condition.met.at}.` };
      }
      return null;
    }
    default:
      return null;
  }
}

export function allowedActions(state: RequestState, actor: Actor): Action[] {
  return ACTIONS.filter((action) => firstRefusal(state, actor, action) === null);
}

/** Review ends early once every member who may vote has voted. */
export function everyReviewerHasVoted(state: RequestState): boolean {
  const review = state.review;
  if (!review) return false;
  return review.reviewers
    .filter((r) => !r.conflicted)
    .every((r) => review.votes.some((v) => v.by.userId === r.userId));
}
