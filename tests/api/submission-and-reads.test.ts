import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../support/test-system';
import { call, createCast, sampleSubmission, submit, type Cast } from '../support/cast';

let system: TestSystem;
let cast: Cast;

beforeAll(async () => {
  system = await startTestSystem();
  cast = await createCast(system);
});
afterAll(async () => system?.stop());

async function workflowCount(id: string): Promise<number> {
  let n = 0;
  for await (const _ of system.client.workflow.list({ query: `WorkflowId = 'capacity-request-${id}'` })) n += 1;
  return n;
}

describe('submission', () => {
  it('creates the request in screening, with a Location and the submitter on record', async () => {
    const r = await call(system, 'POST', '/requests', cast.partner, sampleSubmission({ preferredPeriod: undefined }));
    expect(r.status).toBe(201);
    expect(r.headers.location).toBe(`/requests/${r.body.id}`);
    expect(r.body).toMatchObject({
      phase: 'screening',
      version: 1,
      country: 'SN',
      domain: 4,
      preferredPeriod: null,
      submitted: { by: { name: cast.partner.actor.name, role: 'partner' } },
      allowedActions: ['withdraw', 'attach_document'],
      waitingFor: { roles: ['secretariat'] },
    });
    const events = await call(system, 'GET', `/requests/${r.body.id}/events`, cast.partner);
    expect(events.body.items).toMatchObject([{ seq: 1, type: 'submitted', actorRole: 'partner', phaseAfter: 'screening' }]);
  });

  it('with the same Idempotency-Key, a retry returns the same request and creates nothing', async () => {
    const headers = { 'idempotency-key': `key-${Date.now()}` };
    const first = await call(system, 'POST', '/requests', cast.partner, sampleSubmission(), headers);
    const again = await call(system, 'POST', '/requests', cast.partner, sampleSubmission(), headers);
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.version).toBe(1);
    expect(await workflowCount(first.body.id)).toBe(1);
    const { rows } = await system.database.pool.query('select count(*)::int as n from request_events where request_id = $1', [first.body.id]);
    expect(rows[0].n).toBe(1);
  });

  it('a retry long after the request ended returns it as it is, and starts nothing', async () => {
    const headers = { 'idempotency-key': `late-${Date.now()}` };
    const first = await call(system, 'POST', '/requests', cast.partner, sampleSubmission(), headers);
    await call(system, 'POST', `/requests/${first.body.id}/withdrawal`, cast.partner, { reason: 'Funded elsewhere.' });
    await system.client.workflow.getHandle(`capacity-request-${first.body.id}`).result();
    const late = await call(system, 'POST', '/requests', cast.partner, sampleSubmission(), headers);
    expect(late.status).toBe(201);
    expect(late.body).toMatchObject({ id: first.body.id, phase: 'withdrawn' });
    expect(await workflowCount(first.body.id)).toBe(1);
  });

  it('concurrent retries with one key still make one request', async () => {
    const headers = { 'idempotency-key': `race-${Date.now()}` };
    const results = await Promise.all([1, 2, 3, 4].map(() => call(system, 'POST', '/requests', cast.partner, sampleSubmission(), headers)));
    expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201]);
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
  });

  it('the same key with a different body is refused (422), not silently merged', async () => {
    const headers = { 'idempotency-key': `reuse-${Date.now()}` };
    await call(system, 'POST', '/requests', cast.partner, sampleSubmission(), headers);
    const r = await call(system, 'POST', '/requests', cast.partner, sampleSubmission({ title: 'Another request' }), headers);
    expect(r.status).toBe(422);
    expect(r.body.code).toBe('idempotency_key_reused');
  });

  it('without a key, two submissions are two requests', async () => {
    const a = await submit(system, cast);
    const b = await submit(system, cast);
    expect(a).not.toBe(b);
  });

  const badBodies: Array<[string, unknown, string]> = [
    ['missing title', sampleSubmission({ title: undefined }), 'body.title'],
    ['empty title', sampleSubmission({ title: '' }), 'body.title'],
    ['domain out of range', sampleSubmission({ domain: 6 }), 'body.domain'],
    ['domain not an integer', sampleSubmission({ domain: 2.5 }), 'body.domain'],
    ['lower-case country', sampleSubmission({ country: 'sn' }), 'body.country'],
    ['unknown activity type', sampleSubmission({ activityType: 'party' }), 'body.activityType'],
    ['negative budget', sampleSubmission({ estimatedBudgetEur: -1 }), 'body.estimatedBudgetEur'],
    ['budget as words', sampleSubmission({ estimatedBudgetEur: 'a lot' }), 'body.estimatedBudgetEur'],
    // JSON bodies are not coerced: a number in quotes is a client mistake to report, not to guess at.
    ['budget as a numeric string', sampleSubmission({ estimatedBudgetEur: '45000' }), 'body.estimatedBudgetEur'],
    ['title as a number', sampleSubmission({ title: 42 }), 'body.title'],
    ['unknown field', sampleSubmission({ priority: 'high' }), 'body.priority'],
    ['title too long', sampleSubmission({ title: 'x'.repeat(201) }), 'body.title'],
  ];
  for (const [what, body, field] of badBodies) {
    it(`400 naming the field for ${what}`, async () => {
      const r = await call(system, 'POST', '/requests', cast.partner, body);
      expect(r.status).toBe(400);
      expect(r.body.field).toBe(field);
      expect(r.body.message).toContain(field);
      expect(r.body.requestId).toBeTruthy();
    });
  }

  it('400 for a body that is not JSON, and 415 for a body that is not declared as JSON', async () => {
    const broken = await system.app.inject({
      method: 'POST',
      url: '/requests',
      headers: { authorization: `Bearer ${cast.partner.token}`, 'content-type': 'application/json' },
      payload: '{"title": ',
    });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().message).toBe('The body is not valid JSON: it ends before the JSON is complete. Check the text there (a missing comma, quote or brace?).');
    const send = (payload: string, headers: Record<string, string>) =>
      system.app.inject({ method: 'POST', url: '/requests', headers: { authorization: `Bearer ${cast.partner.token}`, ...headers }, payload });
    const misplaced = await send('{"title": "A" "country": "SN"}', { 'content-type': 'application/json', 'accept-language': 'fr-SN' });
    expect(misplaced.statusCode).toBe(400);
    expect(misplaced.json().message).toBe(
      "Le corps n'est pas du JSON valide : il se rompt au caractère 15. Vérifiez le texte à cet endroit (une virgule, un guillemet ou une accolade manquants ?).",
    );
    const text = await send('<request/>', { 'content-type': 'application/xml' });
    expect(text.statusCode).toBe(415);
    expect(text.json()).toMatchObject({
      code: 'fst_err_ctp_invalid_media_type',
      message: 'This call takes a JSON body: send it with the header Content-Type: application/json (it came as "application/xml").',
    });
    const untyped = await send('{"title": "A"}', {});
    expect(untyped.statusCode).toBe(415);
    expect(untyped.json().message).toContain('it came without a Content-Type');
    const empty = await send('', { 'content-type': 'application/json' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().message).toContain('The body is empty');
  });

  it('an enumeration refused lists the values it takes, in the caller\'s language; the code stays as it is', async () => {
    const id = await submit(system, cast);
    const screen = (language: string) =>
      system.app.inject({
        method: 'POST',
        url: `/requests/${id}/screening`,
        headers: { authorization: `Bearer ${cast.secretariat.token}`, 'content-type': 'application/json', 'accept-language': language },
        payload: { outcome: 'maybe', note: 'Hm.' },
      });
    const english = await screen('en');
    expect(english.json()).toMatchObject({ code: 'invalid_body', field: 'body.outcome', message: 'body.outcome: must be one of "accept", "request_information", "reject"; got "maybe".' });
    const french = await screen('fr');
    expect(french.json()).toMatchObject({ code: 'invalid_body', field: 'body.outcome', message: 'body.outcome : doit être l\'une des valeurs "accept", "request_information", "reject" ; reçu : "maybe".' });
  });

  it('only a partner submits, and only for their own country', async () => {
    const bySecretariat = await call(system, 'POST', '/requests', cast.secretariat, sampleSubmission());
    expect(bySecretariat.status).toBe(403);
    const forAnother = await call(system, 'POST', '/requests', cast.partner, sampleSubmission({ country: 'ML' }));
    expect(forAnother.status).toBe(403);
    expect(forAnother.body.field).toBe('body.country');
  });
});

describe('identity', () => {
  it('401 without a token, with a malformed header, or with an unknown token', async () => {
    for (const authorization of [undefined, 'Basic abc', 'Bearer rbt_not-a-real-token', 'Bearer ']) {
      const r = await system.app.inject({ method: 'GET', url: '/requests', headers: authorization ? { authorization } : {} });
      expect(r.statusCode).toBe(401);
      expect(r.headers['www-authenticate']).toMatch(/^Bearer/);
      expect(r.json().message).toMatch(/token/i);
    }
  });
});

describe('reading requests', () => {
  it('404 for an unknown request, 400 for an ID that is not a UUID', async () => {
    const unknown = await call(system, 'GET', '/requests/00000000-0000-4000-8000-000000000000', cast.monitor);
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('request_not_found');
    const bad = await call(system, 'GET', "/requests/1' OR 1=1 --", cast.monitor);
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('params.id');
  });

  it('a partner cannot see another country’s request: 404, as if it did not exist', async () => {
    const id = await submit(system, cast);
    const r = await call(system, 'GET', `/requests/${id}`, cast.otherPartner);
    expect(r.status).toBe(404);
    expect((await call(system, 'GET', `/requests/${id}/events`, cast.otherPartner)).status).toBe(404);
    const list = await call(system, 'GET', '/requests?limit=100', cast.otherPartner);
    expect(list.body.items.map((i: { id: string }) => i.id)).not.toContain(id);
  });

  it('lists newest first with filters and keyset pagination that neither skips nor repeats', async () => {
    const own = await system.user('partner', 'GH');
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await call(system, 'POST', '/requests', own, sampleSubmission({ country: 'GH', domain: (i % 2) + 1, title: `GH ${i}` }));
      ids.push(r.body.id);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: { status: number; body: { items: Array<{ id: string }>; nextCursor: string | null } } = await call(
        system,
        'GET',
        `/requests?country=GH&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        cast.monitor,
      );
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((item) => item.id));
      cursor = page.body.nextCursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual([...ids].reverse());

    const domainOne = await call(system, 'GET', '/requests?country=GH&domain=1', cast.monitor);
    expect(domainOne.body.items.map((i: { id: string }) => i.id)).toEqual([ids[4], ids[2], ids[0]]);
    const inScreening = await call(system, 'GET', '/requests?country=GH&phase=screening&limit=1', cast.monitor);
    expect(inScreening.body.items).toHaveLength(1);
    expect(inScreening.body.items[0]).toMatchObject({ country: 'GH', phase: 'screening', title: 'GH 4' });
  });

  it('rejects bad filters with 400, never 500', async () => {
    for (const query of ['phase=nope', 'domain=9', 'country=Senegal', 'limit=0', 'limit=1000', 'cursor=not-a-cursor', "country=' OR 1=1 --", `cursor=${'x'.repeat(500)}`]) {
      const r = await call(system, 'GET', `/requests?${query}`, cast.monitor);
      expect({ query, status: r.status }).toEqual({ query, status: 400 });
    }
  });
});

describe('operations', () => {
  it('/health reports both dependencies', async () => {
    const r = await call(system, 'GET', '/health');
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ status: 'ok', postgres: true, temporal: true });
  });

  it('/openapi.json documents every route with its responses, and /docs serves Swagger UI', async () => {
    const spec = (await call(system, 'GET', '/openapi.json')).body;
    expect(spec.openapi).toMatch(/^3\./);
    const routes = Object.entries(spec.paths as Record<string, Record<string, { responses: Record<string, unknown> }>>).flatMap(
      ([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(routes.sort()).toEqual(
      [
        'GET /health',
        'GET /requests',
        'POST /requests',
        'GET /requests/{id}',
        'GET /requests/{id}/events',
        'POST /requests/{id}/screening',
        'POST /requests/{id}/information',
        'POST /requests/{id}/votes',
        'POST /requests/{id}/decision',
        'POST /requests/{id}/revision',
        'POST /requests/{id}/activities',
        'PATCH /requests/{id}/activities/{activityId}',
        'POST /requests/{id}/implementation/complete',
        'POST /requests/{id}/reports',
        'POST /requests/{id}/closure',
        'POST /requests/{id}/withdrawal',
        'POST /requests/{id}/cancellation',
        'POST /requests/{id}/information/deadline',
        'POST /requests/{id}/decision/corrections',
        'POST /requests/{id}/budget/increase',
        'POST /requests/{id}/reports/{index}/acceptance',
        'POST /requests/{id}/reports/{index}/return',
        'POST /requests/{id}/review/extension',
        'POST /requests/{id}/review/closure',
        'POST /requests/{id}/conditions/{index}/met',
        'POST /requests/{id}/documents',
        'GET /requests/{id}/documents/{documentId}',
        'POST /requests/{id}/documents/{documentId}/removal',
        'POST /requests/{id}/documents/{documentId}/erasure',
        'GET /admin/users',
        'POST /admin/users',
        'POST /admin/users/{userId}/tokens',
        'GET /admin/tokens',
        'DELETE /admin/tokens/{tokenId}',
        'POST /admin/invitations',
        'PATCH /admin/users/{userId}',
        'DELETE /admin/users/{userId}/sessions',
        'POST /admin/users/{userId}/invitation',
        'DELETE /admin/users/{userId}/passkeys',
        'GET /admin/events',
        'POST /auth/email',
        'POST /auth/email/link',
        'POST /auth/email/code',
        'POST /auth/invitation',
        'GET /auth/session',
        'POST /auth/sign-out',
        'GET /me/sessions',
        'DELETE /me/sessions/{sessionId}',
        'DELETE /me/sessions',
        'GET /auth/providers',
        'GET /auth/oidc/{provider}',
        'GET /auth/oidc/{provider}/callback',
        'POST /me/passkeys/options',
        'POST /me/passkeys',
        'GET /me/passkeys',
        'DELETE /me/passkeys/{passkeyId}',
        'POST /auth/passkey/options',
        'POST /auth/passkey',
        'GET /admin/chair-terms',
        'POST /admin/chair-terms',
        'GET /admin/out-of-bounds-values',
        'PUT /admin/out-of-bounds-values',
        'POST /admin/out-of-bounds-values/removal',
        'GET /events/stream',
        'GET /statistics',
        'GET /statistics/coverage',
        'GET /action-plans',
        'GET /action-plans/{planId}',
        'PUT /action-plans/{planId}',
        'GET /countries',
        'GET /countries/{code}',
        'PUT /countries/{code}',
        'DELETE /countries/{code}',
        'GET /exports/requests.csv',
        'GET /exports/statistics.csv',
        'GET /exports/coverage.csv',
        'GET /exports/coverage-by-objective.csv',
        'POST /admin/webhooks',
        'GET /admin/webhooks',
        'DELETE /admin/webhooks/{id}',
        'GET /admin/webhooks/{id}/deliveries',
        'GET /admin/webhook-deliveries/{deliveryId}',
        'POST /admin/webhook-deliveries/{deliveryId}/redelivery',
        'POST /meetings',
        'GET /meetings',
        'GET /meetings/{id}',
        'PATCH /meetings/{id}/agenda',
        'POST /meetings/{id}/minutes',
        'GET /meetings/{id}/agenda-pack',
        'POST /codec/decode',
        'POST /codec/encode',
        'GET /me',
        'PUT /me/email',
        'POST /me/email/confirmation',
        'PUT /me/language',
        'GET /unsubscribe/{userId}/{token}',
        'POST /unsubscribe/{userId}/{token}',
        'GET /me/calendar',
        'POST /me/calendar/renewal',
        'GET /calendar/{userId}/{token}',
        'GET /me/notifications',
        'GET /me/notifications/{notificationId}',
        'PUT /admin/users/{userId}/email',
        'GET /admin/notifications',
        'GET /admin/notifications/{notificationId}',
        'POST /admin/notifications/{notificationId}/resend',
      ].sort(),
    );
    // Besides the route's own answers: 413 and 415 wherever a body is read, 429 from the rate limit, 405 where a path
    // parameter left empty makes the path another route's.
    expect(Object.keys(spec.paths['/requests/{id}/votes'].post.responses).sort()).toEqual(['200', '400', '401', '403', '404', '405', '409', '413', '415', '429']);
    // Parameters with a default are not required (the server fills them in).
    const listParameters = spec.paths['/requests'].get.parameters as { name: string; required?: boolean }[];
    expect(listParameters.find((p) => p.name === 'limit')?.required ?? false).toBe(false);
    expect(spec.paths['/meetings/{id}/agenda-pack'].get.parameters.find((p: { name: string }) => p.name === 'format').required ?? false).toBe(false);
    expect(spec.paths['/codec/decode'].post.requestBody.content['application/json'].schema.required ?? []).not.toContain('payloads');
    const docs = await system.app.inject({ method: 'GET', url: '/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.body).toContain('swagger');
  });

  it('an unknown route is a 404 that points to the docs', async () => {
    const r = await call(system, 'GET', '/nowhere', cast.monitor);
    expect(r.status).toBe(404);
    expect(r.body.message).toContain('/docs');
    // Not found for anyone: without a token, with a bad one, and where a path's ".." resolved to no route.
    for (const headers of [{}, { authorization: 'Bearer ' }, { authorization: 'Bearer rbt_nothing' }]) {
      for (const url of ['/nowhere', '/auth/oidc/..']) {
        const answer = await system.app.inject({ method: 'GET', url, headers });
        expect({ url, headers, status: answer.statusCode, code: answer.json().code }).toEqual({ url, headers, status: 404, code: 'route_not_found' });
      }
    }
  });
});
