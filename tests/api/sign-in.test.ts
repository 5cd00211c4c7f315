import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { createCast, type Cast } from '../support/cast';
import { startMailReceiver, type ReceivedMail } from '../support/mail-receiver';
import { startTestSystem, type TestSystem } from '../support/test-system';
import { waitFor } from '../support/wait-for';

/**
 * Signing in as people do (README, "Signing in"), against the real API, Postgres, the outbox, the relay and a real
 * mail server: an invitation, a link or a code by e-mail, a session cookie; and the probes a careful security
 * engineer runs — CSRF, cross-site calls, enumeration, reused and expired links, the rate limit, a person whose
 * access changed. The e-mails are read as the person reads them, in the mailbox.
 */

let mail: Awaited<ReturnType<typeof startMailReceiver>>;
let system: TestSystem;
let cast: Cast;
const logLines: string[] = [];

beforeAll(async () => {
  mail = await startMailReceiver();
  system = await startTestSystem({
    smtpUrl: mail.url,
    signInLimits: { windowMs: 60_000, perAddress: 4, perClient: 40 },
    logStream: { write: (line: string) => void logLines.push(line) },
  });
  cast = await createCast(system);
});
afterAll(async () => {
  await system?.stop();
  await mail?.stop();
});

type Session = { cookie: string; csrf: string };

const inject = (options: InjectOptions) => system.app.inject(options);
const asJson = (response: LightMyRequestResponse) => ({ status: response.statusCode, body: response.json() as Record<string, unknown> & { code?: string; message?: string } });

/** The mail the mailbox of `to` received last (waiting for the relay to send it). */
async function lastMailTo(to: string, after = 0): Promise<ReceivedMail> {
  const mine = await waitFor(
    async () => mail.received.filter((message) => message.to === to),
    (list) => list.length > after,
  );
  return mine.at(-1)!;
}
const mailsTo = (to: string) => mail.received.filter((message) => message.to === to).length;

const secretIn = (message: ReceivedMail, fragment: 'invitation' | 'sign-in') => new RegExp(`#${fragment}=([A-Za-z0-9_-]{43})`).exec(message.text)?.[1];
const codeIn = (message: ReceivedMail) => /\b(\d{6})\b/.exec(message.text)?.[1];

/** The session the answer opened: its cookie as the browser keeps it, and its CSRF token. */
function sessionOf(response: LightMyRequestResponse): Session {
  const cookie = response.cookies.find((c) => c.name === 'rbt_session');
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: true, path: '/' });
  const csrfCookie = response.cookies.find((c) => c.name === 'rbt_csrf');
  const body = response.json() as { csrfToken: string };
  return { cookie: `rbt_session=${cookie!.value}${csrfCookie ? `; rbt_csrf=${csrfCookie.value}` : ''}`, csrf: body.csrfToken };
}

const withSession = (session: Session, options: InjectOptions, csrf = true): InjectOptions => ({
  ...options,
  headers: { ...options.headers, cookie: session.cookie, ...(csrf ? { 'x-csrf-token': session.csrf } : {}) },
});

async function invite(email: string, role = 'partner', country: string | null = 'SN', language: 'en' | 'fr' | null = null) {
  const name = `${role} ${email}`;
  const response = await inject({
    method: 'POST',
    url: '/admin/invitations',
    headers: { authorization: `Bearer ${cast.admin.token}` },
    payload: { name, email, role, country, language },
  });
  return { ...asJson(response), name };
}

async function signInByLink(email: string): Promise<Session> {
  const before = mailsTo(email);
  expect((await inject({ method: 'POST', url: '/auth/email', payload: { email } })).statusCode).toBe(202);
  const secret = secretIn(await lastMailTo(email, before), 'sign-in');
  const signedIn = await inject({ method: 'POST', url: '/auth/email/link', payload: { link: secret } });
  expect(signedIn.statusCode).toBe(200);
  return sessionOf(signedIn);
}

describe('an invitation', () => {
  it('is e-mailed with a single-use link that signs the person in, with the role and country an administrator gave', async () => {
    const invited = await invite('awa.diop@interieur.example.sn', 'partner', 'SN', 'fr');
    expect(invited.status).toBe(201);
    const message = await lastMailTo('awa.diop@interieur.example.sn');
    expect(message.subject).toBe('[Processus de Rabat] Votre invitation aux demandes de renforcement des capacités du Processus de Rabat');
    const secret = secretIn(message, 'invitation');
    expect(message.text).toContain(`https://capacity.rabat.test/dashboard#invitation=${secret}`);

    const accepted = await inject({ method: 'POST', url: '/auth/invitation', payload: { invitation: secret } });
    expect(asJson(accepted)).toMatchObject({ status: 200, body: { user: { name: invited.name, role: 'partner', country: 'SN' } } });
    const session = sessionOf(accepted);
    const who = asJson(await inject(withSession(session, { method: 'GET', url: '/auth/session' })));
    expect(who).toMatchObject({ status: 200, body: { user: { name: invited.name, role: 'partner' }, sessionId: expect.any(String), expiresAt: accepted.json().expiresAt } });
    // The person reads what their role may read, with the cookie alone.
    expect((await inject(withSession(session, { method: 'GET', url: '/requests?limit=1' }))).statusCode).toBe(200);

    const again = asJson(await inject({ method: 'POST', url: '/auth/invitation', payload: { invitation: secret } }));
    expect(again).toMatchObject({ status: 410, body: { code: 'invitation_used' } });
    const forged = asJson(await inject({ method: 'POST', url: '/auth/invitation', payload: { invitation: 'A'.repeat(43) } }));
    expect(forged).toMatchObject({ status: 400, body: { code: 'invitation_unknown' } });
    // Only administrators invite; an address signs in one person only; roles come from nowhere else.
    expect((await inject({ method: 'POST', url: '/admin/invitations', headers: { authorization: `Bearer ${cast.secretariat.token}` }, payload: { name: 'X', email: 'x@example.org', role: 'admin' } })).statusCode).toBe(403);
    expect((await invite('awa.diop@interieur.example.sn', 'chair', null)).body.code).toBe('email_in_use');
  });

  it('expires (72 hours by default): an expired one is refused and says what to do', async () => {
    const invited = await invite('late@example.org');
    const secret = secretIn(await lastMailTo('late@example.org'), 'invitation');
    await system.database.pool.query(`update sign_in_secrets set expires_at = now() - interval '1 second' where user_id = $1`, [invited.body.userId]);
    const expired = asJson(await inject({ method: 'POST', url: '/auth/invitation', payload: { invitation: secret } }));
    expect(expired).toMatchObject({ status: 410, body: { code: 'invitation_expired', message: 'This invitation has expired. Ask the Secretariat for a new one.' } });
  });
});

describe('signing in by e-mail', () => {
  it('sends a link and a code; either signs in once; the answer is the same for an unknown address', async () => {
    await invite('officer@secretariat.example.org', 'secretariat', null, 'en');
    await lastMailTo('officer@secretariat.example.org');
    const known = await inject({ method: 'POST', url: '/auth/email', payload: { email: 'Officer@Secretariat.example.org ' } });
    const unknown = await inject({ method: 'POST', url: '/auth/email', payload: { email: 'nobody@example.org' } });
    expect(asJson(known)).toEqual(asJson(unknown));
    expect(asJson(known)).toMatchObject({ status: 202 });

    const message = await lastMailTo('officer@secretariat.example.org', 1);
    expect(message.subject).toBe('[Rabat Process] Your sign-in link');
    const link = secretIn(message, 'sign-in');
    expect((await inject({ method: 'POST', url: '/auth/email/link', payload: { link } })).statusCode).toBe(200);
    expect(asJson(await inject({ method: 'POST', url: '/auth/email/link', payload: { link } }))).toMatchObject({ status: 410, body: { code: 'sign_in_link_used' } });

    // The code of a new e-mail, typed on another device; wrong codes are counted, and an unknown address is told the same.
    await inject({ method: 'POST', url: '/auth/email', payload: { email: 'officer@secretariat.example.org' } });
    const code = codeIn(await lastMailTo('officer@secretariat.example.org', 2))!;
    const wrong = asJson(await inject({ method: 'POST', url: '/auth/email/code', payload: { email: 'officer@secretariat.example.org', code: code === '000000' ? '000001' : '000000' } }));
    expect(wrong).toMatchObject({ status: 400, body: { code: 'wrong_code' } });
    const unknownCode = asJson(await inject({ method: 'POST', url: '/auth/email/code', payload: { email: 'nobody@example.org', code: '123456' } }));
    expect(unknownCode).toMatchObject({ status: 400, body: { code: 'wrong_code' } });
    const right = await inject({ method: 'POST', url: '/auth/email/code', payload: { email: 'officer@secretariat.example.org', code } });
    expect(asJson(right)).toMatchObject({ status: 200, body: { user: { role: 'secretariat' } } });

    // The secret e-mails' text is shown to nobody: not to their person, not to administrators.
    const outbox = asJson(await inject({ method: 'GET', url: '/admin/notifications?limit=100', headers: { authorization: `Bearer ${cast.admin.token}` } }));
    const signIns = (outbox.body.items as Array<{ reason: string; notificationId: string }>).filter((n) => n.reason === 'sign_in');
    expect(signIns.length).toBeGreaterThan(0);
    const one = asJson(await inject({ method: 'GET', url: `/admin/notifications/${signIns[0]!.notificationId}`, headers: { authorization: `Bearer ${cast.admin.token}` } }));
    expect(one.body.body).not.toMatch(/#sign-in=|\d{6}/);
    // And no secret reaches a log line.
    expect(logLines.filter((line) => line.includes(link!) || line.includes(code))).toEqual([]);
  });

  it('is limited per address, with when to retry, and counts the same for an unknown address', async () => {
    const tries = async (email: string) => {
      const answers = [];
      for (let i = 0; i < 5; i += 1) answers.push(await inject({ method: 'POST', url: '/auth/email', payload: { email } }));
      return answers;
    };
    for (const email of ['limited@example.org', 'unknown-limited@example.org']) {
      const answers = await tries(email);
      expect(answers.map((a) => a.statusCode)).toEqual([202, 202, 202, 202, 429]);
      expect(answers[4]!.headers['retry-after']).toMatch(/^\d+$/);
      expect(answers[4]!.json()).toMatchObject({ code: 'too_many_sign_in_attempts' });
    }
  });

  it('refuses a French caller in French', async () => {
    const refused = asJson(await inject({ method: 'POST', url: '/auth/email/link', headers: { 'accept-language': 'fr' }, payload: { link: 'B'.repeat(43) } }));
    expect(refused).toMatchObject({ status: 400, body: { code: 'sign_in_link_unknown', message: 'Ce lien de connexion n\'est pas valide. Demandez-en un nouveau avec votre adresse.' } });
  });
});

describe('a session', () => {
  it('needs its CSRF token for every call that changes something; a cross-site call is refused; an API token needs neither', async () => {
    await invite('csrf@example.org', 'monitor', null, 'en');
    await lastMailTo('csrf@example.org');
    const session = await signInByLink('csrf@example.org');
    const change = { method: 'PUT' as const, url: '/me/language', payload: { language: 'fr' } };

    const withoutToken = asJson(await inject(withSession(session, change, false)));
    expect(withoutToken).toMatchObject({ status: 403, body: { code: 'csrf_token_missing' } });
    expect(withoutToken.body.message).toContain('X-CSRF-Token');
    const wrongToken = asJson(await inject({ ...withSession(session, change), headers: { cookie: session.cookie, 'x-csrf-token': 'forged' } }));
    expect(wrongToken).toMatchObject({ status: 403, body: { code: 'csrf_token_invalid' } });
    const crossSite = asJson(await inject(withSession(session, { ...change, headers: { origin: 'https://evil.example' } })));
    expect(crossSite).toMatchObject({ status: 403, body: { code: 'cross_site_request' } });
    // Nothing was changed by any of them.
    expect(asJson(await inject(withSession(session, { method: 'GET', url: '/me' }))).body.language).toBe('en');

    expect((await inject(withSession(session, change))).statusCode).toBe(200);
    expect((await inject({ ...change, headers: { authorization: `Bearer ${cast.monitor.token}` } })).statusCode).toBe(200);
    // A token of another session does not pass for this one.
    const other = await signInByLink('csrf@example.org');
    expect(asJson(await inject({ ...change, headers: { cookie: session.cookie, 'x-csrf-token': other.csrf } }))).toMatchObject({ status: 403, body: { code: 'csrf_token_invalid' } });
  });

  it('is listed with where and when; the person signs out of one, or everywhere', async () => {
    await invite('sessions@example.org', 'monitor', null, 'en');
    await lastMailTo('sessions@example.org');
    const first = await signInByLink('sessions@example.org');
    const second = await signInByLink('sessions@example.org');
    const listed = asJson(await inject(withSession(first, { method: 'GET', url: '/me/sessions', headers: { 'user-agent': 'Firefox' } })));
    const items = listed.body.items as Array<{ sessionId: string; current: boolean; clientAddress: string; method: string }>;
    expect(items).toHaveLength(2);
    expect(items.filter((s) => s.current)).toHaveLength(1);
    expect(items[0]).toMatchObject({ clientAddress: '127.0.0.1', method: 'email_link' });

    const theOther = items.find((s) => !s.current)!;
    expect((await inject(withSession(first, { method: 'DELETE', url: `/me/sessions/${theOther.sessionId}` }))).statusCode).toBe(204);
    expect(asJson(await inject(withSession(second, { method: 'GET', url: '/me' })))).toMatchObject({ status: 401, body: { code: 'session_ended' } });

    const third = await signInByLink('sessions@example.org');
    expect(asJson(await inject(withSession(first, { method: 'DELETE', url: '/me/sessions' })))).toMatchObject({ status: 200, body: { ended: 2 } });
    for (const gone of [first, third]) expect((await inject(withSession(gone, { method: 'GET', url: '/me' }))).statusCode).toBe(401);
    // Who is signed in: nobody, for a browser without a session (no error); an ended session says it ended.
    expect(asJson(await inject({ method: 'GET', url: '/auth/session' }))).toEqual({ status: 200, body: { user: null, sessionId: null, expiresAt: null, csrfToken: null } });
    expect(asJson(await inject(withSession(first, { method: 'GET', url: '/auth/session' })))).toMatchObject({ status: 401, body: { code: 'session_ended' } });
    expect(asJson(await inject({ method: 'GET', url: '/auth/session', headers: { authorization: 'Bearer rbt_nothing' } }))).toMatchObject({ status: 401, body: { code: 'token_malformed' } });
  });

  it('ends everywhere when an administrator changes the person’s role or deactivates them, who then cannot get back in', async () => {
    const invited = await invite('moved@example.org', 'sc_member', 'ES', 'en');
    await lastMailTo('moved@example.org');
    const session = await signInByLink('moved@example.org');
    const admin = { authorization: `Bearer ${cast.admin.token}` };
    const changed = asJson(await inject({ method: 'PATCH', url: `/admin/users/${String(invited.body.userId)}`, headers: admin, payload: { role: 'monitor', country: null } }));
    expect(changed).toMatchObject({ status: 200, body: { user: { role: 'monitor', country: null }, endedSessions: 1 } });
    expect(asJson(await inject(withSession(session, { method: 'GET', url: '/me' })))).toMatchObject({ status: 401, body: { code: 'session_ended' } });

    const again = await signInByLink('moved@example.org');
    expect(asJson(await inject({ method: 'PATCH', url: `/admin/users/${String(invited.body.userId)}`, headers: admin, payload: { active: false } })).body.endedSessions).toBe(1);
    expect((await inject(withSession(again, { method: 'GET', url: '/me' }))).statusCode).toBe(401);
    // No e-mail goes to a deactivated person, and the answer does not say so.
    const before = mailsTo('moved@example.org');
    expect((await inject({ method: 'POST', url: '/auth/email', payload: { email: 'moved@example.org' } })).statusCode).toBe(202);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(mailsTo('moved@example.org')).toBe(before);

    // All of it is on the administrators' log, without a secret.
    const log = asJson(await inject({ method: 'GET', url: '/admin/events?limit=200', headers: admin }));
    const types = new Set((log.body.items as Array<{ type: string }>).map((e) => e.type));
    for (const type of ['invitation_sent', 'invitation_accepted', 'signed_in', 'sign_in_failed', 'session_ended', 'user_changed', 'user_deactivated']) expect(types).toContain(type);
    expect(JSON.stringify(log.body)).not.toMatch(/[A-Za-z0-9_-]{43}/);
  });
});
