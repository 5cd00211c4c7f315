import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { insertRequestRows } from '../support/seed-read-model';
import { advanceTo, call, submit } from '../support/cast';
import { useTestSystem } from '../support/use-test-system';
import { waitFor } from '../support/wait-for';

/** Lists by every filter and sort the portfolio needs, and their CSV exports, within each caller's visibility. */
const ctx = useTestSystem({ policy: { progressReportInterval: 'PT2S', reportReminderLead: 'PT1S' } });

const ids = (body: { items: Array<{ id: string }> }) => body.items.map((item) => item.id);
const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

async function exportCsv(path: string, token: string) {
  const response = await ctx.system.app.inject({ method: 'GET', url: path, headers: { authorization: `Bearer ${token}` } });
  return { status: response.statusCode, headers: response.headers, text: response.body };
}

const rowsOf = (csv: string): Array<Record<string, string>> => parse(csv, { columns: true, bom: true });

describe('filters of the list', () => {
  it('finds what is overdue, what has objections and what was decided in a period — and says so on every row', async () => {
    const { system, cast } = ctx;
    const late = await submit(system, cast, { title: 'Reporting late' });
    await advanceTo(system, cast, late, 'implementation');
    const contested = await submit(system, cast, { title: 'Contested study' });
    await call(system, 'POST', `/requests/${contested}/screening`, cast.secretariat, { outcome: 'accept', note: 'Eligible.' });
    await call(system, 'POST', `/requests/${contested}/votes`, cast.scMember, { vote: 'objection', comment: 'Duplicates a 2025 study.' });
    const fresh = await submit(system, cast, { title: 'Fresh request' });

    // The progress report falls due two seconds after approval; until somebody reports, the request is overdue.
    await waitFor(
      async () => (await call(system, 'GET', '/requests?overdue=true&limit=100', cast.monitor)).body,
      (page) => ids(page).includes(late),
    );
    const overdue = (await call(system, 'GET', '/requests?overdue=true&limit=100', cast.monitor)).body;
    expect(ids(overdue)).toEqual([late]);
    expect(overdue.items[0]).toMatchObject({ overdue: true, requestedBudgetEur: 45000, approvedBudgetEur: 45000 });
    expect(Date.parse(overdue.items[0].dueAt)).toBeLessThan(Date.now());
    expect(ids((await call(system, 'GET', '/requests?overdue=false&limit=100', cast.monitor)).body)).toEqual([fresh, contested]);

    const objected = (await call(system, 'GET', '/requests?hasObjections=true', cast.monitor)).body;
    expect(ids(objected)).toEqual([contested]);
    expect(objected.items[0]).toMatchObject({ hasObjections: true, decidedAt: null });

    const today = new Date().toISOString().slice(0, 10);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const decided = (await call(system, 'GET', `/requests?decidedFrom=${today}&decidedTo=${tomorrow}`, cast.monitor)).body;
    expect(ids(decided)).toEqual([late]);
    expect(Date.parse(decided.items[0].decidedAt)).toBeGreaterThan(Date.now() - 600_000);
    expect(ids((await call(system, 'GET', `/requests?decidedTo=${today}`, cast.monitor)).body)).toEqual([]);

    // Filters never widen what a caller sees: the other country's partner finds none of it.
    expect(ids((await call(system, 'GET', '/requests?overdue=true', cast.otherPartner)).body)).toEqual([]);
    expect((await call(system, 'GET', '/requests?overdue=maybe', cast.monitor)).status).toBe(400);
  });
});

describe('sorting and keyset pages', () => {
  it('walks every sort page by page without skipping or repeating a row, ties included', async () => {
    const { system, cast } = ctx;
    // 45 rows sharing 3 timestamps: ties are where a careless keyset skips or repeats rows.
    const seeded = await insertRequestRows(system.database.db, 45, { country: 'GH', timestamps: 3 });
    const walk = async (sort: string) => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const query: string = `/requests?country=GH&sort=${sort}&limit=7${cursor ? `&cursor=${cursor}` : ''}`;
        const page = (await call(system, 'GET', query, cast.monitor)).body;
        seen.push(...ids(page));
        cursor = page.nextCursor;
      } while (cursor);
      return seen;
    };
    const byKey = (key: 'submittedAt' | 'updatedAt', descending: boolean) =>
      [...seeded]
        .sort((a, b) => a[key].localeCompare(b[key]) || a.id.localeCompare(b.id))
        .map((row) => row.id)
        [descending ? 'reverse' : 'slice']();
    expect(await walk('newest')).toEqual(byKey('submittedAt', true));
    expect(await walk('oldest')).toEqual(byKey('submittedAt', false));
    expect(await walk('recently_updated')).toEqual(byKey('updatedAt', true));

    const first = (await call(system, 'GET', '/requests?country=GH&sort=oldest&limit=7', cast.monitor)).body;
    const mixed = await call(system, 'GET', `/requests?country=GH&sort=newest&cursor=${first.nextCursor}`, cast.monitor);
    expect(mixed.status).toBe(400);
    expect(mixed.body.message).toMatch(/sorted by oldest/);
    expect((await call(system, 'GET', '/requests?sort=alphabetical', cast.monitor)).status).toBe(400);

    // Forged cursors are refused as cursors, never passed to Postgres (these once answered 500).
    const forged = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    for (const cursor of [
      forged(['+275760-09-13T00:00:00.000Z', '00000000-0000-4000-8000-000000000000']),
      forged(['1', '00000000-0000-4000-8000-000000000000']),
      forged(['2026-01-05T09:00:00.000Z', '------------------------------------']),
      'not-base64-json',
    ]) {
      const refused = await call(system, 'GET', `/requests?cursor=${cursor}`, cast.monitor);
      expect({ cursor, status: refused.status, code: refused.body.code }).toEqual({ cursor, status: 400, code: 'invalid_cursor' });
    }
  });
});

describe('the worklist: who must act, soonest deadline first', () => {
  it('sorts by deadline, overdue first and undated last, pages without skipping ties, and keeps to open requests on asking', async () => {
    const { system, cast } = ctx;
    // 40 rows: three shared deadlines (one past) and none, over open and ended phases.
    const deadlines = ['2026-01-01T09:00:00.000Z', '2099-03-01T09:00:00.000Z', '2099-06-01T09:00:00.000Z', null];
    const phases = ['screening', 'review', 'implementation', 'completed', 'withdrawn'] as const;
    const seeded = await insertRequestRows(system.database.db, 40, {
      country: 'GM',
      timestamps: 4,
      phase: (i) => phases[i % phases.length]!,
      // Ended requests have no deadline: nobody must act on them.
      dueAt: (i) => (['completed', 'withdrawn'].includes(phases[i % phases.length]!) ? null : deadlines[i % deadlines.length]!),
      // A few as their last event left them before the read model kept who must act: computed from the state instead.
      beforeWaitingFor: (i) => i % 7 === 0,
    });
    const walk = async (query: string) => {
      const items: Array<{ id: string; dueAt: string | null; phase: string; overdue: boolean; waitingFor: { roles: string[] } | null }> = [];
      let cursor: string | null = null;
      do {
        const page: { items: typeof items; nextCursor: string | null } = (await call(system, 'GET', `/requests?country=GM&sort=due&limit=6${query}${cursor ? `&cursor=${cursor}` : ''}`, cast.monitor)).body;
        items.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      return items;
    };
    const expected = (keep: (row: (typeof seeded)[number]) => boolean) =>
      seeded
        .filter(keep)
        // Code-point order, as Postgres compares ISO times and UUIDs ('~' after every digit; localeCompare puts it first).
        .sort((a, b) => byCodePoint(a.dueAt ?? '~', b.dueAt ?? '~') || byCodePoint(a.id, b.id))
        .map((row) => row.id);
    const ended = (row: { phase: string }) => ['completed', 'withdrawn'].includes(row.phase);

    const all = await walk('');
    expect(all.map((item) => item.id)).toEqual(expected(() => true));
    expect(all[0]).toMatchObject({ dueAt: '2026-01-01T09:00:00.000Z', overdue: true });

    const open = await walk('&open=true');
    expect(open.map((item) => item.id)).toEqual(expected((row) => !ended(row)));
    // Each item says who must act, as the request's details do: nobody, once it ended.
    expect(new Set(open.map((item) => item.waitingFor?.roles.join()))).toEqual(new Set(['secretariat', 'sc_member']));
    const closed = await walk('&open=false');
    expect(closed.map((item) => item.id)).toEqual(expected(ended));
    expect(closed.every((item) => item.waitingFor === null && item.dueAt === null)).toBe(true);

    // The cursor of an undated row carries "infinity": accepted for the due sort only.
    const forged = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const undated = forged(['infinity', '00000000-0000-4000-8000-000000000000', 'due']);
    expect((await call(system, 'GET', `/requests?country=GM&sort=due&cursor=${undated}`, cast.monitor)).status).toBe(200);
    const wrongSort = await call(system, 'GET', `/requests?cursor=${forged(['infinity', '00000000-0000-4000-8000-000000000000', 'newest'])}`, cast.monitor);
    expect(wrongSort.body.code).toBe('invalid_cursor');
    expect((await call(system, 'GET', '/requests?open=sometimes', cast.monitor)).status).toBe(400);

    // The export takes the same sort and filter, across its own pages.
    const exported = await exportCsv('/exports/requests.csv?country=GM&sort=due&open=true', cast.monitor.token);
    expect(rowsOf(exported.text).map((row) => row.id)).toEqual(expected((row) => !ended(row)));
  });
});

describe('who must act, in lists', () => {
  it('says on every list item what the details of the request say, written with each event, and nobody once it ended', async () => {
    const { system, cast } = ctx;
    const listed = async (id: string) => {
      const page = (await call(system, 'GET', `/requests?limit=100&q=${encodeURIComponent('"Worklist walk"')}`, cast.monitor)).body;
      return page.items.find((item: { id: string }) => item.id === id);
    };
    const ids: string[] = [];
    for (const phase of ['screening', 'review', 'implementation', 'completed'] as const) {
      const id = await submit(system, cast, { title: `Worklist walk to ${phase}` });
      if (phase !== 'screening') await advanceTo(system, cast, id, phase);
      const details = (await call(system, 'GET', `/requests/${id}`, cast.monitor)).body;
      expect({ phase, waitingFor: (await listed(id)).waitingFor }).toEqual({ phase, waitingFor: details.waitingFor });
      ids.push(id);
    }
    expect((await listed(ids.at(-1)!)).waitingFor).toBeNull();
    // Stored as a column of the read model with each event (nothing once ended), not computed from the state on each read.
    const { rows } = await system.database.pool.query('select phase, jsonb_typeof(waiting_for) as kind from requests where id = any($1) order by submitted_at', [ids]);
    expect(rows).toEqual([
      { phase: 'screening', kind: 'object' },
      { phase: 'review', kind: 'object' },
      { phase: 'implementation', kind: 'object' },
      { phase: 'completed', kind: null },
    ]);
  });

  it('says it in the reader’s language, also for a request whose column was written in English only', async () => {
    const { system, cast } = ctx;
    const id = await submit(system, cast, { title: 'Worklist walk in French' });
    await advanceTo(system, cast, id, 'review');
    const inFrench = { 'accept-language': 'fr-FR' };
    const listed = async () =>
      (await call(system, 'GET', `/requests?limit=100&q=${encodeURIComponent('"Worklist walk in French"')}`, cast.monitor, undefined, inFrench)).body.items[0];
    const details = (await call(system, 'GET', `/requests/${id}`, cast.monitor, undefined, inFrench)).body;
    expect(details.waitingFor.what).toMatch(/^Les membres du Comité de pilotage votent/);
    expect((await listed()).waitingFor).toEqual(details.waitingFor);
    // As rows were written before the column kept every language: worded from the state, the same.
    await system.database.pool.query(`update requests set waiting_for = waiting_for - 'whatIn' where id = $1`, [id]);
    expect((await listed()).waitingFor).toEqual(details.waitingFor);
    // Only the declared fields go out: the stored words in every language stay in the read model.
    expect(Object.keys((await call(system, 'GET', `/requests?limit=100&q=${encodeURIComponent('"Worklist walk"')}`, cast.monitor)).body.items[0].waitingFor ?? {}).sort()).toEqual(
      expect.not.arrayContaining(['whatIn']),
    );
  });
});

describe('CSV exports', () => {
  it('exports every matching request, across pages, as the list shows them', async () => {
    const { system, cast } = ctx;
    const seeded = await insertRequestRows(system.database.db, 2_345, { country: 'CV', timestamps: 2_345 });
    const response = await exportCsv('/exports/requests.csv?country=CV&sort=oldest', cast.monitor.token);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toMatch(/^attachment; filename="requests-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect(response.text.startsWith('\uFEFFid,title,country,action_area,action_plan,objective,activity_type,phase,submitted_at')).toBe(true);
    const rows = rowsOf(response.text);
    expect(rows.map((row) => row.id)).toEqual(seeded.sort((a, b) => a.submittedAt.localeCompare(b.submittedAt)).map((row) => row.id));
    expect(rows[0]).toMatchObject({ country: 'CV', phase: 'screening', overdue: 'false', has_objections: 'false', approved_budget_eur: '' });

    // The same filters and visibility as the list: a partner of another country gets a header and nothing else.
    const elsewhere = await exportCsv('/exports/requests.csv?country=CV', cast.partner.token);
    expect(rowsOf(elsewhere.text)).toEqual([]);
    expect((await exportCsv('/exports/requests.csv?phase=nowhere', cast.monitor.token)).status).toBe(400);
    expect((await exportCsv('/exports/requests.csv', 'rbt_nonsense')).status).toBe(401);
  });

  it('keeps spreadsheets from running what partners wrote as formulas, and keeps accents, quotes and newlines', async () => {
    const { system, cast } = ctx;
    const title = '=HYPERLINK("http://evil.example","Côte d’Ivoire, “border” training")';
    const id = await submit(system, cast, { title, description: 'Line one\nline two' });
    const rows = rowsOf((await exportCsv(`/exports/requests.csv?q=${encodeURIComponent('hyperlink')}`, cast.monitor.token)).text);
    expect(rows.map((row) => [row.id, row.title])).toEqual([[id, `'${title}`]]);
  });

  it('exports the statistics and the coverage matrix, gaps as zeros', async () => {
    const { cast } = ctx;
    const statistics = rowsOf((await exportCsv('/exports/statistics.csv', cast.monitor.token)).text);
    expect(Object.keys(statistics[0]!)).toEqual(['section', 'key', 'measure', 'value']);
    const json = (await call(ctx.system, 'GET', '/statistics', cast.monitor)).body;
    const phaseCounts = statistics.filter((row) => row.section === 'count_byPhase');
    expect(phaseCounts.map((row) => ({ key: row.key, count: Number(row.value) }))).toEqual(json.counts.byPhase);

    const coverage = rowsOf((await exportCsv('/exports/coverage.csv', cast.monitor.token)).text);
    const coverageJson = (await call(ctx.system, 'GET', '/statistics/coverage', cast.monitor)).body;
    expect(coverage).toHaveLength(coverageJson.countries.length * 5);
    const gap = coverageJson.gaps[0];
    expect(coverage.find((row) => row.country === gap.country && Number(row.action_area) === gap.actionArea)).toMatchObject({ requests: '0' });

    // A partner's export covers their own country only.
    const partnerCoverage = rowsOf((await exportCsv('/exports/coverage.csv', cast.partner.token)).text);
    expect(new Set(partnerCoverage.map((row) => row.country))).toEqual(new Set([cast.partner.actor.country]));
  });

  it('names the columns in words of the language asked (?lang=), and keeps the codes without it', async () => {
    const { cast } = ctx;
    const headerOf = async (path: string) => {
      const response = await exportCsv(path, cast.monitor.token);
      expect({ path, status: response.status }).toEqual({ path, status: 200 });
      return response.text.replace(/^\uFEFF/, '').split(/\r?\n/)[0];
    };
    expect(await headerOf('/exports/requests.csv?country=CV&lang=fr')).toBe(
      'ID,Titre,Pays,Domaine d’action,Plan d’action,Objectif,Type d’appui,Phase,Soumise le,Mise à jour le,Décidée le,Échéance,En retard,Objections,Budget demandé (EUR),Budget approuvé (EUR)',
    );
    expect(await headerOf('/exports/requests.csv?country=CV&lang=en')).toMatch(/^ID,Title,Country,Action area,/);
    expect(await headerOf('/exports/requests.csv?country=CV')).toMatch(/^id,title,country,action_area,/);
    expect(await headerOf('/exports/statistics.csv?lang=fr')).toBe('Section,Clé,Mesure,Valeur');
    expect(await headerOf('/exports/coverage.csv?lang=fr')).toBe('Pays,Domaine d’action,Demandes,Budget demandé (EUR)');
    expect(await headerOf('/exports/coverage-by-objective.csv?lang=fr')).toBe('Plan d’action,Pays,Domaine d’action,Objectif,Intitulé de l’objectif,Demandes,Budget demandé (EUR)');
    const refused = await exportCsv('/exports/statistics.csv?lang=de', cast.monitor.token);
    expect(refused.status).toBe(400);
    expect(refused.text).toMatch(/lang.*en.*fr/);
  });
});
