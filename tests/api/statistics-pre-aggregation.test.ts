import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { durationBucket } from '../../db/duration-buckets';
import { percentileOf } from '../../db/statistics-repository';
import { approvedBudget, spentBudget } from '../../workflows/budget';
import type { RequestState } from '../../workflows/request-model';
import { advanceTo, call, submit, type Cast, type Person } from '../support/cast';
import { useTestSystem } from '../support/use-test-system';
import { waitFor } from '../support/wait-for';

/**
 * The statistics are read from tallies kept current event by event. Here they must equal, in every visibility
 * scope, the same figures recomputed from scratch from the audit trail and the requests' states — and the
 * migration that builds the tallies for data recorded before them must arrive at the same figures.
 */
const ctx = useTestSystem({ reviewPeriod: 'PT2S' });

interface EventRow {
  request_id: string;
  seq: number;
  type: string;
  phase_before: string;
  phase_after: string;
  occurred_at: Date;
  payload: Record<string, unknown>;
}

/** The statistics as the oracle computes them: straight from the record, nothing pre-aggregated. */
async function recomputed(scope: { onlyCountry?: string; committeeOnly?: boolean }) {
  const pool = ctx.system.database.pool;
  const states = (await pool.query<{ state: RequestState; committee_visible: boolean }>('select state, committee_visible from requests')).rows
    .filter((r) => (scope.onlyCountry === undefined || r.state.submission.country === scope.onlyCountry) && (!scope.committeeOnly || r.committee_visible))
    .map((r) => r.state);
  const ids = new Set(states.map((s) => s.requestId));
  const events = (await pool.query<EventRow>('select * from request_events order by request_id, seq')).rows.filter((e) => ids.has(e.request_id));

  const count = (key: (s: RequestState) => string) => {
    const counts = new Map<string, number>();
    for (const state of states) counts.set(key(state), (counts.get(key(state)) ?? 0) + 1);
    return [...counts].map(([k, n]) => ({ key: k, count: n })).sort((a, b) => a.key.localeCompare(b.key));
  };
  const money = (key: (s: RequestState) => string) => {
    const sums = new Map<string, { requestedEur: number; approvedEur: number; spentEur: number }>();
    for (const state of states) {
      const sum = sums.get(key(state)) ?? { requestedEur: 0, approvedEur: 0, spentEur: 0 };
      sum.requestedEur += state.submission.estimatedBudgetEur;
      sum.approvedEur += approvedBudget(state) ?? 0;
      sum.spentEur += spentBudget(state.activities);
      sums.set(key(state), sum);
    }
    return [...sums].map(([k, sum]) => ({ key: k, ...sum })).sort((a, b) => a.key.localeCompare(b.key));
  };

  const visits = new Map<string, Array<{ bucket: number; count: number }>>();
  const addVisit = (measure: string, seconds: number) => visits.set(measure, [...(visits.get(measure) ?? []), { bucket: durationBucket(seconds), count: 1 }]);
  const byRequest = new Map<string, EventRow[]>();
  for (const event of events) byRequest.set(event.request_id, [...(byRequest.get(event.request_id) ?? []), event]);
  for (const [, trail] of byRequest) {
    let entered = trail[0]!.occurred_at;
    for (const event of trail.slice(1)) {
      if (event.phase_before === event.phase_after) continue;
      addVisit(event.phase_before, (event.occurred_at.getTime() - entered.getTime()) / 1000);
      entered = event.occurred_at;
    }
    const decision = trail.find((e) => ['approved', 'rejected', 'revision_requested'].includes(e.type));
    if (decision) addVisit('submission_to_decision', (decision.occurred_at.getTime() - trail[0]!.occurred_at.getTime()) / 1000);
  }
  const summary = (buckets: Array<{ bucket: number; count: number }> = []) => {
    const hours = (p: number) => {
      const seconds = percentileOf(buckets, p);
      return seconds === null ? null : Math.round((seconds / 3600) * 100) / 100;
    };
    return { count: buckets.length, medianHours: hours(0.5), p90Hours: hours(0.9) };
  };
  const breaches = new Map<string, number>();
  for (const e of events) {
    const kind =
      e.type === 'screening_escalated' ? 'screening' : e.type === 'report_overdue' ? 'reports' : e.type === 'review_closed' && e.payload.because === 'deadline_passed' ? 'review' : null;
    if (kind) breaches.set(kind, (breaches.get(kind) ?? 0) + 1);
  }
  const trained = new Map<string, { total: number; women: number; men: number }>();
  for (const state of states) {
    for (const activity of state.activities) {
      if (activity.status !== 'held' || !activity.participants) continue;
      const key = String(state.submission.domain);
      const sum = trained.get(key) ?? { total: 0, women: 0, men: 0 };
      sum.total += activity.participants.total;
      sum.women += activity.participants.women;
      sum.men += activity.participants.men;
      trained.set(key, sum);
    }
  }
  const { submission_to_decision: toDecision, ...phases } = Object.fromEntries(visits);
  return {
    counts: {
      byPhase: count((s) => s.phase),
      byCountry: count((s) => s.submission.country),
      byActionArea: count((s) => String(s.submission.domain)),
      byActivityType: count((s) => s.submission.activityType),
    },
    phaseDurations: Object.entries(phases)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([phase, buckets]) => ({ phase, ...summary(buckets) })),
    submissionToDecision: summary(toDecision),
    slaBreaches: [...breaches].map(([kind, n]) => ({ kind, count: n })).sort((a, b) => a.kind.localeCompare(b.kind)),
    budget: { byActionArea: money((s) => String(s.submission.domain)), byCountry: money((s) => s.submission.country) },
    peopleTrainedByActionArea: [...trained].map(([key, sum]) => ({ key, ...sum })).sort((a, b) => a.key.localeCompare(b.key)),
  };
}

/** The visibility scopes statistics are read in (the whole portfolio, the committee's, one country's), each with a person who sees it. */
const visibilityScopes = (cast: Cast): Array<[Person, { onlyCountry?: string; committeeOnly?: boolean }]> => [
  [cast.monitor, {}],
  [cast.scMember, { committeeOnly: true }],
  [cast.partner, { onlyCountry: 'SN' }],
];

const statistics = async (who: Person) => (await call(ctx.system, 'GET', '/statistics', who)).body;

describe('pre-aggregated statistics', () => {
  it('equal the figures recomputed from the record, in every scope, and the backfill arrives at the same', async () => {
    const { system, cast } = ctx;
    const completed = await submit(system, cast, { domain: 4, estimatedBudgetEur: 45000 });
    await advanceTo(system, cast, completed, 'completed');
    const rejected = await submit(system, cast, { domain: 1, activityType: 'workshop', estimatedBudgetEur: 12000 });
    await advanceTo(system, cast, rejected, 'approval');
    await call(system, 'POST', `/requests/${rejected}/decision`, cast.chair, { decision: 'reject', rationale: 'Out of scope.' });
    // Nobody votes: the review closes by its deadline (two seconds here) — a breach of the review's SLA.
    const lapsed = await submit(system, cast, { domain: 1, estimatedBudgetEur: 8000 });
    await call(system, 'POST', `/requests/${lapsed}/screening`, cast.secretariat, { outcome: 'accept', note: 'Eligible.' });
    await waitFor(async () => (await call(system, 'GET', `/requests/${lapsed}`, cast.monitor)).body.phase, (phase) => phase === 'approval');
    const asked = await submit(system, cast, { domain: 3, estimatedBudgetEur: 3000 });
    await call(system, 'POST', `/requests/${asked}/screening`, cast.secretariat, { outcome: 'request_information', note: 'Which ministry?' });
    await call(system, 'POST', `/requests/${asked}/information`, cast.partner, { response: 'Interior.' });
    // It reaches the committee only now: its earlier visits (screening, awaiting information) join the committee's figures.
    await call(system, 'POST', `/requests/${asked}/screening`, cast.secretariat, { outcome: 'accept', note: 'Eligible now.' });
    await call(system, 'POST', `/requests/${asked}/votes`, cast.scMember, { vote: 'objection', comment: 'Too small.' });
    const other = await system.user('partner', 'ML');
    await call(system, 'POST', '/requests', other, {
      title: 'Study', description: 'd', country: 'ML', domain: 2, activityType: 'study', objectives: 'o', expectedOutcomes: 'e', estimatedBudgetEur: 5000,
    });

    const scopes = visibilityScopes(cast);
    const live = [];
    for (const [who, scope] of scopes) {
      const stats = await statistics(who);
      expect(stats).toEqual(await recomputed(scope));
      live.push(stats);
    }
    expect(live[0].slaBreaches).toEqual([{ kind: 'review', count: 1 }]);
    expect(live[1].phaseDurations.map((p: { phase: string }) => p.phase)).toContain('awaiting_information');

    // The migration's backfill, run over the same record from empty tallies, must arrive at the same figures.
    const migration = await readFile(new URL('../../db/migrations/0007_pre_aggregated_statistics.sql', import.meta.url), 'utf8');
    const backfill = migration.slice(migration.indexOf('-- What was recorded before these tables')).split('--> statement-breakpoint');
    const pool = system.database.pool;
    await pool.query('truncate portfolio_tallies, duration_histogram, sla_tallies');
    await pool.query('update requests set trained_total = 0, trained_women = 0, trained_men = 0');
    expect((await statistics(cast.monitor)).counts.byPhase).toEqual([]);
    for (const statement of backfill) await pool.query(statement);
    for (const [index, [who]] of scopes.entries()) expect(await statistics(who)).toEqual(live[index]);
  });

  it('by objective, equal the requests recounted from their states in every scope, and the backfill arrives at the same', async () => {
    const { system, cast } = ctx;
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const loaded = await call(system, 'PUT', '/action-plans/oracle-plan', cast.admin, {
      title: 'Oracle plan',
      startsOn: day(-1),
      endsOn: day(365),
      areas: [1, 2, 3, 4, 5].map((area) => ({ area, title: `Area ${area}` })),
      objectives: [
        { code: 'a', area: 1, title: 'A' },
        { code: 'b', area: 4, title: 'B' },
      ],
    });
    expect(loaded.status).toBe(201);
    const reached = await submit(system, cast, { domain: 4, objective: 'b', estimatedBudgetEur: 7000 });
    await advanceTo(system, cast, reached, 'approval');
    await submit(system, cast, { domain: 1, objective: 'a', estimatedBudgetEur: 2000 });
    await submit(system, cast, { domain: 1, estimatedBudgetEur: 1000 });

    const pool = system.database.pool;
    const recounted = async (scope: { onlyCountry?: string; committeeOnly?: boolean }) => {
      const sums = new Map<string, { country: string; objective: string; requests: number; requestedEur: number }>();
      for (const { state, committee_visible: seen } of (await pool.query<{ state: RequestState; committee_visible: boolean }>('select state, committee_visible from requests')).rows) {
        const { country, actionPlan, objective, estimatedBudgetEur } = state.submission;
        if (actionPlan !== 'oracle-plan' || (scope.onlyCountry !== undefined && country !== scope.onlyCountry) || (scope.committeeOnly && !seen)) continue;
        const key = `${country}:${objective ?? ''}`;
        const sum = sums.get(key) ?? { country, objective: objective ?? '', requests: 0, requestedEur: 0 };
        sums.set(key, { ...sum, requests: sum.requests + 1, requestedEur: sum.requestedEur + estimatedBudgetEur });
      }
      const all = [...sums.values()].sort((x, y) => (`${x.country}:${x.objective}` < `${y.country}:${y.objective}` ? -1 : 1));
      return {
        cells: all.filter((c) => c.objective !== ''),
        withoutObjective: all.filter((c) => c.objective === '').map(({ country, requests, requestedEur }) => ({ country, requests, requestedEur })),
      };
    };
    const coverage = async (who: Person) => (await call(system, 'GET', '/statistics/coverage?actionPlan=oracle-plan', who)).body.byObjective;
    const scopes = visibilityScopes(cast);
    const live = [];
    for (const [who, scope] of scopes) {
      const byObjective = await coverage(who);
      expect({ cells: byObjective.cells, withoutObjective: byObjective.withoutObjective }).toEqual(await recounted(scope));
      live.push(byObjective);
    }
    expect(live[0].cells).toEqual([
      { country: 'SN', objective: 'a', requests: 1, requestedEur: 2000 },
      { country: 'SN', objective: 'b', requests: 1, requestedEur: 7000 },
    ]);
    expect(live[1].cells).toEqual([{ country: 'SN', objective: 'b', requests: 1, requestedEur: 7000 }]);

    // Migration 0012's backfill, run over the same requests from an empty table, must arrive at the same figures.
    const migration = await readFile(new URL('../../db/migrations/0012_action_plans.sql', import.meta.url), 'utf8');
    const backfill = migration.slice(migration.indexOf('-- What was recorded before this table'));
    await pool.query('truncate objective_tallies');
    expect((await coverage(cast.monitor)).cells).toEqual([]);
    await pool.query(backfill);
    for (const [index, [who]] of scopes.entries()) expect(await coverage(who)).toEqual(live[index]);
  });
});
