import { describe, expect, it } from 'vitest';
import { useTestSystem } from '../support/use-test-system';
import { advanceTo, call, submit } from '../support/cast';

/** Statistics are computed from what is on record, and respect who may see what. This system holds only these requests. */
const ctx = useTestSystem();

describe('GET /statistics', () => {
  it('counts, durations, budgets and people trained over the visible portfolio', async () => {
    const { system, cast } = ctx;
    const completed = await submit(system, cast, { domain: 4, estimatedBudgetEur: 45000 });
    await advanceTo(system, cast, completed, 'completed'); // approved at 45,000; one activity held: 38 people (14 women), €37,250 spent
    await submit(system, cast, { domain: 2, activityType: 'study', estimatedBudgetEur: 10000 });
    const other = await system.user('partner', 'ML');
    await call(system, 'POST', '/requests', other, {
      title: 'Study', description: 'd', country: 'ML', domain: 2, activityType: 'study', objectives: 'o', expectedOutcomes: 'e', estimatedBudgetEur: 5000,
    });

    const stats = (await call(system, 'GET', '/statistics', cast.monitor)).body;
    expect(stats.counts.byPhase).toEqual([
      { key: 'completed', count: 1 },
      { key: 'screening', count: 2 },
    ]);
    expect(stats.counts.byCountry).toEqual([
      { key: 'ML', count: 1 },
      { key: 'SN', count: 2 },
    ]);
    expect(stats.counts.byActionArea).toEqual([
      { key: '2', count: 2 },
      { key: '4', count: 1 },
    ]);
    expect(stats.budget.byActionArea).toEqual([
      { key: '2', requestedEur: 15000, approvedEur: 0, spentEur: 0 },
      { key: '4', requestedEur: 45000, approvedEur: 45000, spentEur: 37250 },
    ]);
    expect(stats.peopleTrainedByActionArea).toEqual([{ key: '4', total: 38, women: 14, men: 24 }]);
    expect(stats.submissionToDecision.count).toBe(1);
    expect(stats.submissionToDecision.medianHours).toBeGreaterThanOrEqual(0);
    const phases = stats.phaseDurations.map((p: { phase: string }) => p.phase);
    expect(phases).toEqual(expect.arrayContaining(['screening', 'review', 'approval', 'implementation', 'monitoring']));
    expect(stats.slaBreaches).toEqual([]);

    // A partner's statistics cover their own country only; the committee's, only what reached it.
    const own = (await call(system, 'GET', '/statistics', cast.partner)).body;
    expect(own.counts.byCountry).toEqual([{ key: 'SN', count: 2 }]);
    const committee = (await call(system, 'GET', '/statistics', cast.scMember)).body;
    expect(committee.counts.byPhase).toEqual([{ key: 'completed', count: 1 }]);
  });

  it('shows the action-plan coverage and its gaps', async () => {
    const { system, cast } = ctx;
    const coverage = (await call(system, 'GET', '/statistics/coverage', cast.monitor)).body;
    expect(coverage.actionAreas).toEqual([1, 2, 3, 4, 5]);
    // Every partner country of the dialogue is a row, those without a request too (tests/api/countries.test.ts).
    const members: Array<{ code: string; kind: string; status: string }> = (await call(system, 'GET', '/countries', cast.monitor)).body.items;
    const partners = members.filter((m) => m.kind === 'country' && m.status === 'partner').map((m) => m.code).sort();
    expect(coverage.countries).toEqual(partners);
    expect(coverage.cells).toEqual([
      { country: 'ML', actionArea: 2, requests: 1, requestedEur: 5000 },
      { country: 'SN', actionArea: 2, requests: 1, requestedEur: 10000 },
      { country: 'SN', actionArea: 4, requests: 1, requestedEur: 45000 },
    ]);
    expect(coverage.gaps).toHaveLength(7 + 5 * (partners.length - 2));
    expect(coverage.gaps.filter((g: { country: string }) => g.country === 'ML' || g.country === 'SN')).toEqual([
      { country: 'ML', actionArea: 1 },
      { country: 'ML', actionArea: 3 },
      { country: 'ML', actionArea: 4 },
      { country: 'ML', actionArea: 5 },
      { country: 'SN', actionArea: 1 },
      { country: 'SN', actionArea: 3 },
      { country: 'SN', actionArea: 5 },
    ]);
    const own = (await call(system, 'GET', '/statistics/coverage', cast.partner)).body;
    expect(own.countries).toEqual(['SN']);
    expect(own.cells.every((c: { country: string }) => c.country === 'SN')).toBe(true);
  });
});
