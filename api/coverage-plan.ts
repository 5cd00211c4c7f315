import { Type } from '@sinclair/typebox';
import { inForceOn, listActionPlans, todayUtc, type ActionPlan } from '../db/action-plans-repository';
import type { Database } from '../db/client';
import { actionPlanNotFound } from './api-error';
import { ActionPlanId } from './schemas/request-schemas';

/** Which action plan's objectives a coverage answer (JSON or CSV) covers: the one asked for, else the one in force. */

export const CoverageQuery = Type.Object(
  {
    actionPlan: Type.Optional(ActionPlanId('The plan whose objectives to cover (GET /action-plans); the plan in force by default')),
  },
  { additionalProperties: false },
);

/** The plan, or null when none was asked for and none is in force today; 404 for a plan that does not exist. */
export async function planToCover(db: Database, asked: string | undefined): Promise<ActionPlan | null> {
  const plans = await listActionPlans(db);
  if (asked === undefined) return inForceOn(plans, todayUtc());
  const plan = plans.find((p) => p.planId === asked);
  if (!plan) throw actionPlanNotFound(asked);
  return plan;
}
