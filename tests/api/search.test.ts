import { describe, expect, it } from 'vitest';
import { useTestSystem } from '../support/use-test-system';
import { advanceTo, call, sampleSubmission, submit } from '../support/cast';

/** Full-text search over the portfolio: content, decisions' rationales, lessons learned, good practices. */
const ctx = useTestSystem();

const ids = (body: { items: Array<{ id: string }> }) => body.items.map((item) => item.id);

describe('searching requests', () => {
  it('finds requests by their content, by what was decided and by what they taught — within what the caller may see', async () => {
    const { system, cast } = ctx;
    const byTitle = await submit(system, cast, { title: 'Mangrove livelihoods for returnees', activityType: 'study' });
    const byRationale = await submit(system, cast, { title: 'Workshop on labour mobility', activityType: 'workshop' });
    await advanceTo(system, cast, byRationale, 'approval');
    await call(system, 'POST', `/requests/${byRationale}/decision`, cast.chair, { decision: 'approve', rationale: 'Complements the Abuja seaport programme.' });
    const byLesson = await submit(system, cast, { title: 'Training on document fraud' });
    await advanceTo(system, cast, byLesson, 'monitoring');
    const reported = await call(system, 'POST', `/requests/${byLesson}/reports`, cast.partner, { kind: 'final', summary: 'Done.' });
    await call(system, 'POST', `/requests/${byLesson}/reports/${reported.body.reports.length - 1}/acceptance`, cast.secretariat, {});
    await call(system, 'POST', `/requests/${byLesson}/closure`, cast.secretariat, {
      lessonsLearned: 'Interpreters were booked too late.',
      goodPractices: ['Twinning with the Dakar customs academy.'],
    });

    const search = async (query: string, who = cast.monitor) => (await call(system, 'GET', `/requests?q=${encodeURIComponent(query)}&limit=100`, who)).body;
    expect(ids(await search('mangrove'))).toEqual([byTitle]);
    expect(ids(await search('seaport'))).toEqual([byRationale]);
    expect(ids(await search('interpreters'))).toEqual([byLesson]);
    expect(ids(await search('twinning academy'))).toEqual([byLesson]);
    expect(ids(await search('"customs academy"'))).toEqual([byLesson]);
    expect(ids(await search('mangrove -returnees'))).toEqual([]);
    expect(ids(await search('nothing-like-this'))).toEqual([]);

    // Another country's partner finds nothing of these; the committee finds only what reached it.
    expect(ids(await search('mangrove', cast.otherPartner))).toEqual([]);
    expect(ids(await search('mangrove', cast.scMember))).toEqual([]);
    expect(ids(await search('seaport', cast.scMember))).toEqual([byRationale]);

    // Filters combine with search.
    const workshops = (await call(system, 'GET', '/requests?activityType=workshop&limit=100', cast.monitor)).body;
    expect(ids(workshops)).toContain(byRationale);
    expect(ids(workshops)).not.toContain(byTitle);
    const today = new Date().toISOString().slice(0, 10);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    expect(ids((await call(system, 'GET', `/requests?q=mangrove&submittedFrom=${today}&submittedTo=${tomorrow}`, cast.monitor)).body)).toEqual([byTitle]);
    expect(ids((await call(system, 'GET', `/requests?q=mangrove&submittedTo=${today}`, cast.monitor)).body)).toEqual([]);
  });

  it('never searches personal data', async () => {
    const { system, cast } = ctx;
    await call(system, 'POST', '/requests', cast.partner, sampleSubmission({ contact: { name: 'Ousmane Sembene', email: 'sembene@example.sn' } }));
    expect(ids((await call(system, 'GET', '/requests?q=sembene', cast.secretariat)).body)).toEqual([]);
  });

  it('takes any text without a 500: operators, quotes, unicode', async () => {
    const { system, cast } = ctx;
    for (const query of ["' OR 1=1 --", '"unclosed', '-', 'OR OR', '💥', 'à la française & co | !']) {
      const r = await call(system, 'GET', `/requests?q=${encodeURIComponent(query)}`, cast.monitor);
      expect({ query, status: r.status }).toEqual({ query, status: 200 });
    }
    expect((await call(system, 'GET', `/requests?q=${'x'.repeat(201)}`, cast.monitor)).status).toBe(400);
  });
});
