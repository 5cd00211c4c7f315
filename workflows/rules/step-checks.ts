import type { Actor, RequestState } from '../request-model';
import type { Step } from '../request-steps';
import { approvedBudget, euros, plannedBudget } from '../budget';
import { dateOutOfBounds } from '../step-dates';
import { checkActivityUpdate } from './activity-status';
import { checkAction } from './permissions';
import type { Refusal, RuleOptions } from './refusal';

/** What a step's payload must hold, beyond who may take it when (permissions.ts). */

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
