import { sql, type SQL } from 'drizzle-orm';
import type { Database } from './client';

/**
 * Portfolio statistics, computed by Postgres over the read model and the audit trail, within a visibility scope
 * (the same one lists use). Every figure is derived from what is on record: the audit trail, and the facts the
 * read model keeps as columns (budgets, decision date) so that sums never open a request's JSON state.
 */

export interface StatisticsScope {
  onlyCountry?: string;
  committeeOnly?: boolean;
}

function scopeOf(scope: StatisticsScope): SQL {
  const parts: SQL[] = [sql`true`];
  if (scope.onlyCountry !== undefined) parts.push(sql`r.country = ${scope.onlyCountry}`);
  if (scope.committeeOnly) parts.push(sql`r.committee_visible`);
  return sql.join(parts, sql` and `);
}

const rows = async <T>(db: Database, query: SQL): Promise<T[]> => (await db.execute(query)).rows as T[];

export async function portfolioStatistics(db: Database, scope: StatisticsScope) {
  const where = scopeOf(scope);
  const countBy = (column: SQL) =>
    rows<{ key: string; count: number }>(
      db,
      sql`select ${column}::text as key, count(*)::int as count from requests r where ${where} group by 1 order by 1`,
    );
  const [byPhase, byCountry, byActionArea, byActivityType] = await Promise.all([
    countBy(sql`r.phase`),
    countBy(sql`r.country`),
    countBy(sql`r.domain`),
    countBy(sql`r.activity_type`),
  ]);

  // Time spent in each phase: from the event that entered it to the event that left it (requests still in a
  // phase are not counted for it yet).
  const phaseDurations = await rows<{ phase: string; count: number; medianHours: number; p90Hours: number }>(
    db,
    sql`with visits as (
          select e.phase_after as phase, e.occurred_at as entered,
                 lead(e.occurred_at) over (partition by e.request_id order by e.seq) as left_at,
                 lead(e.phase_after) over (partition by e.request_id order by e.seq) as next_phase
            from request_events e join requests r on r.id = e.request_id
           where ${where})
        select phase, count(*)::int as count,
               round((percentile_cont(0.5) within group (order by extract(epoch from left_at - entered)) / 3600)::numeric, 2)::float as "medianHours",
               round((percentile_cont(0.9) within group (order by extract(epoch from left_at - entered)) / 3600)::numeric, 2)::float as "p90Hours"
          from visits where left_at is not null and next_phase <> phase group by phase order by phase`,
  );

  const [toDecision] = await rows<{ count: number; medianHours: number | null; p90Hours: number | null }>(
    db,
    sql`with decided as (
          select r.id, min(d.decided_at) - r.submitted_at as took
            from requests r join decisions d on d.request_id = r.id where ${where} group by r.id, r.submitted_at)
        select count(*)::int as count,
               round((percentile_cont(0.5) within group (order by extract(epoch from took)) / 3600)::numeric, 2)::float as "medianHours",
               round((percentile_cont(0.9) within group (order by extract(epoch from took)) / 3600)::numeric, 2)::float as "p90Hours"
          from decided`,
  );

  const slaBreaches = await rows<{ kind: string; count: number }>(
    db,
    sql`select case e.type when 'screening_escalated' then 'screening'
                           when 'report_overdue' then 'reports'
                           else 'review' end as kind,
               count(*)::int as count
          from request_events e join requests r on r.id = e.request_id
         where ${where} and (e.type in ('screening_escalated', 'report_overdue')
                             or (e.type = 'review_closed' and e.payload->>'because' = 'deadline_passed'))
         group by 1 order by 1`,
  );

  const budgetBy = (column: SQL) =>
    rows<{ key: string; requestedEur: number; approvedEur: number; spentEur: number }>(
      db,
      sql`select ${column}::text as key,
                 coalesce(sum(r.requested_budget_eur), 0)::float as "requestedEur",
                 coalesce(sum(r.approved_budget_eur), 0)::float as "approvedEur",
                 coalesce(sum(r.spent_budget_eur), 0)::float as "spentEur"
            from requests r where ${where} group by 1 order by 1`,
    );
  const [budgetByActionArea, budgetByCountry] = await Promise.all([budgetBy(sql`r.domain`), budgetBy(sql`r.country`)]);

  const peopleTrainedByActionArea = await rows<{ key: string; total: number; women: number; men: number }>(
    db,
    sql`select r.domain::text as key,
               coalesce(sum((a.participants->>'total')::int), 0)::int as total,
               coalesce(sum((a.participants->>'women')::int), 0)::int as women,
               coalesce(sum((a.participants->>'men')::int), 0)::int as men
          from implementation_activities a join requests r on r.id = a.request_id
         where ${where} and a.status = 'held' and a.participants is not null
         group by 1 order by 1`,
  );

  return {
    counts: { byPhase, byCountry, byActionArea, byActivityType },
    phaseDurations,
    submissionToDecision: toDecision ?? { count: 0, medianHours: null, p90Hours: null },
    slaBreaches,
    budget: { byActionArea: budgetByActionArea, byCountry: budgetByCountry },
    peopleTrainedByActionArea,
  };
}

/**
 * Action-plan coverage: for each partner country (every country with a focal point or a request) and each
 * action area, how many requests and how much budget — and the gaps, the pairs no request has touched yet.
 */
export async function actionPlanCoverage(db: Database, scope: StatisticsScope) {
  const where = scopeOf(scope);
  const cells = await rows<{ country: string; actionArea: number; requests: number; requestedEur: number }>(
    db,
    sql`select r.country, r.domain::int as "actionArea", count(*)::int as requests,
               coalesce(sum(r.requested_budget_eur), 0)::float as "requestedEur"
          from requests r where ${where} group by 1, 2 order by 1, 2`,
  );
  const countryScope = scope.onlyCountry !== undefined ? sql`country = ${scope.onlyCountry}` : sql`true`;
  const countries = (
    await rows<{ country: string }>(
      db,
      sql`select distinct country from (
            select country from users where role = 'partner' and country is not null
            union select r.country from requests r where ${where}) c where ${countryScope} order by 1`,
    )
  ).map((row) => row.country);
  const touched = new Set(cells.map((c) => `${c.country}:${c.actionArea}`));
  const gaps = countries.flatMap((country) =>
    [1, 2, 3, 4, 5].filter((area) => !touched.has(`${country}:${area}`)).map((actionArea) => ({ country, actionArea })),
  );
  return { actionAreas: [1, 2, 3, 4, 5], countries, cells, gaps };
}
