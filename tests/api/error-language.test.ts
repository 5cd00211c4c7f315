import { describe, expect, it } from 'vitest';
import { useTestSystem } from '../support/use-test-system';
import { advanceTo, call, submit } from '../support/cast';

/**
 * Errors in the caller's language (their saved choice, else Accept-Language): the codes stay as they are, the
 * messages are the catalog's (error.*). The workflow's own refusals come back over Temporal's wire as catalog keys and
 * are worded here like the API's early ones.
 */

const ctx = useTestSystem({ hardening: { rateLimitMax: 30, rateLimitWindow: '1 minute' } });
const FRENCH = { 'accept-language': 'fr-SN,fr;q=0.9' };
const ZERO_UUID = '00000000-0000-4000-8000-000000000000';

describe('errors in the caller’s language', () => {
  it('a French caller gets "code": "forbidden" with a French message; an English one the English', async () => {
    const { system, cast } = ctx;
    const french = await call(system, 'GET', '/admin/users', cast.monitor, undefined, FRENCH);
    expect(french.status).toBe(403);
    expect(french.body).toMatchObject({
      statusCode: 403,
      error: 'Forbidden',
      code: 'forbidden',
      message: 'Seuls les administrateurs gèrent les utilisateurs, les jetons et la fonction de présidence.',
      requestId: expect.any(String),
    });
    const english = await call(system, 'GET', '/admin/users', cast.monitor, undefined, { 'accept-language': 'en' });
    expect(english.body).toMatchObject({ code: 'forbidden', message: 'Only administrators manage users, tokens and the Chair’s office.' });
  });

  it('a person’s saved language wins over their browser’s', async () => {
    const { system } = ctx;
    const reader = await system.user('monitor');
    expect((await call(system, 'PUT', '/me/language', reader, { language: 'fr' })).status).toBe(200);
    const refused = await call(system, 'GET', '/admin/users', reader, undefined, { 'accept-language': 'en' });
    expect(refused.body).toMatchObject({ code: 'forbidden', message: expect.stringMatching(/^Seuls les administrateurs/) });
  });

  it('request_not_found, in French', async () => {
    const { system, cast } = ctx;
    const missing = await call(system, 'GET', `/requests/${ZERO_UUID}`, cast.partner, undefined, FRENCH);
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({
      code: 'request_not_found',
      message: `Aucune demande n'a l'identifiant ${ZERO_UUID}, ou elle ne vous est pas visible.`,
    });
  });

  it('a refusal of the rules names roles and actions in French', async () => {
    const { system, cast } = ctx;
    const id = await submit(system, cast);
    await advanceTo(system, cast, id, 'review');
    const partnerVotes = await call(system, 'POST', `/requests/${id}/votes`, cast.partner, { vote: 'objection' }, FRENCH);
    expect(partnerVotes.status).toBe(403);
    expect(partnerVotes.body).toMatchObject({
      code: 'forbidden',
      message: "Seul un membre du Comité de pilotage peut voter dans l'examen du Comité de pilotage ; vous êtes connecté comme un point focal national (partner).",
    });
  });

  it('a step in the wrong phase is the same 409 in French whether the API or the workflow refuses it', async () => {
    const { system, cast } = ctx;
    const id = await submit(system, cast);
    await advanceTo(system, cast, id, 'review');
    const screening = { outcome: 'accept', note: 'Again.' };
    const early = await call(system, 'POST', `/requests/${id}/screening`, cast.secretariat, screening, FRENCH);
    // With an Idempotency-Key the API sends the step on (a retry may be its own earlier success): the workflow refuses it.
    const byWorkflow = await call(system, 'POST', `/requests/${id}/screening`, cast.secretariat, screening, { ...FRENCH, 'idempotency-key': `again-${id}` });
    for (const refused of [early, byWorkflow]) {
      expect(refused.status).toBe(409);
      expect(refused.body).toMatchObject({ code: 'wrong_phase_or_state', phase: 'review', allowedActions: expect.any(Array) });
      expect(refused.body.message).toMatch(
        /^La demande est en phase 'review', où vous ne pouvez pas procéder à l'examen préalable de la demande \(cela se fait en phase 'screening'\)\. /,
      );
    }
    expect(byWorkflow.body.message).toBe(early.body.message);
    expect(byWorkflow.body.allowedActions).toEqual(early.body.allowedActions);
  });

  it('the edge speaks French too: no token, no such route, a broken path, not this method', async () => {
    const { system, cast } = ctx;
    const anonymous = await call(system, 'GET', '/requests', undefined, undefined, FRENCH);
    expect(anonymous).toMatchObject({ status: 401, body: { code: 'unauthenticated', message: 'Connectez-vous, ou envoyez votre jeton d\'API sous la forme "Authorization: Bearer <token>".' } });
    const nowhere = await call(system, 'GET', '/nowhere', cast.monitor, undefined, FRENCH);
    expect(nowhere).toMatchObject({ status: 404, body: { code: 'route_not_found', message: "GET /nowhere n'existe pas. Consultez /docs pour l'API." } });
    const badEscape = await call(system, 'GET', '/requests/%E0%A4%A', cast.monitor, undefined, FRENCH);
    expect(badEscape).toMatchObject({ status: 400, body: { code: 'invalid_params', message: 'params : un paramètre de chemin n\'est pas correctement encodé en pourcentage (percent-encoding).' } });
    const wrongMethod = await call(system, 'DELETE', '/requests', cast.monitor, undefined, FRENCH);
    expect(wrongMethod).toMatchObject({ status: 405, body: { code: 'method_not_allowed', message: expect.stringMatching(/^\/requests n'accepte pas DELETE ; il accepte GET, /) } });
  });

  it('a refused field says what it must be, in French: missing, unknown, too short, of the wrong kind, out of range', async () => {
    const { system, cast } = ctx;
    const refusal = async (method: 'GET' | 'POST', path: string, body?: unknown) => {
      const answer = await call(system, method, path, cast.partner, body, FRENCH);
      expect(answer.status).toBe(400);
      return { field: answer.body.field, message: answer.body.message };
    };
    expect(await refusal('GET', '/requests?limit=0')).toEqual({ field: 'querystring.limit', message: 'querystring.limit : doit valoir au moins 1 ; reçu : 0.' });
    expect(await refusal('GET', '/requests?limit=deux')).toEqual({ field: 'querystring.limit', message: 'querystring.limit : doit être un nombre entier ; reçu : "deux".' });
    expect(await refusal('POST', '/requests', { title: 'Formation des agents' })).toMatchObject({ message: expect.stringMatching(/^body\.\w+ : est obligatoire\.$/) });
    expect(await refusal('POST', '/auth/email', { email: 'awa@example.sn', role: 'admin' })).toEqual({
      field: 'body.role',
      message: "body.role : n'est pas un champ de cet appel ; retirez-le (voir /docs pour les champs qu'il accepte).",
    });
  });

  it('the rate limit’s 429, in French', async () => {
    const { system } = ctx;
    const busy = await system.user('monitor');
    let limited;
    for (let i = 0; i < 31; i++) limited = await call(system, 'GET', '/countries', busy, undefined, FRENCH);
    expect(limited!.status).toBe(429);
    expect(limited!.body).toMatchObject({ code: 'rate_limited' });
    expect(limited!.body.message).toMatch(/^Trop de requêtes : au plus 30 par minute pour un même jeton\. Réessayez dans \d+ s\.$/);
  });
});
