import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { runCli } from '../../cli/run-cli';
import { UnknownCountryError } from '../../db/dialogue-members-repository';
import { issueToken } from '../../db/users-repository';
import { useTestSystem } from '../support/use-test-system';
import { call, sampleSubmission } from '../support/cast';
import { insertRequestRows } from '../support/seed-read-model';

/**
 * The dialogue's members as reference data: seeded with the Rabat Process's, read by everyone, kept by
 * administrators; every new user's, token's and request's country must be one of them; the coverage lists every
 * partner country, those without a request included.
 */
const ctx = useTestSystem();

interface Member {
  code: string;
  nameEn: string;
  nameFr: string;
  kind: 'country' | 'organisation';
  status: 'partner' | 'observer';
  region: string | null;
  memberSince: string | null;
}

// Restated from the dialogue's public record, independently of the migration that seeds them.
const EU_MEMBER_STATES = ['AT', 'BE', 'BG', 'HR', 'CY', 'CZ', 'DK', 'EE', 'FI', 'FR', 'DE', 'GR', 'HU', 'IE', 'IT', 'LV', 'LT', 'LU', 'MT', 'NL', 'PL', 'PT', 'RO', 'SK', 'SI', 'ES', 'SE'];
const AFRICAN_PARTNERS = ['MA', 'MR', 'SN', 'ML', 'NE', 'NG', 'BF', 'BJ', 'TG', 'GH', 'CI', 'LR', 'SL', 'GN', 'GW', 'GM', 'CV', 'CM', 'TD', 'CF', 'CG', 'CD', 'GQ', 'GA', 'ST', 'TN'];
const PARTNER_COUNTRIES = [...EU_MEMBER_STATES, 'NO', 'CH', 'GB', ...AFRICAN_PARTNERS].sort();

const members = async (): Promise<Member[]> => (await call(ctx.system, 'GET', '/countries', ctx.cast.partner)).body.items;

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { ...process.env, DATABASE_URL: ctx.system.databaseUrl }, {
    out: (line) => (stdout += `${line}\n`),
    err: (line) => (stderr += `${line}\n`),
  });
  return { code, stdout, stderr };
}

const count = async (table: 'users' | 'requests' | 'admin_events', where = 'true') =>
  (await ctx.system.database.pool.query<{ n: number }>(`select count(*)::int as n from ${table} where ${where}`)).rows[0]!.n;

describe('the list of the dialogue’s members', () => {
  it('is seeded with the Rabat Process’s partners, observers and organisations', async () => {
    const seeded = await members();
    const codes = (filter: (m: Member) => boolean) => seeded.filter(filter).map((m) => m.code).sort();
    expect(codes((m) => m.kind === 'country' && m.status === 'partner')).toEqual(PARTNER_COUNTRIES);
    expect(codes((m) => m.status === 'observer')).toEqual(['DZ', 'LY']);
    expect(codes((m) => m.kind === 'organisation')).toEqual(['EU', 'XW']);
    expect(seeded).toHaveLength(PARTNER_COUNTRIES.length + 4);
    // In code order, as the list always answers.
    expect(seeded.map((m) => m.code)).toEqual(seeded.map((m) => m.code).sort());

    const byCode = new Map(seeded.map((m) => [m.code, m]));
    expect(byCode.get('SN')).toEqual({ code: 'SN', nameEn: 'Senegal', nameFr: 'Sénégal', kind: 'country', status: 'partner', region: 'west_africa', memberSince: null });
    expect(byCode.get('CI')).toMatchObject({ nameEn: 'Côte d\'Ivoire', nameFr: 'Côte d\'Ivoire' });
    expect(byCode.get('GB')).toMatchObject({ nameEn: 'United Kingdom', nameFr: 'Royaume-Uni', region: 'europe' });
    expect(byCode.get('CD')).toMatchObject({ nameEn: 'Democratic Republic of the Congo', nameFr: 'République démocratique du Congo', region: 'central_africa' });
    expect(byCode.get('ST')).toMatchObject({ nameEn: 'São Tomé and Príncipe', nameFr: 'Sao Tomé-et-Principe' });
    expect(byCode.get('MA')).toMatchObject({ nameFr: 'Maroc', region: 'north_africa' });
    expect(byCode.get('EU')).toMatchObject({ nameEn: 'European Commission', nameFr: 'Commission européenne', kind: 'organisation', status: 'partner' });
    expect(byCode.get('XW')?.nameFr).toContain('CEDEAO');
    expect(byCode.get('DZ')).toMatchObject({ nameEn: 'Algeria', nameFr: 'Algérie', status: 'observer' });
  });

  it('names every member in English and in French', async () => {
    const unnamed = (await members()).filter((m) => !m.nameEn?.trim() || !m.nameFr?.trim() || m.nameEn.trim() !== m.nameEn || m.nameFr.trim() !== m.nameFr);
    expect(unnamed).toEqual([]);
    // A French name that only repeats the English one is a slip, except where the two languages agree.
    const SAME_IN_BOTH = ['FR', 'LU', 'PT', 'ML', 'NE', 'NG', 'BF', 'TG', 'GH', 'CI', 'LR', 'SL', 'CV', 'GA'];
    expect((await members()).filter((m) => m.nameEn === m.nameFr && !SAME_IN_BOTH.includes(m.code)).map((m) => m.code)).toEqual([]);
  });

  it('is read by everyone signed in, one member at a time too', async () => {
    const { system, cast } = ctx;
    for (const person of Object.values(cast)) expect((await call(system, 'GET', '/countries', person)).status).toBe(200);
    expect((await call(system, 'GET', '/countries')).status).toBe(401);
    expect((await call(system, 'GET', '/countries/ML', cast.monitor)).body).toMatchObject({ code: 'ML', nameEn: 'Mali', nameFr: 'Mali' });
    const unknown = await call(system, 'GET', '/countries/QQ', cast.monitor);
    expect(unknown).toMatchObject({ status: 404, body: { code: 'country_not_found' } });
    expect(unknown.body.message).toContain('GET /countries');
    expect((await call(system, 'GET', '/countries/sn', cast.monitor)).status).toBe(400);
  });
});

describe('a country that is not on the list', () => {
  const unknownCountry = { code: 'unknown_country', field: 'body.country' };

  it('is refused when an administrator creates a user, and nothing is created', async () => {
    const { system, cast } = ctx;
    const users = await count('users');
    const refused = await call(system, 'POST', '/admin/users', cast.admin, { name: 'Focal point of nowhere', role: 'partner', country: 'XX' });
    expect(refused).toMatchObject({ status: 400, body: unknownCountry });
    expect(refused.body.message).toBe(
      "body.country: 'XX' is not a member of the dialogue: GET /countries lists the members and their codes (an administrator adds one with PUT /countries/{code}).",
    );
    expect(await count('users')).toBe(users);
    const created = await call(system, 'POST', '/admin/users', cast.admin, { name: 'Focal point of Gabon', role: 'partner', country: 'GA' });
    expect(created).toMatchObject({ status: 201, body: { country: 'GA' } });
  });

  it('is refused when a token is created with the CLI (or the repository it uses), and nothing is created', async () => {
    const users = await count('users');
    const refused = await cli('token', 'create', '--name', 'Nowhere NFP', '--role', 'partner', '--country', 'XX');
    expect(refused.code).toBe(2);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toContain("Error: 'XX' is not a member of the dialogue: GET /countries lists the members");
    await expect(issueToken(ctx.system.database.db, { name: 'Nowhere SC', role: 'sc_member', country: 'QQ' })).rejects.toBeInstanceOf(UnknownCountryError);
    expect(await count('users')).toBe(users);

    const accepted = await cli('token', 'create', '--name', 'Liberia NFP', '--role', 'partner', '--country', 'lr');
    expect(accepted.code, accepted.stderr).toBe(0);
    expect(accepted.stdout).toMatch(/^rbt_/);
  });

  it('is refused at submission; rows stored before the list existed keep being read and counted', async () => {
    const { system, cast } = ctx;
    // A focal point created before countries were checked, for a country that does not exist: they keep their
    // access (another token), but cannot submit for it.
    await system.database.pool.query("insert into users (name, role, country) values ('Legacy NFP', 'partner', 'XX')");
    const legacy = await issueToken(system.database.db, { name: 'Legacy NFP', role: 'partner', country: 'XX' });
    const requests = await count('requests');
    const refused = await call(system, 'POST', '/requests', legacy.token, sampleSubmission({ country: 'XX' }));
    expect(refused).toMatchObject({ status: 400, body: unknownCountry });
    expect(refused.body.message).toContain('GET /countries');
    expect(await count('requests')).toBe(requests);

    await insertRequestRows(system.database.db, 3, { country: 'XX', timestamps: 3 });
    const listed = await call(system, 'GET', '/requests?country=XX&limit=100', cast.monitor);
    expect(listed.status).toBe(200);
    expect(listed.body.items).toHaveLength(3);
    expect((await call(system, 'GET', '/requests?limit=100', legacy.token)).body.items).toHaveLength(3);
    expect((await call(system, 'GET', '/admin/users', cast.admin)).body.items).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'Legacy NFP', country: 'XX' })]));
    expect((await call(system, 'GET', '/statistics', cast.monitor)).status).toBe(200);
    expect((await call(system, 'GET', '/statistics/coverage', cast.monitor)).body.countries).toContain('XX');
  });
});

describe('administrators keep the list', () => {
  const eritrea = { nameEn: 'Eritrea', nameFr: 'Érythrée', kind: 'country', status: 'observer', region: 'east_africa' };

  it('add a member, which is then accepted for users, tokens and requests, and change it; both on their log', async () => {
    const { system, cast } = ctx;
    expect((await call(system, 'POST', '/admin/users', cast.admin, { name: 'Eritrea NFP', role: 'partner', country: 'ER' })).body.code).toBe('unknown_country');

    const forbidden = await call(system, 'PUT', '/countries/ER', cast.secretariat, eritrea);
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.message).toContain('Only administrators keep the list');
    expect((await call(system, 'GET', '/countries/ER', cast.admin)).status).toBe(404);

    const added = await call(system, 'PUT', '/countries/ER', cast.admin, eritrea);
    expect(added).toMatchObject({ status: 201, body: { code: 'ER', ...eritrea, memberSince: null } });
    expect((await members()).map((m) => m.code)).toContain('ER');
    const logged = await system.database.pool.query("select actor_name, payload from admin_events where type = 'country_added' and payload->>'code' = 'ER'");
    expect(logged.rows).toEqual([{ actor_name: cast.admin.actor.name, payload: { code: 'ER', member: { code: 'ER', ...eritrea, memberSince: null } } }]);

    const user = await call(system, 'POST', '/admin/users', cast.admin, { name: 'Eritrea NFP', role: 'partner', country: 'ER' });
    expect(user.status).toBe(201);
    const token = await call(system, 'POST', `/admin/users/${user.body.userId}/tokens`, cast.admin, {});
    expect(token.status).toBe(201);
    const submitted = await call(system, 'POST', '/requests', token.body.token, sampleSubmission({ country: 'ER' }));
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(201);

    const changed = await call(system, 'PUT', '/countries/ER', cast.admin, { ...eritrea, status: 'partner', memberSince: '2024-06-01' });
    expect(changed).toMatchObject({ status: 200, body: { status: 'partner', memberSince: '2024-06-01' } });
    const change = await system.database.pool.query("select payload from admin_events where type = 'country_changed' and payload->>'code' = 'ER'");
    expect(change.rows[0].payload).toMatchObject({ before: { status: 'observer', memberSince: null }, after: { status: 'partner', memberSince: '2024-06-01' } });

    const badName = await call(system, 'PUT', '/countries/ER', cast.admin, { ...eritrea, nameFr: ' Érythrée' });
    expect(badName).toMatchObject({ status: 400, body: { message: 'body: nameFr must not start or end with a space' } });
    expect((await call(system, 'PUT', '/countries/ER', cast.admin, { ...eritrea, region: 'atlantis' })).status).toBe(400);
    expect((await call(system, 'PUT', '/countries/ER', cast.admin, { ...eritrea, nameFr: undefined })).status).toBe(400);
    expect((await call(system, 'GET', '/countries/ER', cast.admin)).body).toMatchObject({ status: 'partner', nameFr: 'Érythrée' });
  });

  it('remove a member nobody names; one that users or requests name stays, and the answer says which', async () => {
    const { system, cast } = ctx;
    await call(system, 'POST', '/requests', cast.partner, sampleSubmission());
    const events = await count('admin_events');
    const inUse = await call(system, 'DELETE', '/countries/SN', cast.admin);
    expect(inUse).toMatchObject({ status: 409, body: { code: 'country_in_use' } });
    expect(inUse.body.message).toMatch(/^SN \(Senegal\) cannot be removed: \d+ users? \(.*partner-SN-.*\) and 1 request \([0-9a-f-]{36}\) name it as their country\. It stays on the list/);
    expect(await count('admin_events')).toBe(events);
    expect((await call(system, 'GET', '/countries/SN', cast.monitor)).status).toBe(200);

    expect((await call(system, 'DELETE', '/countries/KM', cast.admin)).status).toBe(404);
    await call(system, 'PUT', '/countries/KM', cast.admin, { nameEn: 'Comoros', nameFr: 'Comores', kind: 'country', status: 'observer' });
    expect((await call(system, 'DELETE', '/countries/KM', cast.monitor)).status).toBe(403);
    const removed = await call(system, 'DELETE', '/countries/KM', cast.admin);
    expect(removed).toMatchObject({ status: 200, body: { code: 'KM', nameEn: 'Comoros', region: null } });
    expect((await call(system, 'GET', '/countries/KM', cast.monitor)).status).toBe(404);
    const logged = await system.database.pool.query("select payload from admin_events where type = 'country_removed'");
    expect(logged.rows).toEqual([{ payload: { code: 'KM', member: removed.body } }]);
    expect((await call(system, 'POST', '/admin/users', cast.admin, { name: 'Comoros NFP', role: 'partner', country: 'KM' })).body.code).toBe('unknown_country');
  });
});

describe('the coverage', () => {
  it('lists every partner country, those without a single request with all their gaps', async () => {
    const { system, cast } = ctx;
    const coverage = (await call(system, 'GET', '/statistics/coverage', cast.monitor)).body;
    expect(coverage.countries).toEqual(expect.arrayContaining(PARTNER_COUNTRIES));
    // Gabon has a focal point (above) and no request; Chad neither: both are rows, every action area a gap.
    for (const country of ['GA', 'TD']) {
      expect(coverage.cells.filter((c: { country: string }) => c.country === country)).toEqual([]);
      expect(coverage.gaps.filter((g: { country: string }) => g.country === country)).toEqual([1, 2, 3, 4, 5].map((actionArea) => ({ country, actionArea })));
    }
    // Observers and organisations appear only once they have a focal point or a request.
    expect(coverage.countries).not.toContain('DZ');
    expect(coverage.countries).not.toContain('EU');
    expect(coverage.byObjective.gaps.filter((g: { country: string }) => g.country === 'TD')).toHaveLength(coverage.byObjective.objectives.length);

    const csv = await system.app.inject({ method: 'GET', url: '/exports/coverage.csv', headers: { authorization: `Bearer ${cast.monitor.token}` } });
    const rows = parse(csv.body, { columns: true, bom: true }) as Array<Record<string, string>>;
    expect(rows.filter((r) => r.country === 'TD')).toEqual([1, 2, 3, 4, 5].map((area) => ({ country: 'TD', action_area: String(area), requests: '0', requested_budget_eur: '0' })));

    // A focal point's coverage is still their own country's alone.
    expect((await call(system, 'GET', '/statistics/coverage', cast.partner)).body.countries).toEqual(['SN']);
  });
});
