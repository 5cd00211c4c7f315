import { and, asc, eq, sql } from 'drizzle-orm';
import type { Database } from './client';
import { actionPlanAreas, actionPlanObjectives, actionPlans, adminEvents, objectiveTallies } from './schema';
import { UserInputError } from './users-repository';
import { allOf, type LocalizedMessage } from '../i18n/localized';
import { render } from '../i18n/messages';
import type { Language } from '../i18n/languages';

/**
 * The multi-annual programmes requests serve (reference data, loaded by administrators): each plan's action areas
 * and objectives, which plan is in force on a date, and which objectives requests already cite.
 */

/**
 * A title in English and, where the plan gives one, in French (null: French readers see the English). Two fields, as
 * the countries' names are (`nameEn`, `nameFr`): a plan is loaded as the dialogue adopts it, in its two languages.
 */
export interface Titled {
  title: string;
  titleFr?: string | null;
}

export interface ActionPlanObjective extends Titled {
  code: string;
  area: number;
}

export interface ActionPlanDocument extends Titled {
  startsOn: string;
  endsOn: string;
  areas: Array<{ area: number } & Titled>;
  objectives: ActionPlanObjective[];
}

/** The title a reader of `language` reads: the French one where there is one. */
export function titleIn(language: Language, named: Titled): string {
  return language === 'fr' && named.titleFr ? named.titleFr : named.title;
}

/** As stored and read back: every title has its French one or null. */
type StoredTitle = { titleFr: string | null };

export interface ActionPlan extends Omit<ActionPlanDocument, 'titleFr' | 'areas' | 'objectives'>, StoredTitle {
  planId: string;
  areas: Array<{ area: number; title: string } & StoredTitle>;
  objectives: Array<Omit<ActionPlanObjective, 'titleFr'> & StoredTitle>;
}

/** A database or a transaction on it: the reads below run in either. */
type Reader = Pick<Database, 'select'>;

/** A change to a plan that would leave requests citing what it no longer has. */
export class ActionPlanConflict extends Error {
  constructor(readonly localized: LocalizedMessage) {
    super(render('en', localized));
  }
}

export async function listActionPlans(db: Reader): Promise<ActionPlan[]> {
  const [plans, areas, objectives] = await Promise.all([
    db.select().from(actionPlans).orderBy(asc(actionPlans.startsOn), asc(actionPlans.id)),
    db.select().from(actionPlanAreas).orderBy(asc(actionPlanAreas.area)),
    db.select().from(actionPlanObjectives).orderBy(asc(actionPlanObjectives.position)),
  ]);
  return plans.map((plan) => ({
    planId: plan.id,
    title: plan.title,
    titleFr: plan.titleFr,
    startsOn: plan.startsOn,
    endsOn: plan.endsOn,
    areas: areas.filter((a) => a.planId === plan.id).map(({ area, title, titleFr }) => ({ area, title, titleFr })),
    objectives: objectives.filter((o) => o.planId === plan.id).map(({ code, area, title, titleFr }) => ({ code, area, title, titleFr })),
  }));
}

export async function findActionPlan(db: Reader, planId: string): Promise<ActionPlan | null> {
  return (await listActionPlans(db)).find((plan) => plan.planId === planId) ?? null;
}

/** Today as plans count days: YYYY-MM-DD, in UTC. */
export const todayUtc = (): string => new Date().toISOString().slice(0, 10);

/** The plan in force on a day (YYYY-MM-DD): of those whose period covers it, the one that started last. */
export function inForceOn<P extends ActionPlan>(plans: P[], day: string): P | null {
  const covering = plans.filter((plan) => plan.startsOn <= day && day <= plan.endsOn);
  return covering.sort((a, b) => (a.startsOn === b.startsOn ? (a.planId < b.planId ? 1 : -1) : a.startsOn < b.startsOn ? 1 : -1))[0] ?? null;
}

export async function actionPlanInForce(db: Reader, day: string): Promise<ActionPlan | null> {
  return inForceOn(await listActionPlans(db), day);
}

/** How many requests cite each objective of a plan (from the pre-aggregated tallies: every request, once). */
export async function citedObjectives(db: Reader, planId: string): Promise<Map<string, number>> {
  const rows = await db
    .select({ objective: objectiveTallies.objective, requests: sql<number>`sum(${objectiveTallies.requests})::int` })
    .from(objectiveTallies)
    .where(and(eq(objectiveTallies.planId, planId), sql`${objectiveTallies.objective} <> ''`))
    .groupBy(objectiveTallies.objective)
    .having(sql`sum(${objectiveTallies.requests}) > 0`);
  return new Map(rows.map((row) => [row.objective, row.requests]));
}

/** What a plan document must be, beyond its schema: each area once, objectives unique and under a listed area. */
export function checkActionPlanDocument(plan: ActionPlanDocument): void {
  if (plan.startsOn > plan.endsOn) throw new UserInputError({ key: 'error.planDatesBackwards', values: { endsOn: plan.endsOn, startsOn: plan.startsOn } });
  const areas = plan.areas.map((a) => a.area);
  const repeated = areas.find((area, i) => areas.indexOf(area) !== i);
  if (repeated !== undefined) throw new UserInputError({ key: 'error.areaTwice', values: { area: repeated } });
  const codes = new Set<string>();
  for (const objective of plan.objectives) {
    if (codes.has(objective.code)) throw new UserInputError({ key: 'error.objectiveTwice', values: { code: objective.code } });
    codes.add(objective.code);
    if (!areas.includes(objective.area)) {
      throw new UserInputError({ key: 'error.objectiveAreaUnlisted', values: { code: objective.code, area: objective.area } });
    }
  }
}

/**
 * Creates or replaces a plan, whole. Refused when requests cite an objective the new version drops or moves to
 * another area: their records would then name an objective the plan does not have, or one of another area.
 */
export async function saveActionPlan(db: Database, planId: string, plan: ActionPlanDocument, by: string): Promise<{ created: boolean }> {
  checkActionPlanDocument(plan);
  return db.transaction(async (tx) => {
    // One administrator's save at a time per plan: the check below and the write are one step.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`action-plan:${planId}`}, 0))`);
    const before = await findActionPlan(tx, planId);
    const cited = await citedObjectives(tx, planId);
    const problems = [...cited].flatMap(([code, requests]): LocalizedMessage[] => {
      const now = plan.objectives.find((o) => o.code === code);
      const was = before?.objectives.find((o) => o.code === code);
      if (!now) return [{ key: 'error.objectiveCitedRemoved', values: { code, count: requests } }];
      if (was && was.area !== now.area) return [{ key: 'error.objectiveCitedMoved', values: { code, count: requests, from: was.area, to: now.area } }];
      return [];
    });
    if (problems.length > 0) throw new ActionPlanConflict({ key: 'error.objectivesCited', values: { problems: allOf(problems) } });

    await tx
      .insert(actionPlans)
      .values({ id: planId, title: plan.title, titleFr: plan.titleFr ?? null, startsOn: plan.startsOn, endsOn: plan.endsOn })
      .onConflictDoUpdate({
        target: actionPlans.id,
        set: { title: plan.title, titleFr: plan.titleFr ?? null, startsOn: plan.startsOn, endsOn: plan.endsOn, updatedAt: sql`now()` },
      });
    await tx.delete(actionPlanAreas).where(eq(actionPlanAreas.planId, planId)); // and, by cascade, its objectives
    if (plan.areas.length > 0) await tx.insert(actionPlanAreas).values(plan.areas.map((a) => ({ planId, ...a, titleFr: a.titleFr ?? null })));
    if (plan.objectives.length > 0) {
      await tx.insert(actionPlanObjectives).values(plan.objectives.map((o, i) => ({ planId, ...o, titleFr: o.titleFr ?? null, position: i + 1 })));
    }
    await tx.insert(adminEvents).values({
      type: before ? 'action_plan_replaced' : 'action_plan_created',
      actorName: by,
      payload: { planId, title: plan.title, startsOn: plan.startsOn, endsOn: plan.endsOn, areas: plan.areas.length, objectives: plan.objectives.length },
    });
    return { created: before === null };
  });
}
