import { describe, expect, it } from 'vitest';
import { useTestSystem } from '../support/use-test-system';
import { advanceTo, call, sampleSubmission, submit } from '../support/cast';
import { insertRequestRows } from '../support/seed-read-model';

/** Full-text search over the portfolio: content, decisions' rationales, lessons learned, good practices — in French and English. */
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

  it('finds a request in the language it is written in: French stems and accents, English stems', async () => {
    const { system, cast } = ctx;
    const french = await submit(system, cast, {
      language: 'fr',
      title: 'Formation des agents de la police des frontières',
      description: 'Renforcer la sécurité des documents de voyage à l’aéroport de Dakar.',
      objectives: 'Les agents détectent les faux documents.',
    });
    const english = await submit(system, cast, {
      title: 'Investigating migrant smuggling networks',
      description: 'Officers trained in financial investigations along the Atlantic route.',
    });
    const search = async (query: string, language?: string) =>
      ids((await call(system, 'GET', `/requests?q=${encodeURIComponent(query)}${language ? `&language=${language}` : ''}&limit=100`, cast.monitor)).body);

    expect((await call(system, 'GET', `/requests/${french}`, cast.monitor)).body.language).toBe('fr');
    expect((await call(system, 'GET', `/requests/${english}`, cast.monitor)).body.language).toBe('en');
    // French: the plural finds the singular, a word without its accents finds it with them, and the other way round.
    expect(await search('formations')).toEqual([french]);
    expect(await search('securite')).toEqual([french]);
    expect(await search('SÉCURITÉ')).toEqual([french]);
    expect(await search('aeroport dakar')).toEqual([french]);
    expect(await search('frontiere')).toEqual([french]);
    // English: other forms of the same word.
    expect(await search('investigation')).toEqual([english]);
    expect(await search('smuggled')).toEqual([english]);
    expect(await search('trains financial')).toEqual([english]);
    // Without a language, both; with one, only the requests written in it (and the query read in it alone).
    const both = await search('documents');
    expect(both).toEqual(expect.arrayContaining([french]));
    expect((await search('atlantic OR frontieres')).sort()).toEqual([french, english].sort());
    expect(await search('atlantic OR frontieres', 'fr')).toEqual([french]);
    expect(await search('atlantic OR frontieres', 'en')).toEqual([english]);
    expect(await search('formations', 'en')).toEqual([]);
    expect(await search('investigation', 'fr')).toEqual([]);
    const frenchOnly = ids((await call(system, 'GET', '/requests?language=fr&limit=100', cast.monitor)).body);
    expect(frenchOnly).toEqual([french]);
    expect(ids((await call(system, 'GET', '/requests?language=en&limit=100', cast.monitor)).body)).toContain(english);
    expect((await call(system, 'GET', '/requests?language=pt', cast.monitor)).status).toBe(400);
    expect((await call(system, 'POST', '/requests', cast.partner, sampleSubmission({ language: 'pt' }))).status).toBe(400);
    // An excluded word is excluded in every language.
    expect(await search('documents -dakar')).not.toContain(french);
  });

  it('reads requests stored before they said their language as English', async () => {
    const { system, cast } = ctx;
    const [row] = await insertRequestRows(system.database.db, 1, { country: 'SN', timestamps: 1 });
    await system.database.pool.query("update requests set search_document = 'Strengthening reintegration counsellors' where id = $1", [row!.id]);
    const { rows } = await system.database.pool.query('select language from requests where id = $1', [row!.id]);
    expect(rows).toEqual([{ language: 'en' }]);
    expect(ids((await call(system, 'GET', '/requests?q=counsellor&language=en', cast.monitor)).body)).toEqual([row!.id]);
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
