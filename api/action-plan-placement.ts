import { actionPlanInForce, findActionPlan, todayUtc, type ActionPlan } from '../db/action-plans-repository';
import type { Database } from '../db/client';
import type { Submission, SubmissionChanges } from '../workflows/request-model';
import { commaList, type LocalizedMessage } from '../i18n/localized';
import { ApiError } from './api-error';

/**
 * Where a request sits in the action plan it serves: the plan in force when it is submitted, and the objective
 * the partner names, checked against that plan's reference data. The workflow keeps both in the submission and
 * never looks them up (workflow code does no I/O); this is the one place they are checked.
 */

const FIELD = 'body.objective';

/** The plan's title as each reader's language has it (its English one where it has no French). */
const titleInEachLanguage = (plan: ActionPlan) => ({ inEachLanguage: { en: plan.title, fr: plan.titleFr ?? plan.title } });

const noPlanInForce = () => new ApiError(422, 'no_action_plan_in_force', { key: 'error.noPlanInForce', values: { field: FIELD } }, { field: FIELD });

/** The objective if the plan has it under the request's action area; otherwise an error that lists the choices. */
export function checkObjective(plan: ActionPlan, domain: number, objective: string, kept = false): string {
  const underArea = plan.objectives.filter((o) => o.area === domain).map((o) => o.code);
  const choices: LocalizedMessage =
    underArea.length > 0
      ? { key: 'error.objectiveChoices', values: { area: domain, codes: commaList(underArea) } }
      : { key: 'error.noObjectiveInArea', values: { area: domain } };
  const found = plan.objectives.find((o) => o.code === objective);
  if (!found) {
    throw new ApiError(422, 'unknown_objective', { key: 'error.unknownObjective', values: { field: FIELD, plan: titleInEachLanguage(plan), objective, choices } }, { field: FIELD });
  }
  if (found.area !== domain) {
    const what: LocalizedMessage = kept
      ? { key: 'error.keptObjective', values: { objective } }
      : { key: 'error.namedObjective', values: { objective, plan: titleInEachLanguage(plan) } };
    throw new ApiError(
      422,
      'objective_outside_area',
      { key: 'error.objectiveOutsideArea', values: { field: FIELD, what, area: found.area, domain, choices } },
      { field: FIELD },
    );
  }
  return objective;
}

/** A new request: the plan in force today, and its objective checked against it. */
export async function placeNewRequest(db: Database, domain: number, objective: string | null | undefined) {
  const plan = await actionPlanInForce(db, todayUtc());
  if (!plan) {
    if (objective) throw noPlanInForce();
    return { actionPlan: null, objective: null };
  }
  return { actionPlan: plan.planId, objective: objective ? checkObjective(plan, domain, objective) : null };
}

/**
 * A revision: the objective (given now, or kept from before) checked against the request's own plan, in the
 * action area the request will have. Requests from before plans were reference data take the plan in force.
 */
export async function placeRevision(db: Database, submission: Submission, changes: SubmissionChanges): Promise<SubmissionChanges> {
  if (changes.objective === undefined && changes.domain === undefined) return changes;
  const domain = changes.domain ?? submission.domain;
  const kept = changes.objective === undefined;
  const objective = kept ? (submission.objective ?? null) : changes.objective;
  if (!objective) return changes;
  const plan = submission.actionPlan ? await findActionPlan(db, submission.actionPlan) : await actionPlanInForce(db, todayUtc());
  if (!plan) throw noPlanInForce();
  checkObjective(plan, domain, objective, kept);
  return submission.actionPlan ? changes : { ...changes, actionPlan: plan.planId };
}
