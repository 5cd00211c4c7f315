import { describe, expect, it } from 'vitest';
import { useTestSystem } from '../support/use-test-system';
import { call, sampleSubmission, type Person } from '../support/cast';

const ctx = useTestSystem();

const CONTACT = { name: 'Awa Diop', email: 'awa.diop@interieur.gouv.sn', phone: '+221 33 000 00 00' };

describe('personal data', () => {
  it('on a server that sends no e-mail, a person cannot give an address it could never confirm, but may remove theirs', async () => {
    const { system, cast } = ctx;
    expect((await call(system, 'GET', '/me', cast.partner)).body).toMatchObject({ email: null, pendingEmail: null, emailEnabled: false });
    const refused = await call(system, 'PUT', '/me/email', cast.partner, { email: 'nfp@senegal.example.org' });
    expect(refused).toMatchObject({ status: 409, body: { code: 'email_off', message: expect.stringContaining('SMTP_URL') } });
    expect((await call(system, 'GET', '/me', cast.partner)).body).toMatchObject({ email: null, pendingEmail: null });
    // An administrator's address is in use at once (they vouch for it), and its owner may always remove it.
    expect((await call(system, 'PUT', `/admin/users/${cast.partner.actor.userId}/email`, cast.admin, { email: 'nfp@senegal.example.org' })).status).toBe(200);
    expect((await call(system, 'PUT', '/me/email', cast.partner, { email: null })).body).toMatchObject({ email: null });
    expect((await call(system, 'POST', '/me/email/confirmation', cast.partner, { code: '123456' })).body.code).toBe('nothing_to_confirm');
  });

  it('contact details are shown only to the requesting country, the Secretariat and administrators', async () => {
    const { system, cast } = ctx;
    const submitted = await call(system, 'POST', '/requests', cast.partner, sampleSubmission({ contact: CONTACT }));
    expect(submitted.status).toBe(201);
    const id = submitted.body.id as string;
    await call(system, 'POST', `/requests/${id}/screening`, cast.secretariat, { outcome: 'accept', note: 'ok' });

    const readers: Array<[string, Person, boolean]> = [
      ['partner', cast.partner, true],
      ['secretariat', cast.secretariat, true],
      ['admin', cast.admin, true],
      ['scMember', cast.scMember, false],
      ['chair', cast.chair, false],
      ['monitor', cast.monitor, false],
    ];
    for (const [who, person, seesContact] of readers) {
      const view = await call(system, 'GET', `/requests/${id}`, person);
      expect({ who, contact: view.body.contact }).toEqual({ who, contact: seesContact ? CONTACT : null });
      expect({ who, restricted: view.body.restrictedFields }).toEqual({ who, restricted: seesContact ? [] : ['contact'] });
      expect(view.body.contentVersions[0].submission.contact).toEqual(seesContact ? CONTACT : null);
      const events = await call(system, 'GET', `/requests/${id}/events`, person);
      const text = JSON.stringify(events.body);
      expect({ who, leaks: text.includes(CONTACT.email) }).toEqual({ who, leaks: seesContact });
      expect(events.body.items[0].payload.submission.title).toBe(sampleSubmission().title);
    }
  });

  it('an invalid contact is a 400 naming the field', async () => {
    const { system, cast } = ctx;
    const r = await call(system, 'POST', '/requests', cast.partner, sampleSubmission({ contact: { name: 'A', email: 'not-an-email' } }));
    expect(r.status).toBe(400);
    expect(r.body.field).toBe('body.contact.email');
  });
});

describe('tokens', () => {
  it('administrators create users and tokens; the secret is shown once; last use is recorded', async () => {
    const { system, cast } = ctx;
    const created = await call(system, 'POST', '/admin/users', cast.admin, { name: 'Lamine Sarr', role: 'partner', country: 'SN' });
    expect(created.status).toBe(201);
    const duplicate = await call(system, 'POST', '/admin/users', cast.admin, { name: 'Lamine Sarr', role: 'partner', country: 'SN' });
    expect(duplicate.status).toBe(409);
    const missingCountry = await call(system, 'POST', '/admin/users', cast.admin, { name: 'No Country', role: 'sc_member' });
    expect(missingCountry.status).toBe(400);

    const issued = await call(system, 'POST', `/admin/users/${created.body.userId}/tokens`, cast.admin, { label: 'office laptop' });
    expect(issued.status).toBe(201);
    const token = issued.body.token as string;
    expect((await call(system, 'GET', '/requests', token)).status).toBe(200);

    const listed = await call(system, 'GET', '/admin/tokens?user=Lamine%20Sarr', cast.admin);
    expect(listed.body.items).toHaveLength(1);
    expect(listed.body.items[0]).toMatchObject({ tokenId: issued.body.tokenId, label: 'office laptop', revokedAt: null });
    expect(listed.body.items[0].lastUsedAt).not.toBeNull();
    expect(JSON.stringify(listed.body)).not.toContain(token.slice('rbt_'.length + 32 + 1));
  });

  it('a revoked token is refused at once, and revoking twice is harmless', async () => {
    const { system, cast } = ctx;
    const user = await system.user('monitor');
    expect((await call(system, 'GET', '/requests', user)).status).toBe(200);
    const [tokenInfo] = (await call(system, 'GET', `/admin/tokens?user=${encodeURIComponent(user.actor.name)}`, cast.admin)).body.items;
    const revoked = await call(system, 'DELETE', `/admin/tokens/${tokenInfo.tokenId}`, cast.admin);
    expect(revoked.status).toBe(200);
    const refused = await call(system, 'GET', '/requests', user);
    expect(refused.status).toBe(401);
    expect(refused.body.code).toBe('token_revoked');
    const again = await call(system, 'DELETE', `/admin/tokens/${tokenInfo.tokenId}`, cast.admin);
    expect(again.body.revokedAt).toBe(revoked.body.revokedAt);
    expect((await call(system, 'DELETE', '/admin/tokens/00000000-0000-4000-8000-000000000000', cast.admin)).status).toBe(404);
  });

  it('an expired token is refused, and an expiry in the past is refused when issuing', async () => {
    const { system, cast } = ctx;
    const created = await call(system, 'POST', '/admin/users', cast.admin, { name: 'Short Lived', role: 'monitor' });
    const soon = new Date(Date.now() + 1_500).toISOString();
    const issued = await call(system, 'POST', `/admin/users/${created.body.userId}/tokens`, cast.admin, { expiresAt: soon });
    expect(issued.status).toBe(201);
    expect((await call(system, 'GET', '/requests', issued.body.token)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1_700));
    const refused = await call(system, 'GET', '/requests', issued.body.token);
    expect(refused.status).toBe(401);
    expect(refused.body.code).toBe('token_expired');
    const past = await call(system, 'POST', `/admin/users/${created.body.userId}/tokens`, cast.admin, { expiresAt: '2020-01-01T00:00:00Z' });
    expect(past.status).toBe(400);
    expect(past.body.field).toBe('body.expiresAt');
  });

  it('a forged token (right ID, wrong secret) is refused like an unknown one', async () => {
    const { system, cast } = ctx;
    // rbt_<32 hex id>_<43 characters of secret>: keep the ID, change the secret.
    const forged = `${cast.monitor.token.slice(0, 37)}${'A'.repeat(43)}`;
    expect(forged).toHaveLength(cast.monitor.token.length);
    const r = await call(system, 'GET', '/requests', forged);
    expect(r.status).toBe(401);
    expect(r.body.code).toBe('token_unknown');
  });
});

describe('injection attempts never reach a 500', () => {
  const NASTY = ["' OR 1=1 --", '"; DROP TABLE requests; --', '💥 ünïcödé', 'x'.repeat(5_000), '../../etc/passwd', '%00', '{"$gt":""}'];

  it('in every ID parameter and filter', async () => {
    const { system, cast } = ctx;
    const statuses = new Set<number>();
    for (const nasty of NASTY) {
      const e = encodeURIComponent(nasty);
      const urls = [
        [cast.monitor, 'GET', `/requests/${e}`],
        [cast.monitor, 'GET', `/requests/${e}/events`],
        [cast.secretariat, 'POST', `/requests/${e}/screening`],
        [cast.secretariat, 'PATCH', `/requests/00000000-0000-4000-8000-000000000000/activities/${e}`],
        [cast.monitor, 'GET', `/requests?phase=${e}`],
        [cast.monitor, 'GET', `/requests?country=${e}`],
        [cast.monitor, 'GET', `/requests?domain=${e}`],
        [cast.monitor, 'GET', `/requests?limit=${e}`],
        [cast.monitor, 'GET', `/requests?cursor=${e}`],
        [cast.admin, 'GET', `/admin/tokens?user=${e}`],
        [cast.admin, 'DELETE', `/admin/tokens/${e}`],
        [cast.admin, 'POST', `/admin/users/${e}/tokens`],
      ] as const;
      for (const [who, method, url] of urls) {
        const r = await call(system, method, url, who, method === 'GET' || method === 'DELETE' ? undefined : { outcome: 'accept', note: 'x', status: 'done' });
        statuses.add(r.status);
        expect({ url: url.slice(0, 80), ok: r.status < 500 }).toEqual({ url: url.slice(0, 80), ok: true });
      }
    }
    // Bad IDs and filters are 400 (a 5,000-character path parameter too), a name that matches nobody an empty list (200).
    expect([...statuses].filter((s) => ![200, 400, 404].includes(s))).toEqual([]);
    const { rows } = await system.database.pool.query('select count(*)::int as n from requests');
    expect(rows[0].n).toBeGreaterThan(0);
  });
});
