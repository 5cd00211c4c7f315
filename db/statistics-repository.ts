import { sql, type SQL } from 'drizzle-orm';
import { bucketMiddle } from './duration-buckets';
import type { ActionPlan } from './action-plans-repository';
import type { Database } from './client';

/**
 * Portfolio statistics within a visibility scope (the same one lists use), read from the pre-aggregated tables
 * that recording each event keeps current (the SQL function record_event, db/migrations/0009): a few thousand rows at most, however
 * many requests and events are on record. Durations come from log-scale histograms: percentiles within 2.5 %.
 */

export interface StatisticsScope {
  onlyCountry?: string;
  committeeOnly?: boolean;
}

/** portfolio_tallies holds each request once, under its current visibility. */
function talliesScope(scope: StatisticsScope): SQL {
  const parts: SQL[] = [sql`true`];
  if (scope.onlyCountry !== undefined) parts.push(sql`country = ${scope.onlyCountry}`);
  if (scope.committeeOnly) parts.push(sql`committee_visible`);
  return sql.join(parts, sql` and `);
}

/** The histograms and breach tallies hold every request under `committee = false`, and again under true when the committee sees it. */
function classScope(scope: StatisticsScope): SQL {
  const parts: SQL[] = [sql`committee = ${scope.committeeOnly === true}`];
  if (scope.onlyCountry !== undefined) parts.push(sql`country = ${scope.onlyCountry}`);
  return sql.join(parts, sql` and `);
}

const rows = async <T>(db: Database, query: SQL): Promise<T[]> => (await db.execute(query)).rows as T[];

interface Histogram {
  measure: string;
  buckets: Array<{ bucket: number; count: number }>;
}

const hours = (seconds: number): number => Math.round((seconds / 3600) * 100) / 100;

/** The percentile of a histogram: the middle of the bucket where the cumulative count crosses it. */
export function percentileOf(buckets: Array<{ bucket: number; count: number }>, fraction: number): number | null {
  const total = buckets.reduce((sum, b) => sum + b.count, 0);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(fraction * total));
  let seen = 0;
  for (const { bucket, count } of [...buckets].sort((a, b) => a.bucket - b.bucket)) {
    seen += count;
    if (seen >= rank) return bucketMiddle(bucket);
  }
  return null;
}

const summary = (buckets: Histogram['buckets']) => {
  const median = percentileOf(buckets, 0.5);
  const p90 = percentileOf(buckets, 0.9);
  return {
    count: buckets.reduce((sum, b) => sum + b.count, 0),
    medianHours: median === null ? null : hours(median),
    p90Hours: p90 === null ? null : hours(p90),
  };
};

export async function portfolioStatistics(db: Database, scope: StatisticsScope) {
  const tallies = talliesScope(scope);
  const countBy = (column: SQL) =>
    rows<{ key: string; count: number }>(
      db,
      sql`select ${column}::text as key, sum(requests)::int as count from portfolio_tallies
           where ${tallies} group by 1 having sum(requests) > 0 order by 1`,
    );
  const budgetBy = (column: SQL) =>
    rows<{ key: string; requestedEur: number; approvedEur: number; spentEur: number }>(
      db,
      sql`select ${column}::text as key, sum(requested_eur)::float as "requestedEur", sum(approved_eur)::float as "approvedEur",
                 sum(spent_eur)::float as "spentEur"
            from portfolio_tallies where ${tallies} group by 1 having sum(requests) > 0 order by 1`,
    );
  const [byPhase, byCountry, byActionArea, byActivityType, budgetByActionArea, budgetByCountry, trained, histogramRows, slaBreaches] =
    await Promise.all([
      countBy(sql`phase`),
      countBy(sql`country`),
      countBy(sql`domain`),
      countBy(sql`activity_type`),
      budgetBy(sql`domain`),
      budgetBy(sql`country`),
      rows<{ key: string; total: number; women: number; men: number }>(
        db,
        sql`select domain::text as key, sum(trained_total)::int as total, sum(trained_women)::int as women, sum(trained_men)::int as men
              from portfolio_tallies where ${tallies} group by 1 having sum(trained_total) > 0 order by 1`,
      ),
      rows<{ measure: string; bucket: number; count: number }>(
        db,
        sql`select measure, bucket, sum(count)::int as count from duration_histogram where ${classScope(scope)} group by 1, 2`,
      ),
      rows<{ kind: string; count: number }>(
        db,
        sql`select kind, sum(count)::int as count from sla_tallies where ${classScope(scope)} group by 1 order by 1`,
      ),
    ]);

  const histograms = new Map<string, Histogram['buckets']>();
  for (const { measure, bucket, count } of histogramRows) histograms.set(measure, [...(histograms.get(measure) ?? []), { bucket, count }]);
  const { submission_to_decision: toDecision = [], ...phases } = Object.fromEntries(histograms);
  return {
    counts: { byPhase, byCountry, byActionArea, byActivityType },
    phaseDurations: Object.entries(phases)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([phase, buckets]) => ({ phase, ...summary(buckets) })),
    submissionToDecision: summary(toDecision),
    slaBreaches,
    budget: { byActionArea: budgetByActionArea, byCountry: budgetByCountry },
    peopleTrainedByActionArea: trained,
  };
}

/**
 * The rows of a coverage matrix, within the scope: every partner country of the dialogue (GET /countries) — one
 * without a single request is the gap a monitor most needs to see — and every other country with a focal point or
 * a request (an organisation's, an observer's, or one named before the list existed).
 */
export async function coverageCountries(db: Database, scope: StatisticsScope): Promise<string[]> {
  const countryScope = scope.onlyCountry !== undefined ? sql`country = ${scope.onlyCountry}` : sql`true`;
  const found = await rows<{ country: string }>(
    db,
    sql`select distinct country from (
          select code as country from dialogue_members where kind = 'country' and status = 'partner'
          union select country from users where role = 'partner' and country is not null
          union select country from portfolio_tallies where ${talliesScope(scope)} and requests > 0) c where ${countryScope} order by 1`,
  );
  return found.map((row) => row.country);
}

/**
 * Action-plan coverage: for each country of the matrix (coverageCountries) and each action area, how many
 * requests and how much budget — and the gaps, the pairs no request has touched yet.
 */
export async function actionPlanCoverage(db: Database, scope: StatisticsScope) {
  const tallies = talliesScope(scope);
  const cells = await rows<{ country: string; actionArea: number; requests: number; requestedEur: number }>(
    db,
    sql`select country, domain::int as "actionArea", sum(requests)::int as requests, sum(requested_eur)::float as "requestedEur"
          from portfolio_tallies where ${tallies} group by 1, 2 having sum(requests) > 0 order by 1, 2`,
  );
  const countries = await coverageCountries(db, scope);
  const touched = new Set(cells.map((c) => `${c.country}:${c.actionArea}`));
  const gaps = countries.flatMap((country) =>
    [1, 2, 3, 4, 5].filter((area) => !touched.has(`${country}:${area}`)).map((actionArea) => ({ country, actionArea })),
  );
  return { actionAreas: [1, 2, 3, 4, 5], countries, cells, gaps };
}

/**
 * The same matrix one level down, for one action plan: requests and budget per country and objective of the plan
 * (requests placed in the plan that name no objective apart), and the country and objective pairs not touched.
 */
export async function objectiveCoverage(db: Database, scope: StatisticsScope, plan: ActionPlan, countries: string[]) {
  const counted = await rows<{ country: string; objective: string; requests: number; requestedEur: number }>(
    db,
    sql`select country, objective, sum(requests)::int as requests, sum(requested_eur)::float as "requestedEur"
          from objective_tallies where plan_id = ${plan.planId} and ${talliesScope(scope)}
         group by 1, 2 having sum(requests) > 0 order by 1, 2`,
  );
  const cells = counted.filter((c) => c.objective !== '');
  const touched = new Set(cells.map((c) => `${c.country}:${c.objective}`));
  return {
    actionPlan: { planId: plan.planId, title: plan.title, titleFr: plan.titleFr ?? null, startsOn: plan.startsOn, endsOn: plan.endsOn },
    objectives: plan.objectives,
    cells,
    withoutObjective: counted.filter((c) => c.objective === '').map(({ country, requests, requestedEur }) => ({ country, requests, requestedEur })),
    gaps: countries.flatMap((country) => plan.objectives.filter((o) => !touched.has(`${country}:${o.code}`)).map((o) => ({ country, objective: o.code }))),
  };
}
